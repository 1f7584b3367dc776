import { applyAtomically, type ApplyHooks, type FileWrite } from './apply-transaction.js';
import { STATE_FILE } from '../model/project-state.js';
import { type FileChange, contentBytes } from './reconcile.js';

/** The disk writes a plan makes: files created, updated, merged or written with markers, and files deleted. */
export function writesOf(changes: readonly FileChange[]): FileWrite[] {
  const writes: FileWrite[] = [];
  for (const change of changes) {
    if (change.action === 'delete') writes.push({ path: change.path });
    else if (change.after !== undefined) writes.push({ path: change.path, contents: contentBytes(change.after) });
  }
  return writes;
}

/** Applies a plan all-or-nothing, the project state (.yo-rc.json) last. */
export function applyChanges(root: string, changes: readonly FileChange[], hooks: ApplyHooks = {}): void {
  applyAtomically(root, writesOf(changes), STATE_FILE, hooks);
}
