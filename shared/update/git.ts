import { spawnSync } from 'node:child_process';
import { join, posix, relative, sep } from 'node:path';
import { AegisError } from '../errors.js';
import { contentBytes, type FileContents } from '../engine/reconcile.js';

function git(cwd: string, args: readonly string[], input?: string | Buffer): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) return { ok: false, stdout: '', stderr: result.error.message };
  return { ok: result.status === 0, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8') };
}

function gitOrFail(cwd: string, args: readonly string[], input?: string | Buffer): string {
  const result = git(cwd, args, input);
  if (!result.ok) throw new AegisError(`"git ${args.join(' ')}" failed in ${cwd}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** The top folder of the git work tree holding `root`, or undefined outside one (or without git). */
export function gitToplevel(root: string): string | undefined {
  const result = git(root, ['rev-parse', '--show-toplevel']);
  return result.ok ? result.stdout.trim() : undefined;
}

/** Files under `root` with changes git has not committed (modified, staged or untracked), relative to `root`. */
export function uncommittedPaths(root: string): string[] {
  const output = gitOrFail(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']);
  const top = gitToplevel(root)!;
  const paths: string[] = [];
  const records = output.split('\0');
  for (let index = 0; index < records.length; index += 1) {
    const record = records[index]!;
    if (record.length < 4) continue;
    paths.push(relative(root, join(top, record.slice(3))).split(sep).join('/'));
    if (record[0] === 'R' || record[0] === 'C') index += 1;
  }
  return paths.sort();
}

/** Files under `root` that git's index holds as unmerged (conflict stages), relative to `root`. */
export function unmergedPaths(root: string): string[] {
  const output = gitOrFail(root, ['ls-files', '--unmerged', '-z', '--', '.']);
  const paths = new Set<string>();
  for (const record of output.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab !== -1) paths.add(record.slice(tab + 1));
  }
  return [...paths].sort();
}

export interface BackupPoint {
  readonly ref: string;
  /** The commands that bring the project back to the backup, removing the files the update created. */
  readonly restore: string;
}

/** A word the shell reads as itself. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * `git clean` of exactly these project files, and nothing else untracked: literal paths, from the top of the work
 * tree when the project sits below it (so the command works anywhere in the repository).
 */
function cleanCommand(root: string, created: readonly string[]): string | undefined {
  if (created.length === 0) return undefined;
  const top = gitToplevel(root);
  const prefix = top === undefined ? '' : relative(top, root).split(sep).join('/');
  const paths = created.map((path) => (prefix ? `:(top,literal)${prefix}/${path}` : path));
  return `git clean -fx -- ${paths.map(shellWord).join(' ')}`;
}

/**
 * Tags the project's state before an update: HEAD, or with uncommitted changes a stash commit of them (made with
 * `git stash create`, which leaves the work tree and the stash list alone). Undefined when there is no commit yet.
 * `created` are the project files the update is about to create: undoing removes them (they are not in the tag).
 */
export function createBackupPoint(root: string, name: string, created: readonly string[] = []): BackupPoint | undefined {
  if (!git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']).ok) return undefined;
  const stash = gitOrFail(root, ['stash', 'create', `before ${name}`]).trim();
  const ref = `refs/tags/${name}`;
  gitOrFail(root, ['update-ref', ref, stash || 'HEAD']);
  const tag = name;
  const clean = cleanCommand(root, created);
  const steps = stash ? ['git reset --hard', clean, `git stash apply ${tag}`] : [`git reset --hard ${tag}`, clean];
  return { ref: tag, restore: steps.filter((step): step is string => step !== undefined).join(' && ') };
}

export interface ConflictStages {
  readonly path: string;
  readonly base?: FileContents;
  readonly ours: FileContents;
  readonly theirs: FileContents;
}

/**
 * Registers conflicted files in git's index with their base (1), ours (2) and theirs (3) stages, as a merge does:
 * `git status` shows them unmerged, `git mergetool` and IDE merge editors open a 3-way view, and `git add` after
 * resolving clears them.
 */
export function registerUnmerged(root: string, conflicts: readonly ConflictStages[]): void {
  if (conflicts.length === 0) return;
  const top = gitToplevel(root);
  if (!top) return;
  const hash = (contents: FileContents): string => gitOrFail(top, ['hash-object', '-w', '--stdin'], contentBytes(contents)).trim();
  const lines: string[] = [];
  for (const conflict of conflicts) {
    const path = posix.normalize(relative(top, join(root, conflict.path)).split(sep).join('/'));
    const staged = git(top, ['ls-files', '--stage', '--', path]).stdout.split(' ')[0];
    const mode = staged && /^1[0-9]{5}$/.test(staged) ? staged : '100644';
    lines.push(`0 ${'0'.repeat(40)}\t${path}`);
    if (conflict.base !== undefined) lines.push(`${mode} ${hash(conflict.base)} 1\t${path}`);
    lines.push(`${mode} ${hash(conflict.ours)} 2\t${path}`, `${mode} ${hash(conflict.theirs)} 3\t${path}`);
  }
  gitOrFail(top, ['update-index', '--index-info'], `${lines.join('\n')}\n`);
}

/** Deletes a backup point again (a change that failed before writing anything needs none). */
export function dropBackupPoint(root: string, backup: BackupPoint): void {
  git(root, ['update-ref', '-d', `refs/tags/${backup.ref}`]);
}
