/** Packages ruff's isort must treat as third-party (`[tool.ruff.lint.isort] known-third-party`). */
export interface IsortContribution {
  readonly knownThirdParty: readonly string[];
  /** Why, written as a comment above the setting. */
  readonly comment: string;
}
