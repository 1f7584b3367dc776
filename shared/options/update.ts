import { CHANGE_OPTIONS } from './change.js';
import type { OptionDefinition } from './definitions.js';

/** The options of `aegis update` / `yo aegis:update` (with --project-path, --skip-install and --yes from CHANGE_OPTIONS). */
export const UPDATE_OPTIONS: readonly OptionDefinition[] = [
  {
    name: 'dry-run',
    type: 'boolean',
    description: 'Print the versions, the changelog between them and every file the update would change (with diffs); write nothing',
  },
  { name: 'stat', type: 'boolean', description: 'With --dry-run: per-file line counts instead of diffs' },
  { name: 'json', type: 'boolean', description: 'With --dry-run: the plan as JSON on stdout' },
  { name: 'exit-code', type: 'boolean', description: 'With --dry-run: exit 1 when the update would change files (for CI)' },
  {
    name: 'from',
    type: 'string',
    valueName: 'folder|tarball',
    description:
      'The package of the version the project was last rendered by (a folder or an "npm pack" tarball); default: the cache, else the npm registry',
  },
  {
    name: 'conflict-style',
    type: 'string',
    valueName: 'merge|diff3',
    description: 'Conflict markers as git writes them: merge (ours/theirs) or diff3 (adds the base section)',
  },
  { name: 'force', type: 'boolean', description: 'Update even with uncommitted changes (they go into the backup tag first)' },
  {
    name: 'finish',
    type: 'boolean',
    description: 'Finish an update that had conflicts: check none remain, record the new version, run the install step',
  },
];

/** Every option of the update command: its own, then the shared ones (its --dry-run, --stat and --json replace the shared ones). */
export const UPDATE_COMMAND_OPTIONS: readonly OptionDefinition[] = [
  ...UPDATE_OPTIONS,
  ...CHANGE_OPTIONS.filter((option) => !UPDATE_OPTIONS.some((own) => own.name === option.name)),
];
