/**
 * A section of the generated `AGENTS.md` (the project's guide for coding assistants): an EJS fragment relative to
 * the feature's folder, ending with a blank line: where the feature's code lives, its commands, how to extend it.
 */
export interface AgentsContribution {
  readonly fragment: string;
}
