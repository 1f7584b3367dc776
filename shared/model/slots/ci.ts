/**
 * What a feature brings into the generated CI workflow (`.github/workflows/ci.yml`): the service containers its
 * tests need on GitHub's runners, and the variables that point the tests at them.
 */
export interface CiContribution {
  /**
   * EJS fragment (relative to the feature's folder) of service containers, indented under the job's `services:`.
   * It may render nothing (for option values without a server): such a fragment is left out.
   */
  readonly services?: string;
  /** The job's environment: `NAME: value` the generated tests read (`REDIS_URL`). */
  readonly environment?: readonly CiEnvironment[];
}

/** A variable of the CI job; `if` names one of the feature's prepared booleans (`{ …, if: 'postgres' }`). */
export interface CiEnvironment {
  readonly name: string;
  readonly value: string;
  readonly if?: string;
}
