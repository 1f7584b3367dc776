import type { Ordered } from './order.js';
import type { Computed } from './settings.js';

/** Lines (without newlines) at a place of the README, ordered among the other features' (see ./order.ts). */
export interface ReadmeLines extends Ordered {
  readonly lines: readonly string[];
}

/**
 * A README section: an EJS fragment relative to the feature's folder (`components/<name>/`), ending with a blank line. It sees
 * `adminApi`: the admin paths the features declare for the ingress (`ComposeContribution.adminPaths`), as Markdown
 * code spans joined with `, `, or the empty string.
 */
export interface ReadmeSection extends Ordered {
  readonly fragment: string;
}

/**
 * What a feature adds to the project's README. Its settings' rows come from the settings slot and its built-in
 * check from the health slot (`HealthContribution.summary`).
 */
export interface ReadmeContribution {
  /** Quick start: commands before `make serve` (preparing, e.g. `make migrate`), and after it (processes to run). */
  readonly setup?: Computed<readonly string[]>;
  readonly run?: readonly string[];
  /** The Commands block, after `make help`. */
  readonly commands?: ReadmeLines;
  /** Ends the health system's sentence on production details: how a caller still sees them. */
  readonly privateDetails?: string;
  readonly section?: ReadmeSection;
  /** A paragraph of the Tests section (what the feature's tests need and where they find it); an empty render adds nothing. */
  readonly tests?: ReadmeSection;
  /** A sentence added to the Docker section's paragraph on the `app-data` volume (starting with a space). */
  readonly docker?: string;
  /** The Layout block: lines under `app/`, an entrypoint (`scheduler.py (APScheduler)`), lines at the root. */
  readonly layout?: ReadmeLines;
  readonly entrypoint?: string;
  readonly rootLayout?: readonly string[];
}
