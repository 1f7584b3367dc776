import { compareVersions } from './version-order.js';

/** The recorded answers as .yo-rc.json holds them, before they are checked against this version's registry. */
export interface RecordedAnswers {
  readonly [field: string]: unknown;
  readonly components?: unknown;
  readonly services?: unknown;
  readonly options?: unknown;
}

/**
 * A change of the recorded answers' shape made by a release: renaming a feature or an option, splitting one. It
 * runs on projects last rendered by an earlier version, before their answers are checked, so an old project is
 * read in the new names rather than refused.
 */
export interface StateMigration {
  /** The release that made the change: projects recorded before it are migrated. */
  readonly version: string;
  readonly description: string;
  readonly migrate: (answers: RecordedAnswers) => RecordedAnswers;
}

/** Every migration, oldest first. None yet: 0.4.0 is the first release whose projects later ones must read, and 0.5.0 reads them unchanged. */
export const STATE_MIGRATIONS: readonly StateMigration[] = [];

/** The recorded answers of a project rendered by `fromVersion`, with every later migration applied in order. */
export function migrateRecordedAnswers(
  fromVersion: string,
  answers: RecordedAnswers,
  migrations: readonly StateMigration[] = STATE_MIGRATIONS,
): RecordedAnswers {
  return migrations
    .filter((migration) => compareVersions(fromVersion, migration.version) < 0)
    .reduce((current, migration) => migration.migrate(current), answers);
}
