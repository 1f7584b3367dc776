/** What the Docker image gains (`Dockerfile`, `.dockerignore`). */
export interface DockerContribution {
  /**
   * EJS fragment (relative to the feature's folder (`components/<name>/`)) of runtime-stage lines, placed after the virtual
   * environment is copied in.
   */
  readonly runtime?: string;
  /** Paths left out of the build context, one `.dockerignore` line each. */
  readonly ignore?: readonly string[];
}
