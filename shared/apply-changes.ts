import { readdirSync, rmdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FileChange } from './reconcile.js';

/** The part of Yeoman's mem-fs editor the engine writes through. */
export interface MemFsWriter {
  write(path: string, contents: string | Buffer): unknown;
  delete(path: string): void;
  readonly store: { get(path: string): unknown };
}

/** Yeoman's conflicter status per action: the engine has already decided, so Yeoman must not ask again. */
const STATUS: Partial<Record<FileChange['action'], string>> = {
  create: 'create',
  update: 'force',
  merge: 'force',
  conflict: 'force',
  delete: 'removed',
};

/** Stages the changes in mem-fs; nothing reaches the disk until Yeoman commits the whole set. */
export function stageChanges(editor: MemFsWriter, root: string, changes: readonly FileChange[]): void {
  for (const change of changes) {
    const absolute = join(root, change.path);
    if (change.action === 'delete') editor.delete(absolute);
    else if (change.after !== undefined) editor.write(absolute, typeof change.after === 'string' ? change.after : change.after.binary);
    else continue;
    (editor.store.get(absolute) as { conflicter?: string }).conflicter = STATUS[change.action];
  }
}

/** Removes the folders that deleting these files left empty, up to (not including) the project root. */
export function removeEmptyFolders(root: string, deleted: readonly string[]): void {
  const candidates = new Set<string>();
  for (const path of deleted) {
    let folder = dirname(join(root, path));
    while (folder !== root && !relative(root, folder).startsWith('..') && folder.includes(sep)) {
      candidates.add(folder);
      folder = dirname(folder);
    }
  }
  for (const folder of [...candidates].sort((a, b) => b.length - a.length)) {
    try {
      if (readdirSync(folder).length === 0) rmdirSync(folder);
    } catch {
      // Already gone, or not ours to remove.
    }
  }
}
