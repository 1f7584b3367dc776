import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackupPoint, gitToplevel, registerUnmerged, uncommittedPaths, unmergedPaths } from '../../shared/update/git.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-git-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** A repository whose project sits in a subfolder, as in a monorepo. */
function repository(name: string): { top: string; project: string } {
  const top = join(scratch, name);
  const project = join(top, 'services', 'api');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'a.txt'), 'one\n');
  git(top, 'init', '-q');
  git(top, 'add', '-A');
  git(top, 'commit', '-qm', 'init');
  return { top, project };
}

describe('git helpers', () => {
  it('finds the work tree, and nothing outside one', () => {
    const { top, project } = repository('find');
    expect(gitToplevel(project)).toBe(top);
    expect(gitToplevel(tmpdir())).toBeUndefined();
  });

  it('lists uncommitted files relative to the project, untracked ones included', () => {
    const { project } = repository('dirty');
    expect(uncommittedPaths(project)).toEqual([]);
    writeFileSync(join(project, 'a.txt'), 'two\n');
    writeFileSync(join(project, 'new.txt'), 'new\n');
    expect(uncommittedPaths(project)).toEqual(['a.txt', 'new.txt']);
  });

  it('registers conflicts as unmerged index stages that git status, checkout --theirs and add understand', () => {
    const { project } = repository('unmerged');
    writeFileSync(join(project, 'a.txt'), '<<<<<<< ours\nmine\n=======\ntheirs\n>>>>>>> template\n');
    registerUnmerged(project, [
      { path: 'a.txt', base: 'one\n', ours: 'mine\n', theirs: 'theirs\n' },
      { path: 'added.bin', ours: { binary: Buffer.from([0, 1]) }, theirs: { binary: Buffer.from([0, 2]) } },
    ]);
    writeFileSync(join(project, 'added.bin'), Buffer.from([0, 1]));
    const stages = git(project, 'ls-files', '-u').trim().split('\n').map((line) => line.split(/\s+/).slice(2).join(' '));
    expect(stages).toEqual(['1 a.txt', '2 a.txt', '3 a.txt', '2 added.bin', '3 added.bin']);
    expect(git(project, 'status', '--porcelain', '--', '.')).toContain('UU services/api/a.txt');
    expect(git(project, 'status', '--porcelain', '--', '.')).toContain('AA services/api/added.bin');
    expect(unmergedPaths(project)).toEqual(['a.txt', 'added.bin']);
    git(project, 'checkout', '--theirs', '--', 'a.txt');
    expect(readFileSync(join(project, 'a.txt'), 'utf8')).toBe('theirs\n');
    git(project, 'add', 'a.txt', 'added.bin');
    expect(unmergedPaths(project)).toEqual([]);
  });

  it('tags HEAD as the backup of a clean tree, and a stash commit of uncommitted changes otherwise', () => {
    const { project } = repository('backup');
    const clean = createBackupPoint(project, 'aegis-update/clean');
    expect(clean?.restore).toBe('git reset --hard aegis-update/clean');
    expect(git(project, 'rev-parse', 'aegis-update/clean')).toBe(git(project, 'rev-parse', 'HEAD'));
    writeFileSync(join(project, 'a.txt'), 'edited\n');
    const dirty = createBackupPoint(project, 'aegis-update/dirty');
    expect(dirty?.restore).toBe('git reset --hard && git stash apply aegis-update/dirty');
    expect(git(project, 'show', 'aegis-update/dirty:services/api/a.txt')).toBe('edited\n');
    expect(readFileSync(join(project, 'a.txt'), 'utf8')).toBe('edited\n');
    expect(git(project, 'stash', 'list')).toBe('');
  });

  it('undoes completely: the restore command removes the files the update created and keeps your own untracked ones', () => {
    const { top, project } = repository('undo');
    writeFileSync(join(project, 'mine.txt'), 'my notes\n');
    const backup = createBackupPoint(project, 'aegis-update/undo', ['new.txt', 'app/new file.py']);
    expect(backup?.restore).toBe(
      "git reset --hard aegis-update/undo && git clean -fx -- ':(top,literal)services/api/new.txt' ':(top,literal)services/api/app/new file.py'",
    );
    // The update: an edit, and two new files.
    writeFileSync(join(project, 'a.txt'), 'updated\n');
    writeFileSync(join(project, 'new.txt'), 'new\n');
    mkdirSync(join(project, 'app'));
    writeFileSync(join(project, 'app', 'new file.py'), 'x = 1\n');
    // Run from the top of the repository: the paths are the top's.
    const undo = spawnSync('sh', ['-c', backup!.restore], { cwd: top, encoding: 'utf8' });
    expect(undo.status, undo.stderr).toBe(0);
    expect(readFileSync(join(project, 'a.txt'), 'utf8')).toBe('one\n');
    expect(existsSync(join(project, 'new.txt'))).toBe(false);
    expect(existsSync(join(project, 'app', 'new file.py'))).toBe(false);
    expect(uncommittedPaths(project)).toEqual(['mine.txt']);
  });

  it('undoes an update made with uncommitted changes: created files go, the stashed edits come back', () => {
    const top = join(scratch, 'undo-forced');
    mkdirSync(top);
    writeFileSync(join(top, 'a.txt'), 'one\n');
    git(top, 'init', '-q');
    git(top, 'add', '-A');
    git(top, 'commit', '-qm', 'init');
    writeFileSync(join(top, 'a.txt'), 'my edit\n');
    const backup = createBackupPoint(top, 'aegis-update/forced', ['created.txt']);
    expect(backup?.restore).toBe('git reset --hard && git clean -fx -- created.txt && git stash apply aegis-update/forced');
    writeFileSync(join(top, 'a.txt'), 'my edit\nand the template\n');
    writeFileSync(join(top, 'created.txt'), 'new\n');
    const undo = spawnSync('sh', ['-c', backup!.restore], { cwd: top, encoding: 'utf8' });
    expect(undo.status, undo.stderr).toBe(0);
    expect(readFileSync(join(top, 'a.txt'), 'utf8')).toBe('my edit\n');
    expect(existsSync(join(top, 'created.txt'))).toBe(false);
    expect(uncommittedPaths(top)).toEqual(['a.txt']);
  });

  it('has no backup point before the first commit', () => {
    const top = join(scratch, 'unborn');
    mkdirSync(top);
    git(top, 'init', '-q');
    expect(createBackupPoint(top, 'aegis-update/none')).toBeUndefined();
  });
});
