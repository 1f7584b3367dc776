import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INITIAL_COMMIT_MESSAGE, createInitialCommit } from '../../shared/project/git-repository.js';

const scratch = mkdtempSync(join(tmpdir(), 'aegis-git-init-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A git that reads no global or system config but this folder's own, with the identity given. */
function environment(name: string, identity: string): NodeJS.ProcessEnv {
  const home = join(scratch, `home-${name}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.gitconfig'), identity);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
  return env;
}

const IDENTITY = '[user]\n\tname = Dev\n\temail = dev@example.com\n';

function project(name: string): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(join(root, 'app', 'main.py'), 'print("hi")\n');
  writeFileSync(join(root, '.gitignore'), '.venv/\n');
  mkdirSync(join(root, '.venv'));
  writeFileSync(join(root, '.venv', 'pyvenv.cfg'), 'home = /usr\n');
  return root;
}

function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('init\'s git repository', () => {
  it('creates a repository on main whose first commit holds the project, ignored files left out', () => {
    const env = environment('fresh', IDENTITY);
    const root = project('fresh');
    const lines = createInitialCommit(root, env);
    expect(lines.join('\n')).toContain('first commit');
    expect(git(root, env, 'log', '--format=%an <%ae> %s').stdout).toBe(`Dev <dev@example.com> ${INITIAL_COMMIT_MESSAGE}\n`);
    expect(git(root, env, 'branch', '--show-current').stdout).toBe('main\n');
    expect(git(root, env, 'ls-files').stdout.split('\n').filter(Boolean)).toEqual(['.gitignore', 'app/main.py']);
    expect(git(root, env, 'status', '--porcelain').stdout).toBe('');
  });

  it('keeps the branch name the user configured', () => {
    const env = environment('branch', `${IDENTITY}[init]\n\tdefaultBranch = trunk\n`);
    const root = project('branch');
    createInitialCommit(root, env);
    expect(git(root, env, 'branch', '--show-current').stdout).toBe('trunk\n');
  });

  it('creates no repository inside an existing work tree', () => {
    const env = environment('inside', IDENTITY);
    const top = join(scratch, 'monorepo');
    mkdirSync(top);
    expect(git(top, env, 'init', '-q').status).toBe(0);
    const root = join(top, 'services');
    mkdirSync(root);
    writeFileSync(join(root, 'a.txt'), 'a\n');
    const lines = createInitialCommit(root, env);
    expect(lines.join('\n')).toContain(`git work tree ${top}`);
    expect(git(root, env, 'rev-parse', '--show-toplevel').stdout.trim()).toBe(top);
    expect(git(top, env, 'rev-parse', '--verify', '--quiet', 'HEAD').status).not.toBe(0);
  });

  it('without a configured identity: stages the project, commits nothing and says what to set', () => {
    const env = environment('anonymous', '');
    const root = project('anonymous');
    const lines = createInitialCommit(root, env).join('\n');
    expect(lines).toContain('no user.name and user.email');
    expect(lines).toContain('git config --global user.name');
    expect(git(root, env, 'rev-parse', '--verify', '--quiet', 'HEAD').status).not.toBe(0);
    expect(git(root, env, 'diff', '--cached', '--name-only').stdout).toBe('.gitignore\napp/main.py\n');
    expect(git(root, env, 'config', '--get', 'user.name').stdout).toBe('');
  });

  it('without git on PATH: creates nothing and says how to do it by hand', () => {
    const env = { ...environment('nogit', IDENTITY), PATH: join(scratch, 'empty-bin') };
    const root = project('nogit');
    const lines = createInitialCommit(root, env).join('\n');
    expect(lines).toContain('git was not found on PATH');
    expect(lines).toContain('git init && git add -A && git commit');
    expect(spawnSync('ls', ['-A', root], { encoding: 'utf8' }).stdout).not.toContain('.git\n');
  });
});
