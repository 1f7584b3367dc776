import type { SettingsInput } from './settings.js';

/**
 * An entry that exists only in some projects: `when` is given the project, the feature's options and which features
 * are selected (`has`), e.g. a router whose module a feature renders only with auth (`({ has }) => has.auth`).
 */
export interface Conditional {
  readonly when?: (input: SettingsInput) => boolean;
}
