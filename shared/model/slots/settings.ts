import type { OptionValues } from '../feature-spec.js';
import type { Ordered } from './order.js';
import type { PythonImport } from './python-import.js';

/**
 * What a setting's computed parts are given: the project, the contributing feature's own option values, which
 * features the project has, and whether the base admin guard is in use (no feature provides `require_admin`).
 */
export interface SettingsInput {
  readonly project: { readonly name: string; readonly description: string };
  readonly options: OptionValues;
  readonly has: Readonly<Record<string, boolean>>;
  readonly defaultAdminGuard: boolean;
}

/** A value given as is, or computed in TypeScript from the project and the feature's options. */
export type Computed<T> = T | ((input: SettingsInput) => T);

/** The `app/core/config.py` field of a setting: `    <name>: <type> = <default>  # <comment>`. */
export interface SettingField {
  readonly name: string;
  readonly type: string;
  /** The default as Python source (`Field(default=5, ge=1)`, may span lines); or see `text`. */
  readonly default?: Computed<string>;
  /** A `str` default: written as a Python string literal, wrapped as ruff formats a long one. */
  readonly text?: Computed<string>;
  /** Written after the field, `  # …`. */
  readonly comment?: string;
  /** Comment lines above the field (without `# `). */
  readonly above?: readonly string[];
  /** What the type and default need imported into config.py. */
  readonly imports?: readonly PythonImport[];
}

/** A setting's lines in `.env.example`. */
export interface SettingDotenv {
  /** After `NAME=`. */
  readonly value: string;
  /** Written as `# NAME=value`: documented, left to its default. */
  readonly commented?: boolean;
  /** Comment lines before it (without `# `), and after it. */
  readonly above?: readonly string[];
  readonly after?: readonly string[];
  /** Place in its section's `.env.example` lines (default 0, lower first; then the section's order). */
  readonly order?: number;
}

/** A setting's row in the README's configuration table (Markdown, backticks included). */
export interface SettingReadme {
  readonly default?: string;
  readonly notes?: string;
  /** Shares the previous setting's row: `` `HOST` / `PORT` ``, its default (if any) joined with ` / ` too. */
  readonly joinPrevious?: boolean;
}

/**
 * One setting, read from the environment variable `env`. Every part is optional: a setting only docker compose
 * reads has no field; one not worth documenting has no `.env.example` line or README row.
 */
export interface SettingEntry {
  readonly env: string;
  /** Only in some projects (e.g. without auth); the catalog lists the setting anyway. */
  readonly when?: (input: SettingsInput) => boolean;
  readonly field?: SettingField;
  readonly dotenv?: Computed<SettingDotenv | undefined>;
  readonly readme?: Computed<SettingReadme | undefined>;
}

/**
 * A group of settings under one heading in `config.py` and `.env.example` (`# Redis`), its rows in the README's
 * table. Sections are ordered by `order` (see ./order.ts), in the README table by `readmeOrder` if it is set.
 */
export interface SettingsSection extends Ordered {
  readonly readmeOrder?: number;
  /** The heading, or a different one for each file. */
  readonly heading: string | { readonly config: string; readonly dotenv: string };
  readonly entries: readonly SettingEntry[];
}

/** What a feature brings into the settings: its sections, and what config.py needs around the fields. */
export interface SettingsContribution {
  readonly sections: readonly SettingsSection[];
  /**
   * Module-level lines of config.py after the base type aliases (type aliases, constants), and their imports;
   * computed when they follow the options (the scheduler's `SchedulerPersistence` names `postgres` only with it).
   */
  readonly definitions?: Computed<readonly string[]>;
  readonly imports?: readonly PythonImport[];
  /** EJS fragment of lines in `_check_production_safety`, relative to the feature's folder (`components/<name>/`). */
  readonly validator?: string;
}
