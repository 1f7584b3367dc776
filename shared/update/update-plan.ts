import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChangelogEntry, changelogBetween } from './changelog.js';
import type { ConflictStyle, MergeLabels } from '../engine/line-merge.js';
import { packageRoot, packageVersion } from '../package-info.js';
import { planProjectChange } from '../engine/project-change.js';
import { type ProjectState, STATE_FILE } from '../model/project-state.js';
import type { FileChange } from '../engine/reconcile.js';
import { renderWithVersion } from './version-renderer.js';

export interface UpdatePlan {
  readonly from: string;
  readonly to: string;
  /** CHANGELOG.md entries after `from` up to `to`, newest first. */
  readonly changelog: readonly ChangelogEntry[];
  /** Every project file the update changes, .yo-rc.json left out (the backup point is named in it when applied). */
  readonly changes: readonly FileChange[];
  /** What .yo-rc.json records after the update: the new version, or the update pending on its conflicts. */
  readonly nextState: ProjectState;
}

export interface UpdateRequest {
  readonly root: string;
  readonly state: ProjectState;
  /** The .yo-rc.json text, handed to the old version's renderer as it is. */
  readonly stateText: string;
  /** The package of the recorded version (see locateVersion). */
  readonly oldPackageRoot: string;
  readonly conflictStyle?: ConflictStyle;
}

export function updateLabels(from: string, to: string): MergeLabels {
  return { ours: 'ours (your project)', base: `base (generator-aegis ${from})`, theirs: `template (generator-aegis ${to})` };
}

export function readChangelog(root: string = packageRoot): string {
  const file = join(root, 'CHANGELOG.md');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * update = the engine's reconcile with base = the recorded version's render (by that version's own renderer) and
 * theirs = this version's render, both at the recorded answers. Reads the disk, writes nothing.
 */
export async function planUpdate(request: UpdateRequest): Promise<UpdatePlan> {
  const from = request.state.version;
  const base = await renderWithVersion(request.oldPackageRoot, request.stateText);
  const changes = planProjectChange({
    root: request.root,
    before: request.state,
    after: { version: packageVersion, answers: request.state.answers },
    beforeTree: base,
    stateText: request.stateText,
    labels: updateLabels(from, packageVersion),
    ...(request.conflictStyle ? { conflictStyle: request.conflictStyle } : {}),
  }).filter((change) => change.path !== STATE_FILE);
  const conflicts = changes.filter((change) => change.action === 'conflict').map((change) => change.path);
  const nextState: ProjectState =
    conflicts.length > 0
      ? { ...request.state, pendingUpdate: { version: packageVersion, conflicts } }
      : { version: packageVersion, answers: request.state.answers };
  return { from, to: packageVersion, changelog: changelogBetween(readChangelog(), from, packageVersion), changes, nextState };
}
