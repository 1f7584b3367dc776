import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackupPoint, gitToplevel, registerUnmerged, uncommittedPaths, unmergedPaths } from '../../shared/git.js';

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

  it('has no backup point before the first commit', () => {
    const top = join(scratch, 'unborn');
    mkdirSync(top);
    git(top, 'init', '-q');
    expect(createBackupPoint(top, 'aegis-update/none')).toBeUndefined();
  });
});
