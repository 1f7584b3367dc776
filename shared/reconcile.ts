import { type ConflictStyle, lineEnding, mergeText } from './line-merge.js';

/** What happens to one file. */
export type FileAction =
  /** A file the template adds, not on disk yet. */
  | 'create'
  /** The user never touched it: it follows the template. */
  | 'update'
  /** Both changed it, on different lines: merged. */
  | 'merge'
  /** Both changed the same lines: written with conflict markers. */
  | 'conflict'
  /** The template no longer has it and the user never touched it. */
  | 'delete'
  /** The template no longer has it, but the user changed it: left in place. */
  | 'keep'
  /** The template changes a file the user deleted: left deleted. */
  | 'skip';

export interface FileChange {
  readonly path: string;
  readonly action: FileAction;
  /** What is on disk now (absent for a new file). */
  readonly before?: string;
  /** What the file will hold (absent when it is deleted, kept or skipped). */
  readonly after?: string;
  /** Conflict blocks written into `after`. */
  readonly conflicts?: number;
  /** Why a file is kept, skipped or in conflict without markers. */
  readonly reason?: string;
}

/** A file on disk: text, or bytes that are not text (never merged line by line). */
export type DiskContents = string | { readonly binary: Buffer };

export interface ReconcileOptions {
  readonly conflictStyle?: ConflictStyle;
}

function sameIgnoringLineEndings(ours: string, expected: string): boolean {
  return ours === expected || (lineEnding(ours) === '\r\n' && ours.replace(/\r\n/g, '\n') === expected);
}

/** A template text written with the line endings the user's copy uses. */
function inUserLineEndings(text: string, ours: string): string {
  return lineEnding(ours) === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * reconcile(base, theirs, ours) for one path: base = the template's render before the change, theirs = after it,
 * ours = the file on disk. Returns nothing when the file stays as it is.
 */
export function reconcileFile(
  path: string,
  base: string | undefined,
  theirs: string | undefined,
  ours: DiskContents | undefined,
  options: ReconcileOptions = {},
): FileChange | undefined {
  if (base === theirs) return undefined;
  if (ours === undefined) {
    if (theirs === undefined) return undefined;
    if (base === undefined) return { path, action: 'create', after: theirs };
    return { path, action: 'skip', reason: 'you deleted it; the template would have changed it' };
  }
  if (typeof ours !== 'string') {
    const reason = 'binary file changed on both sides: yours is kept, the template version is not applied';
    return { path, action: 'keep', reason };
  }
  if (theirs === undefined) {
    if (base !== undefined && sameIgnoringLineEndings(ours, base)) return { path, action: 'delete', before: ours };
    return { path, action: 'keep', before: ours, reason: 'you changed it; delete it yourself once you no longer need it' };
  }
  if (sameIgnoringLineEndings(ours, theirs)) return undefined;
  if (base !== undefined && sameIgnoringLineEndings(ours, base)) {
    return { path, action: 'update', before: ours, after: inUserLineEndings(theirs, ours) };
  }
  const merged = mergeText(ours, base ?? '', theirs, { style: options.conflictStyle ?? 'merge' });
  if (merged.text === ours) return undefined;
  if (merged.conflicts > 0) {
    return { path, action: 'conflict', before: ours, after: merged.text, conflicts: merged.conflicts };
  }
  return { path, action: 'merge', before: ours, after: merged.text };
}

/** Reconciles every path either render has, in path order. */
export function reconcileTrees(
  base: ReadonlyMap<string, string>,
  theirs: ReadonlyMap<string, string>,
  readOurs: (path: string) => DiskContents | undefined,
  options: ReconcileOptions = {},
): FileChange[] {
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  const changes: FileChange[] = [];
  for (const path of paths) {
    const change = reconcileFile(path, base.get(path), theirs.get(path), readOurs(path), options);
    if (change) changes.push(change);
  }
  return changes;
}
