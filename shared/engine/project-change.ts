import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { linkedPart, lstatOnce } from './apply-transaction.js';
import { join } from 'node:path';
import { AegisError } from '../errors.js';
import { hasConflictMarkers } from './line-merge.js';
import { decodeFile } from './file-contents.js';
import { describeFileError } from '../system-error.js';
import type { ConflictStyle, MergeLabels } from './line-merge.js';
import { type ProjectState, STATE_FILE, updateStateFile } from '../model/project-state.js';
import { type DiskContents, type FileChange, type FileContents, contentBytes, reconcileTrees } from './reconcile.js';
import { type RenderedTree, render, templateReads } from './render.js';
import { type Resolution, yoResolve } from './yo-resolve.js';

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
  /** What the project holds; the real disk under `root` unless given (tests plan on a map). */
  readonly disk?: ProjectDisk;
  /** The .yo-rc.json text the command already read; read from `disk` unless given. */
  readonly stateText?: string;
}

/** The planner's view of the project: a file's contents, and the symbolic link on its path if there is one. */
export interface ProjectDisk {
  read(path: string): DiskContents | undefined;
  /** The part of `path` (itself or a folder of it) that is a symbolic link, and where it points. */
  link(path: string): { readonly at: string; readonly target: string } | undefined;
}

export function realDisk(root: string): ProjectDisk {
  // The planner writes nothing: a folder shared by many paths is looked at once.
  const lstat = lstatOnce();
  return {
    read: (path) => readDiskFile(root, path),
    link: (path) => {
      const at = linkedPart(root, path, lstat);
      if (at === undefined) return undefined;
      let target = '';
      try {
        target = readlinkSync(join(root, at));
      } catch {
        // Unreadable link: named without its target.
      }
      return { at, target };
    },
  };
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

/** The file on disk, if any; bytes that are not UTF-8 (or hold a NUL) are not text and are never merged line by line. */
export function readDiskFile(root: string, path: string): DiskContents | undefined {
  const absolute = join(root, path);
  let bytes: Buffer;
  try {
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    if (stat.isDirectory()) {
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
  return decodeFile(bytes);
}

/** A path the project holds as a symbolic link (or under one): the user's, never written through. */
function linkedChange(path: string, link: { readonly at: string; readonly target: string }): FileChange {
  const where = link.at === path ? 'it is a symbolic link' : `${link.at} is a symbolic link`;
  const target = link.target ? ` (to ${link.target})` : '';
  return {
    path,
    action: 'skip',
    reason: `${where}${target}, never written through: apply the template's change to the real file yourself if you want it`,
  };
}

/** A path the user's `.yo-resolve` marks `skip`: left exactly as it is, whatever the template does there. */
function skippedChange(path: string, resolution: Resolution): FileChange {
  return {
    path,
    action: 'skip',
    reason: `${resolution.source} says skip: left as it is; apply the template's change yourself if you want it`,
  };
}

/** The one producer of `.yo-rc.json`: the project state recorded as `next`, other generators' entries kept. */
export function stateFileChange(disk: ProjectDisk, next: ProjectState): FileChange | undefined {
  const onDisk = disk.read(STATE_FILE);
  return stateTextChange(typeof onDisk === 'string' ? onDisk : undefined, next);
}

/** The change from the .yo-rc.json text `current` (none: no file) to one recording `next`. */
export function stateTextChange(current: string | undefined, next: ProjectState): FileChange | undefined {
  const after = updateStateFile(current, next);
  if (after === current) return undefined;
  return current === undefined ? { path: STATE_FILE, action: 'create', after } : { path: STATE_FILE, action: 'update', before: current, after };
}

/**
 * A file that still holds the conflict markers of an earlier change is not merged into again: the markers would be
 * written back by a merge that reports no conflict. The command is refused until they are resolved.
 */
function refuseUnresolvedMarkers(changes: readonly FileChange[]): void {
  const unresolved = changes.filter(
    (change) => (change.action === 'merge' || change.action === 'conflict') && typeof change.before === 'string' && hasConflictMarkers(change.before),
  );
  if (unresolved.length === 0) return;
  throw new AegisError(
    [
      'These files still hold conflict markers from an earlier change, and this change would merge into them:',
      ...unresolved.map((change) => `  ${change.path}`),
      'Resolve them first (keep what you want between <<<<<<< and >>>>>>>, delete the markers), then run the command again. Nothing was changed.',
    ].join('\n'),
  );
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
  const templates = templateReads();
  const renderSide = (state: ProjectState): Map<string, FileContents> =>
    withoutState(render(state.answers, { generatorVersion: state.version, templates }));
  const base = change.beforeTree ? withoutState(change.beforeTree) : renderSide(change.before);
  const theirs = renderSide(change.after);
  const disk = change.disk ?? realDisk(change.root);
  // Paths left alone: a symbolic link (never written through), or one the user's .yo-resolve marks `skip`.
  const resolution = yoResolve((path) => {
    const contents = disk.read(path);
    return typeof contents === 'string' ? contents : undefined;
  });
  const leftAlone: FileChange[] = [];
  for (const path of new Set([...base.keys(), ...theirs.keys()])) {
    const link = disk.link(path);
    const resolved = link === undefined ? resolution(path) : undefined;
    if (link === undefined && resolved?.status !== 'skip') continue;
    const before = base.get(path);
    const after = theirs.get(path);
    const same = before !== undefined && after !== undefined && contentBytes(before).equals(contentBytes(after));
    if (!same && before !== after) leftAlone.push(link ? linkedChange(path, link) : skippedChange(path, resolved!));
    base.delete(path);
    theirs.delete(path);
  }
  const changes = reconcileTrees(base, theirs, (path) => disk.read(path), {
    ...(change.conflictStyle ? { conflictStyle: change.conflictStyle } : {}),
    ...(change.labels ? { labels: change.labels } : {}),
  });
  changes.push(...leftAlone);
  refuseUnresolvedMarkers(changes);
  const stateText = change.stateText;
  const stateDisk = stateText === undefined ? disk : { ...disk, read: (path: string) => (path === STATE_FILE ? stateText : disk.read(path)) };
  const stateChange = stateFileChange(stateDisk, change.after);
  if (stateChange) changes.push(stateChange);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function conflictedFiles(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => change.action === 'conflict');
}
