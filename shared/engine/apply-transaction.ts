import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AegisError } from '../errors.js';
import { describeFileError } from '../system-error.js';

/** One file to write (contents) or delete (no contents), project-relative with `/`. */
export interface FileWrite {
  readonly path: string;
  readonly contents?: Buffer;
}

/** Where the journal of a change in progress lives: its presence means the change did not finish. */
export const JOURNAL_FILE = '.aegis-journal.json';

interface JournalEntry {
  readonly path: string;
  /** sha256 of the new contents; absent for a delete. */
  readonly sha256?: string;
  /** The file existed: a hard link (or copy) of it is kept at `backup` until the change is over. */
  readonly existed: boolean;
}

interface Journal {
  readonly id: string;
  readonly entries: readonly JournalEntry[];
  /** Folders this change creates, outermost first. */
  readonly createdFolders: readonly string[];
  /** Every file is in place, the state file included: finishing means only removing the backups. */
  readonly committed: boolean;
}

export interface ApplyHooks {
  /** Called after every step that changes the disk (tests kill or throw here). */
  readonly afterStep?: (step: string) => void;
}

const stagedName = (path: string, id: string): string => `${path}.aegis-new-${id}`;
const backupName = (path: string, id: string): string => `${path}.aegis-old-${id}`;

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Test knob: a pause after each step of the commit, so a kill can land between any two of them. */
function faultDelay(): void {
  const ms = Number(process.env.AEGIS_FAULT_DELAY_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function writeJournal(root: string, journal: Journal): void {
  const file = join(root, JOURNAL_FILE);
  try {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(journal, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    removeIfPresent(`${file}.tmp`);
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT';
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

type Lstat = (file: string) => Stats | undefined;

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** An lstat that looks at each file once: for checks over a disk that nothing changes meanwhile. */
export function lstatOnce(): Lstat {
  const seen = new Map<string, Stats | undefined>();
  return (file) => {
    if (!seen.has(file)) seen.set(file, lstatOrUndefined(file));
    return seen.get(file);
  };
}

/**
 * The first part of `path` (itself or one of its folders inside `root`) that is a symbolic link, if any.
 * Nothing is ever written through one: it may point out of the project.
 */
export function linkedPart(root: string, path: string, lstat: Lstat = lstatOrUndefined): string | undefined {
  const parts = path.split('/');
  for (let index = 1; index <= parts.length; index += 1) {
    const prefix = parts.slice(0, index).join('/');
    const stat = lstat(join(root, prefix));
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) return prefix;
  }
  return undefined;
}

function checkPath(root: string, path: string, lstat: Lstat): void {
  const absolute = join(root, path);
  const inside = relative(root, absolute);
  if (path === '' || inside.startsWith('..') || inside.split(sep).includes('..') || absolute === root) {
    throw new AegisError(`Refusing to write ${path}: it is not inside the project ${root}.`);
  }
  const link = linkedPart(root, path, lstat);
  if (link !== undefined) {
    throw new AegisError(
      `${join(root, link)} is a symbolic link, and ${path} would be written through it: nothing was changed. ` +
        'Replace the link with a real file or folder, or move it away, and run the command again.',
    );
  }
}

/** The folders to create for these files, outermost first; refuses a file where a folder must go. */
function foldersToCreate(root: string, paths: readonly string[], lstat: Lstat): string[] {
  const missing = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/').slice(0, -1);
    for (let index = 1; index <= parts.length; index += 1) {
      const folder = parts.slice(0, index).join('/');
      const stat = lstat(join(root, folder));
      if (!stat) {
        missing.add(folder);
        continue;
      }
      if (!stat.isDirectory()) {
        throw new AegisError(
          `${join(root, folder)} is a file, but the template has a folder there (for ${path}): rename or move the file, ` +
            'then run the command again. Nothing was changed.',
        );
      }
    }
  }
  return [...missing].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
}

/** A hard link keeps the old bytes at no cost; a file system without them gets a copy. */
function keepBackup(source: string, backup: string): void {
  try {
    linkSync(source, backup);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') throw error;
    copyFileSync(source, backup);
  }
}

/** Opens an existing file for writing and closes it again: an immutable or read-only file fails here, early. */
function assertWritable(file: string): void {
  closeSync(openSync(file, 'r+'));
}

function removeEmptyFolder(folder: string): void {
  try {
    if (readdirSync(folder).length === 0) rmdirSync(folder);
  } catch {
    // Already gone, or holds something that is not ours.
  }
}

/** rename() between two links of one file does nothing (POSIX): then the backup is only a spare name. */
function restoreBackup(backup: string, target: string): void {
  const kept = lstatSync(backup);
  const now = lstatOrUndefined(target);
  if (now && now.ino === kept.ino && now.dev === kept.dev) unlinkSync(backup);
  else renameSync(backup, target);
}

/** Puts every file back as it was before the journal's change, and removes what the change added. */
function rollBack(root: string, journal: Journal): void {
  for (const entry of [...journal.entries].reverse()) {
    const target = join(root, entry.path);
    const backup = backupName(target, journal.id);
    removeIfPresent(stagedName(target, journal.id));
    if (entry.existed) {
      if (existsSync(backup)) restoreBackup(backup, target);
    } else if (entry.sha256 !== undefined && lstatOrUndefined(target)?.isFile()) {
      if (sha256(readFileSync(target)) === entry.sha256) unlinkSync(target);
    }
  }
  for (const folder of [...journal.createdFolders].reverse()) removeEmptyFolder(join(root, folder));
  removeIfPresent(join(root, JOURNAL_FILE));
}

/** Removes the backups of a change that is in place: the last step of every change. */
function rollForward(root: string, journal: Journal): void {
  for (const entry of journal.entries) {
    const target = join(root, entry.path);
    removeIfPresent(stagedName(target, journal.id));
    removeIfPresent(backupName(target, journal.id));
  }
  removeIfPresent(join(root, JOURNAL_FILE));
}

function readJournal(root: string): Journal | undefined {
  const file = join(root, JOURNAL_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const journal = JSON.parse(text) as Journal;
    if (typeof journal.id !== 'string' || !Array.isArray(journal.entries) || !Array.isArray(journal.createdFolders)) {
      throw new Error('missing fields');
    }
    return journal;
  } catch {
    throw new AegisError(
      `${file} is damaged, so an interrupted change cannot be undone automatically: restore the project from version ` +
        `control (git status shows what changed; files ending in .aegis-old-* hold the previous contents), then delete ${file}.`,
    );
  }
}

/**
 * Finishes what an interrupted command left: rolled forward when every file (the state file last) was in place,
 * else rolled back to the tree before it. Returns a line saying which, or nothing when no change was interrupted.
 */
export function recoverInterruptedChange(root: string): string | undefined {
  removeIfPresent(join(root, `${JOURNAL_FILE}.tmp`));
  const journal = readJournal(root);
  if (!journal) return undefined;
  if (journal.committed) {
    rollForward(root, journal);
    return `An interrupted change in ${root} had written every file: it is now complete.`;
  }
  rollBack(root, journal);
  return `An interrupted change in ${root} was rolled back: the project is as it was before that command.`;
}

function wrapFailure(error: unknown, root: string, path: string | undefined): Error {
  if (error instanceof AegisError) return error;
  const described = describeFileError(error, path === undefined ? root : join(root, path));
  return new AegisError(`${described.endsWith('.') ? described : `${described}.`} Nothing was changed.`);
}

/**
 * Writes and deletes every file, or none: each new file is first written beside its target (so permissions and
 * space fail before anything is replaced), the old contents kept as hard links, and a journal records the change;
 * then the files are renamed into place, `lastPath` (the project state) last. A failure rolls everything back;
 * a kill leaves the journal, and `recoverInterruptedChange` finishes or undoes the change on the next command.
 */
export function applyAtomically(rootDir: string, writes: readonly FileWrite[], lastPath?: string, hooks: ApplyHooks = {}): void {
  if (writes.length === 0) return;
  let created: string | undefined;
  if (!existsSync(rootDir)) {
    try {
      created = mkdirSync(rootDir, { recursive: true });
    } catch (error) {
      throw wrapFailure(error, rootDir, undefined);
    }
  }
  const root = realpathSync(rootDir);
  if (readJournal(root)) {
    throw new AegisError(`${join(root, JOURNAL_FILE)}: another change is in progress or was interrupted; run the command again to recover it.`);
  }
  const ordered = [...writes].sort((a, b) => Number(a.path === lastPath) - Number(b.path === lastPath));
  const step = (name: string): void => {
    faultDelay();
    hooks.afterStep?.(name);
  };
  let journal: Journal | undefined;
  let current: string | undefined;
  // Until the journal is written, nothing on disk changes.
  const lstatBeforeChange = lstatOnce();
  try {
    for (const write of ordered) {
      current = write.path;
      checkPath(root, write.path, lstatBeforeChange);
      const stat = lstatBeforeChange(join(root, write.path));
      if (stat?.isDirectory()) {
        throw new AegisError(
          `${join(root, write.path)} is a folder, but the template has a file there: rename the folder and run the command again. Nothing was changed.`,
        );
      }
    }
    current = undefined;
    const createdFolders = foldersToCreate(
      root,
      ordered.filter((write) => write.contents !== undefined).map((write) => write.path),
      lstatBeforeChange,
    );
    const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
    const entries: JournalEntry[] = ordered.map((write) => ({
      path: write.path,
      existed: lstatBeforeChange(join(root, write.path)) !== undefined,
      ...(write.contents !== undefined ? { sha256: sha256(write.contents) } : {}),
    }));
    journal = { id, entries, createdFolders, committed: false };
    writeJournal(root, journal);
    step('journal');
    for (const folder of createdFolders) {
      current = folder;
      mkdirSync(join(root, folder));
    }
    step('folders');
    for (const [index, write] of ordered.entries()) {
      current = write.path;
      const target = join(root, write.path);
      if (entries[index]!.existed) {
        assertWritable(target);
        keepBackup(target, backupName(target, id));
      }
      if (write.contents !== undefined) {
        const mode = entries[index]!.existed ? statSync(target).mode & 0o7777 : undefined;
        writeFileSync(stagedName(target, id), write.contents, mode === undefined ? {} : { mode });
      }
      step(`stage ${write.path}`);
    }
    for (const write of ordered) {
      current = write.path;
      const target = join(root, write.path);
      if (write.contents === undefined) unlinkSync(target);
      else renameSync(stagedName(target, id), target);
      step(`place ${write.path}`);
    }
    current = undefined;
    journal = { ...journal, committed: true };
    writeJournal(root, journal);
    step('commit');
  } catch (error) {
    // Past the commit every file is in place: what is left is cleaning up, which the next command redoes.
    if (journal?.committed) return finish(root, journal, ordered);
    if (journal) {
      try {
        rollBack(root, journal);
      } catch {
        throw new AegisError(
          `${wrapFailure(error, root, current).message.replace(/ Nothing was changed\.$/, '')} The change could not be undone ` +
            `either: run the command again to roll it back from ${join(root, JOURNAL_FILE)}.`,
        );
      }
    }
    if (created !== undefined) removeCreatedRoot(resolve(rootDir), created);
    throw wrapFailure(error, root, current);
  }
  finish(root, journal, ordered);
}

function finish(root: string, journal: Journal, writes: readonly FileWrite[]): void {
  try {
    rollForward(root, journal);
  } catch {
    return;
  }
  removeFoldersLeftEmpty(root, writes.filter((write) => write.contents === undefined).map((write) => write.path));
}

/** Removes the project folder a failed change created, and the folders above it that it created too. */
function removeCreatedRoot(root: string, first: string): void {
  for (let folder = root; folder.length >= first.length; folder = dirname(folder)) {
    removeEmptyFolder(folder);
    if (folder === first || folder === dirname(folder)) break;
  }
}

/** Removes the folders that deleting these files left empty, up to (not including) the project root. */
export function removeFoldersLeftEmpty(root: string, deleted: readonly string[]): void {
  const candidates = new Set<string>();
  for (const path of deleted) {
    let folder = dirname(join(root, path));
    while (folder !== root && !relative(root, folder).startsWith('..') && folder.includes(sep)) {
      candidates.add(folder);
      folder = dirname(folder);
    }
  }
  for (const folder of [...candidates].sort((a, b) => b.length - a.length)) removeEmptyFolder(folder);
}
