import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { linkedPart } from './apply-transaction.js';
import { join } from 'node:path';
import { AegisError } from './errors.js';
import { describeFileError } from './file-errors.js';
import type { ConflictStyle, MergeLabels } from './line-merge.js';
import { type ProjectState, STATE_FILE, updateStateFile } from './project-state.js';
import { type DiskContents, type FileChange, type FileContents, contentBytes, reconcileTrees } from './reconcile.js';
import { type RenderedTree, render } from './render.js';

export interface ProjectChange {
  readonly root: string;
  /** What the project was rendered from: recorded answers and generator version. */
  readonly before: ProjectState;
  /** What it should be rendered from now. */
  readonly after: ProjectState;
  /** The before side already rendered (`update` has the old version render it); replaces rendering `before`. */
  readonly beforeTree?: RenderedTree;
  readonly conflictStyle?: ConflictStyle;
  readonly labels?: MergeLabels;
}

function fileWhereFolderGoes(root: string, path: string): string | undefined {
  const parts = path.split('/');
  for (let index = 1; index < parts.length; index += 1) {
    const folder = join(root, ...parts.slice(0, index));
    try {
      if (!lstatSync(folder).isDirectory()) return folder;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The file on disk, if any; bytes with a NUL are not text and are never merged line by line. */
export function readDiskFile(root: string, path: string): DiskContents | undefined {
  const absolute = join(root, path);
  let bytes: Buffer;
  try {
    if (statSync(absolute).isDirectory()) {
      throw new AegisError(`${absolute} is a folder, but the template has a file there: rename the folder and retry.`);
    }
    bytes = readFileSync(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      const file = fileWhereFolderGoes(root, path) ?? absolute;
      throw new AegisError(`${file} is a file, but the template has a folder there (for ${path}): rename or move the file, then run the command again.`);
    }
    if (error instanceof AegisError) throw error;
    throw new AegisError(describeFileError(error, absolute));
  }
  return bytes.includes(0) ? { binary: bytes } : bytes.toString('utf8');
}

/** A path the project holds as a symbolic link (or under one): the user's, never written through. */
function linkedChange(root: string, path: string, link: string): FileChange {
  let target = '';
  try {
    target = ` (to ${readlinkSync(join(root, link))})`;
  } catch {
    // Unreadable link: named without its target.
  }
  const where = link === path ? 'it is a symbolic link' : `${link} is a symbolic link`;
  return {
    path,
    action: 'skip',
    reason: `${where}${target}, never written through: apply the template's change to the real file yourself if you want it`,
  };
}

/**
 * The one engine under add, remove and update: render both sides, reconcile every file against the disk, and
 * record the new state in .yo-rc.json (keeping other generators' entries). Reads the disk, writes nothing.
 */
export function planProjectChange(change: ProjectChange): FileChange[] {
  const withoutState = (tree: RenderedTree): Map<string, FileContents> => {
    const files = new Map(tree);
    files.delete(STATE_FILE);
    return files;
  };
  const renderSide = (state: ProjectState): Map<string, FileContents> =>
    withoutState(render(state.answers, { generatorVersion: state.version }));
  const base = change.beforeTree ? withoutState(change.beforeTree) : renderSide(change.before);
  const theirs = renderSide(change.after);
  const linked: FileChange[] = [];
  for (const path of new Set([...base.keys(), ...theirs.keys()])) {
    const link = linkedPart(change.root, path);
    if (link === undefined) continue;
    const before = base.get(path);
    const after = theirs.get(path);
    const same = before !== undefined && after !== undefined && contentBytes(before).equals(contentBytes(after));
    if (!same && before !== after) linked.push(linkedChange(change.root, path, link));
    base.delete(path);
    theirs.delete(path);
  }
  const changes = reconcileTrees(base, theirs, (path) => readDiskFile(change.root, path), {
    ...(change.conflictStyle ? { conflictStyle: change.conflictStyle } : {}),
    ...(change.labels ? { labels: change.labels } : {}),
  });
  changes.push(...linked);
  const stateOnDisk = readDiskFile(change.root, STATE_FILE);
  const current = typeof stateOnDisk === 'string' ? stateOnDisk : undefined;
  const next = updateStateFile(current, change.after);
  if (next !== current) {
    const stateChange: FileChange = current === undefined
      ? { path: STATE_FILE, action: 'create', after: next }
      : { path: STATE_FILE, action: 'update', before: current, after: next };
    changes.push(stateChange);
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function conflictedFiles(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => change.action === 'conflict');
}
