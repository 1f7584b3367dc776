import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBin, mustRun, run, tempDir } from '../support/processes.js';

// Every bad input, run through the built bin with no terminal, must fail alone: a non-zero exit, one "error:" line
// that names the problem (never the internal-error line), and not one byte, mode or link changed, .git included.

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const ENV = { ...process.env, ...GIT_ENV, NO_COLOR: '1', AEGIS_CACHE_DIR: '/nonexistent-aegis-cache' };

/** path → mode, and the symlink target or the content hash, for every entry under `dir`. */
function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stats = lstatSync(path);
      const key = relative(dir, path);
      if (stats.isSymbolicLink()) entries.set(key, `link ${stats.mode.toString(8)} -> ${readlinkSync(path)}`);
      else if (stats.isDirectory()) {
        entries.set(key, `dir ${stats.mode.toString(8)}`);
        walk(path);
      } else entries.set(key, `file ${stats.mode.toString(8)} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(dir);
  return entries;
}

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Run in the folder holding the project (`demo`) instead of the project. */
  readonly outside?: boolean;
  /** Breaks the copy before the run; `dir` is the project (or, with `outside`, the folder holding it). */
  readonly setup?: (dir: string) => void;
  /** What the error line must say. */
  readonly says: RegExp;
}

const writeState = (dir: string, edit: (entry: Record<string, unknown>) => void): void => {
  const file = join(dir, '.yo-rc.json');
  const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  edit(document['generator-aegis']!);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
};

const CASES: readonly Case[] = [
  // init
  { name: 'init without --yes and no terminal', args: ['init', 'fresh'], outside: true, says: /No terminal.*--yes/ },
  { name: 'init with an invalid name', args: ['init', 'Bad Name', '--yes', '--skip-install'], outside: true, says: /Bad Name/ },
  { name: 'init with a name starting with a digit', args: ['init', '1abc', '--yes', '--skip-install'], outside: true, says: /1abc/ },
  { name: 'init into a non-empty folder', args: ['init', 'demo', '--yes', '--skip-install'], outside: true, says: /not empty.*--force/ },
  { name: 'init where the name is a file', args: ['init', 'afile', '--yes', '--skip-install'], outside: true, setup: (dir) => writeFileSync(join(dir, 'afile'), 'x'), says: /afile exists and is not a folder/ },
  { name: 'init -o a file (ENOTDIR)', args: ['init', 'x', '-o', 'afile', '--yes', '--skip-install'], outside: true, setup: (dir) => writeFileSync(join(dir, 'afile'), 'x'), says: /afile is a file.*--output-dir/ },
  { name: 'init with a name too long for the file system', args: ['init', `a${'b'.repeat(300)}`, '--yes', '--skip-install'], outside: true, says: /ab+/ },
  { name: 'init with an unknown component', args: ['init', 'x', '--yes', '--skip-install', '--components', 'nosuch'], outside: true, says: /nosuch/ },
  { name: 'init with an unknown component option', args: ['init', 'x', '--yes', '--skip-install', '--components', 'scheduler[bogus]'], outside: true, says: /bogus.*scheduler/ },
  { name: 'init with conflicting component options', args: ['init', 'x', '--yes', '--skip-install', '--components', 'scheduler[memory,sqlite]'], outside: true, says: /Conflicting options/ },
  { name: 'init with an unreadable component entry', args: ['init', 'x', '--yes', '--skip-install', '--components', 'sched uler'], outside: true, says: /Cannot read "sched uler"/ },
  { name: 'init with an unknown service', args: ['init', 'x', '--yes', '--skip-install', '--services', 'nosuch'], outside: true, says: /nosuch/ },
  { name: 'init with a component given as a service', args: ['init', 'x', '--yes', '--skip-install', '--services', 'scheduler'], outside: true, says: /scheduler/ },
  { name: 'init with an unsupported Python', args: ['init', 'x', '--yes', '--skip-install', '--python-version', '2.7'], outside: true, says: /Unsupported Python version "2.7"/ },
  { name: 'init with an unknown flag', args: ['init', 'x', '--yes', '--bogus'], outside: true, says: /unknown option '--bogus'/ },
  // add
  { name: 'add an empty name', args: ['add', ''], says: /Nothing to add/ },
  { name: 'add only commas and blanks', args: ['add', ' , '], says: /Nothing to add/ },
  { name: 'add an unknown name', args: ['add', 'nosuch'], says: /nosuch/ },
  { name: 'add with an unknown option', args: ['add', 'scheduler[bogus]'], says: /bogus/ },
  { name: 'add with unbalanced brackets', args: ['add', 'scheduler]['], says: /"scheduler\]\[".*Did you mean "scheduler"/ },
  { name: 'add with an invalid option flag value', args: ['add', 'scheduler', '--persistence', 'bogus', '--yes', '--skip-install'], says: /Invalid --persistence "bogus"/ },
  { name: 'add with an option flag for another feature', args: ['add', 'worker', '--persistence', 'sqlite', '--yes', '--skip-install'], says: /--persistence applies to scheduler/ },
  { name: 'add outside a project', args: ['add', 'scheduler'], outside: true, says: /not a generator-aegis project/ },
  { name: 'add with a missing --project-path', args: ['add', 'scheduler', '-p', '/nonexistent-aegis-project'], says: /not a generator-aegis project/ },
  { name: 'add with .yo-rc.json not JSON', args: ['add', 'scheduler'], setup: (dir) => writeFileSync(join(dir, '.yo-rc.json'), '{ nope'), says: /not valid JSON/ },
  { name: 'add with .yo-rc.json a folder (EISDIR)', args: ['add', 'scheduler'], setup: (dir) => { rmSync(join(dir, '.yo-rc.json')); mkdirSync(join(dir, '.yo-rc.json')); }, says: /\.yo-rc\.json is a folder/ },
  { name: 'add with an unknown recorded component', args: ['add', 'scheduler'], setup: (dir) => writeState(dir, (entry) => { (entry.answers as Record<string, unknown>).components = ['nosuch']; }), says: /nosuch/ },
  { name: 'add to a project from a newer version', args: ['add', 'scheduler', '--yes', '--skip-install'], setup: (dir) => writeState(dir, (entry) => { entry.version = '99.0.0'; }), says: /99\.0\.0/ },
  { name: 'add during a pending update', args: ['add', 'scheduler', '--yes', '--skip-install'], setup: (dir) => writeState(dir, (entry) => { entry.pendingUpdate = { version: '99.0.0', conflicts: [] }; }), says: /middle of an update/ },
  // A Makefile linked to itself is the user's (a link is never written through: test/integration/odd-files.test.ts);
  // the state file linked to itself cannot be read at all.
  { name: 'add with .yo-rc.json a link to itself (ELOOP)', args: ['add', 'scheduler', '--yes', '--skip-install'], setup: (dir) => { rmSync(join(dir, '.yo-rc.json')); symlinkSync('.yo-rc.json', join(dir, '.yo-rc.json')); }, says: /\.yo-rc\.json/ },
  // remove
  { name: 'remove an empty name', args: ['remove', ''], says: /Nothing to remove/ },
  { name: 'remove only commas', args: ['remove', ','], says: /Nothing to remove/ },
  { name: 'remove an unknown name', args: ['remove', 'nosuch'], says: /nosuch/ },
  { name: 'remove with options', args: ['remove', 'scheduler[sqlite]'], says: /names only/ },
  { name: 'remove a core component', args: ['remove', 'backend'], says: /core component/ },
  { name: 'remove with an option it does not take', args: ['remove', 'scheduler', '--persistence', 'sqlite'], says: /unknown option '--persistence'/ },
  // add-service / remove-service
  { name: 'add-service an empty name', args: ['add-service', ''], says: /Nothing to add/ },
  { name: 'add-service a component', args: ['add-service', 'scheduler'], says: /scheduler/ },
  { name: 'add-service an unknown name', args: ['add-service', 'nosuch'], says: /nosuch/ },
  { name: 'add-service ai with a file where its folder goes (ENOTDIR)', args: ['add-service', 'ai', '--yes', '--skip-install'], setup: (dir) => writeFileSync(join(dir, 'app', 'services', 'ai'), 'mine\n'), says: /app\/services\/ai is a file/ },
  { name: 'remove-service an empty name', args: ['remove-service', ''], says: /Nothing to remove/ },
  { name: 'remove-service a component', args: ['remove-service', 'scheduler'], says: /scheduler/ },
  // update
  { name: 'update --from a missing path', args: ['update', '--from', '/nonexistent-aegis-package'], says: /--from \/nonexistent-aegis-package: no such file or folder/ },
  { name: 'update --from a file that is not a tarball', args: ['update', '--from', 'README.md'], says: /not a tarball/ },
  { name: 'update with an unknown conflict style', args: ['update', '--conflict-style', 'bogus'], says: /choose merge or diff3/ },
  { name: 'update --stat without --dry-run', args: ['update', '--stat'], says: /--stat describes a plan/ },
  { name: 'update --json without --dry-run', args: ['update', '--json'], says: /--json describes a plan/ },
  { name: 'update --finish with nothing pending', args: ['update', '--finish'], says: /nothing to finish/ },
  { name: 'update --finish --dry-run', args: ['update', '--finish', '--dry-run'], says: /do not go together/ },
  { name: 'update outside a project', args: ['update'], outside: true, says: /not a generator-aegis project/ },
  // ingress-enable
  { name: 'ingress-enable without --domain', args: ['ingress-enable', '--email', 'ops@example.com'], says: /needs --domain and --email/ },
  { name: 'ingress-enable without --email', args: ['ingress-enable', '--domain', 'app.example.com'], says: /needs --domain and --email/ },
  { name: 'ingress-enable with an invalid domain', args: ['ingress-enable', '--domain', 'bad domain', '--email', 'ops@example.com', '--yes', '--skip-install'], says: /Invalid --domain "bad domain"/ },
  // deploy-*: argument errors, before any connection
  { name: 'deploy-init without --host', args: ['deploy-init'], says: /needs --host/ },
  { name: 'deploy-init with a bad port', args: ['deploy-init', '--host', 'example.invalid', '--port', 'abc'], says: /--port abc/ },
  { name: 'deploy without a target', args: ['deploy'], says: /No deploy target/ },
  { name: 'deploy with bad health retries', args: ['deploy', '--health-retries', 'x'], says: /--health-retries x/ },
  { name: 'deploy-logs with a bad --tail', args: ['deploy-logs', '--tail', 'x'], says: /--tail x/ },
  { name: 'deploy-status without a target', args: ['deploy-status'], says: /No deploy target/ },
  { name: 'deploy-rollback without a target', args: ['deploy-rollback', 'r1'], says: /No deploy target/ },
  { name: 'deploy-backup with a bad --keep', args: ['deploy-backup', '--keep', '0'], says: /--keep 0: give a whole number of at least 1/ },
  { name: 'deploy-backups without a target', args: ['deploy-backups'], says: /No deploy target/ },
  { name: 'deploy-restore without an id', args: ['deploy-restore'], says: /missing required argument 'id'/ },
  { name: 'deploy-restore headless without --yes', args: ['deploy-restore', '20261207-053600-123'], says: /pass --yes to restore headless/ },
  { name: 'deploy-restore --drill without a target', args: ['deploy-restore', '--drill', '20261207-053600-123'], says: /No deploy target/ },
  { name: 'deploy-backup with a bad --keep-days', args: ['deploy-backup', '--keep-days', 'x'], says: /--keep-days x: give a whole number of at least 1/ },
  { name: 'deploy-exec without a command', args: ['deploy-exec', 'webserver'], says: /deploy-exec needs a command after the service and "--"/ },
  { name: 'deploy-exec with a bad service name', args: ['deploy-exec', 'web;rm', '--', 'true'], says: /"web;rm" is not a compose service name/ },
  { name: 'deploy-stop without a target', args: ['deploy-stop'], says: /No deploy target/ },
  { name: 'deploy-history with a bad --limit', args: ['deploy-history', '--limit', '0'], says: /--limit 0: give a whole number of at least 1/ },
  { name: 'deploy-cd-setup without a target', args: ['deploy-cd-setup'], says: /No deploy target/ },
  // catalog and the rest
  { name: 'components with an unknown flag', args: ['components', '--bogus'], says: /unknown option '--bogus'/ },
  { name: 'services with an argument', args: ['services', 'extra'], says: /too many arguments/ },
  { name: 'an unknown command', args: ['inti'], says: /unknown command 'inti'/ },
];

let root = '';
let project = '';

beforeAll(() => {
  root = tempDir('bad-input');
  mustRun(process.execPath, [builtBin, 'init', 'demo', '--yes', '--skip-install', '--skip-git'], { cwd: root, env: ENV });
  project = join(root, 'demo');
  mustRun('git', ['init', '-q'], { cwd: project, env: ENV });
  mustRun('git', ['add', '-A'], { cwd: project, env: ENV });
  mustRun('git', ['commit', '-qm', 'init'], { cwd: project, env: ENV });
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('bad input fails alone: non-zero exit, one clear error line, nothing changed', () => {
  it('covers at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const holder = tempDir('bad-case');
    try {
      cpSync(project, join(holder, 'demo'), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      const copy = join(holder, 'demo');
      // The copy has new inodes: refresh git's index now, so a git command in the run has nothing to rewrite.
      mustRun('git', ['update-index', '-q', '--refresh'], { cwd: copy, env: ENV });
      const dir = c.outside ? holder : copy;
      c.setup?.(dir);
      const before = snapshot(holder);
      const result = run(process.execPath, [builtBin, ...c.args], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(result.status, result.stdout + result.stderr).not.toBe(0);
      expect(result.stderr).not.toMatch(/unexpected/i);
      const errorLines = result.stderr.split('\n').filter((line) => /^error:|✖/.test(line));
      expect(errorLines, result.stderr).toHaveLength(1);
      expect(result.stderr.trimStart()).toMatch(/^error: /);
      expect(result.stderr).toMatch(c.says);
      expect(snapshot(holder)).toEqual(before);
    } finally {
      rmSync(holder, { recursive: true, force: true });
    }
  });
});
