import { type ConflictStyle, type MergeLabels, lineEnding, mergeText } from './line-merge.js';

/** What happens to one file. */
export type FileAction =
  /** A file the template adds, not on disk yet. */
  | 'create'
  /** The user never touched it: it follows the template. */
  | 'update'
  /** Both changed it, on different lines: merged. */
  | 'merge'
  /** Both changed the same lines: written with conflict markers (a binary file is left as the user has it). */
  | 'conflict'
  /** The template no longer has it and the user never touched it. */
  | 'delete'
  /** The template no longer has it, but the user changed it: left in place. */
  | 'keep'
  /** The template changes a file the user deleted: left deleted. */
  | 'skip';

/** A file's contents: text, or bytes that are not UTF-8 text (never merged line by line); see decodeFile. */
export type FileContents = string | { readonly binary: Buffer };
export { decodeFile } from './file-contents.js';
/** A file on disk. */
export type DiskContents = FileContents;

export interface FileChange {
  readonly path: string;
  readonly action: FileAction;
  /** What is on disk now (absent for a new file). */
  readonly before?: FileContents;
  /** What the file will hold (absent when it is deleted, kept or skipped, or a binary conflict). */
  readonly after?: FileContents;
  /** The three sides of a conflict, for git's index (base absent when both sides added the file). */
  readonly sides?: { readonly base?: FileContents; readonly ours: FileContents; readonly theirs: FileContents };
  /** Conflict blocks written into `after`. */
  readonly conflicts?: number;
  /** Why a file is kept, skipped or in conflict without markers. */
  readonly reason?: string;
}

export interface ReconcileOptions {
  readonly conflictStyle?: ConflictStyle;
  readonly labels?: MergeLabels;
}

export function isBinary(contents: FileContents): contents is { readonly binary: Buffer } {
  return typeof contents !== 'string';
}

/** The bytes of a file's contents (text as UTF-8). */
export function contentBytes(contents: FileContents): Buffer {
  return isBinary(contents) ? contents.binary : Buffer.from(contents, 'utf8');
}

/** Equal contents; a CRLF copy of an LF text counts as equal (a checkout with autocrlf is not an edit). */
export function sameContents(ours: FileContents, expected: FileContents | undefined): boolean {
  if (expected === undefined) return false;
  if (isBinary(ours) || isBinary(expected)) return contentBytes(ours).equals(contentBytes(expected));
  return ours === expected || (lineEnding(ours) === '\r\n' && ours.replace(/\r\n/g, '\n') === expected);
}

/** A template text written with the line endings the user's copy uses. */
function inUserLineEndings(contents: FileContents, ours: FileContents): FileContents {
  if (isBinary(contents) || isBinary(ours)) return contents;
  return lineEnding(ours) === '\r\n' ? contents.replace(/\r?\n/g, '\r\n') : contents;
}

function notTextReason(ours: FileContents, theirs: FileContents): string {
  if (isBinary(ours) && !isBinary(theirs)) {
    const kind = ours.binary.includes(0) ? 'holds NUL bytes' : 'is not valid UTF-8 (another encoding, such as Latin-1?)';
    return (
      `your copy ${kind}, so it cannot be merged line by line: it is kept byte for byte and the template's change ` +
      'was not applied; convert the file to UTF-8 and run the command again, or apply the change yourself'
    );
  }
  return 'not text, changed on both sides: yours is kept as it is; the template version was not applied';
}

/**
 * reconcile(base, theirs, ours) for one path: base = the template's render before the change, theirs = after it,
 * ours = the file on disk. Returns nothing when the file stays as it is.
 */
export function reconcileFile(
  path: string,
  base: FileContents | undefined,
  theirs: FileContents | undefined,
  ours: FileContents | undefined,
  options: ReconcileOptions = {},
): FileChange | undefined {
  if (base === theirs || (base !== undefined && theirs !== undefined && contentBytes(base).equals(contentBytes(theirs)))) {
    return undefined;
  }
  if (ours === undefined) {
    if (theirs === undefined) return undefined;
    if (base === undefined) return { path, action: 'create', after: theirs };
    return { path, action: 'skip', reason: 'you deleted it; the template would have changed it' };
  }
  if (theirs === undefined) {
    if (sameContents(ours, base)) return { path, action: 'delete', before: ours };
    return { path, action: 'keep', before: ours, reason: 'you changed it; delete it yourself once you no longer need it' };
  }
  if (sameContents(ours, theirs)) return undefined;
  if (sameContents(ours, base)) return { path, action: 'update', before: ours, after: inUserLineEndings(theirs, ours) };
  const sides = { ...(base === undefined ? {} : { base }), ours, theirs };
  if (isBinary(ours) || isBinary(theirs) || (base !== undefined && isBinary(base))) {
    return { path, action: 'conflict', before: ours, sides, conflicts: 0, reason: notTextReason(ours, theirs) };
  }
  const merged = mergeText(ours, base ?? '', theirs, {
    style: options.conflictStyle ?? 'merge',
    ...(options.labels ? { labels: options.labels } : {}),
  });
  if (merged.text === ours) return undefined;
  if (merged.conflicts > 0) {
    return { path, action: 'conflict', before: ours, after: merged.text, sides, conflicts: merged.conflicts };
  }
  return { path, action: 'merge', before: ours, after: merged.text };
}

/** Reconciles every path either render has, in path order. */
export function reconcileTrees(
  base: ReadonlyMap<string, FileContents>,
  theirs: ReadonlyMap<string, FileContents>,
  readOurs: (path: string) => FileContents | undefined,
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
