/**
 * `kill -9` at random moments of the built bin's `add worker` and `update`, then the next command: the project must
 * equal the tree before or the tree after the command, and .yo-rc.json must never record a change that is not on
 * disk. AEGIS_FAULT_DELAY_MS stretches each step of the write so that kills land inside it as well as around it; the
 * seed is printed so a failing run can be repeated (AEGIS_CRASH_SEED).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../../shared/package-info.js';
import { LOG_LEVEL_DOTENV, editBuiltCode } from '../support/built-code.js';
import { builtBin, mustRun, repoRoot, run, tempDir } from '../support/processes.js';
import { runsWith } from '../support/requirements.js';
import { snapshotDifferences, snapshotTree } from '../support/tree-snapshot.js';

const KILLS = 24;
const DELAY_MS = '4';
const seed = Number(process.env.AEGIS_CRASH_SEED ?? Date.now() % 100_000);
let state = seed;
/** A small deterministic generator (mulberry32), so a seed repeats a run. */
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

const root = tempDir('crash');
const env = (): NodeJS.ProcessEnv => {
  const result: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', AEGIS_CACHE_DIR: join(root, 'cache') };
  delete result.VIRTUAL_ENV;
  return result;
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the bin and kills it `killAfterMs` after its start, or after its journal appears when `afterJournal`. */
function runUntilKilled(bin: string, args: string[], cwd: string, killAfterMs: number, afterJournal = false): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn('node', [bin, ...args], { cwd, env: { ...env(), AEGIS_FAULT_DELAY_MS: DELAY_MS }, stdio: 'ignore' });
    let timer: NodeJS.Timeout | undefined;
    const poll = afterJournal
      ? setInterval(() => {
          if (timer || !existsSync(join(cwd, '.aegis-journal.json'))) return;
          timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }, 1)
      : undefined;
    if (!afterJournal) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', (_code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ killed: signal === 'SIGKILL' });
    });
  });
}

/** The command's duration, and when its journal was first and last seen (the write window). */
async function timed(bin: string, args: string[], cwd: string): Promise<{ duration: number; from: number; to: number }> {
  const start = Date.now();
  let from = -1;
  let to = -1;
  const poll = setInterval(() => {
    if (!existsSync(join(cwd, '.aegis-journal.json'))) return;
    const now = Date.now() - start;
    if (from < 0) from = now;
    to = now;
  }, 2);
  await runUntilKilled(bin, args, cwd, 600_000);
  clearInterval(poll);
  const duration = Date.now() - start;
  expect(from, 'the journal was never seen: the write window is unknown').toBeGreaterThanOrEqual(0);
  return { duration, from, to };
}

interface Outcome {
  readonly before: number;
  readonly after: number;
  readonly recovered: number;
}

/** Kills `command` at random moments in copies of `project`; `recover` is the next command a user would run. */
async function killRepeatedly(
  project: string,
  bin: string,
  command: string[],
  recover: string[],
  isNewState: (stateText: string) => boolean,
): Promise<Outcome> {
  const before = snapshotTree(project);
  const complete = join(root, `complete-${command[0]}`);
  cpSync(project, complete, { recursive: true });
  const { duration, from, to } = await timed(bin, command, complete);
  const after = snapshotTree(complete);
  expect(snapshotDifferences(before, after).length).toBeGreaterThan(5);
  const outcome = { before: 0, after: 0, recovered: 0 };
  for (let kill = 0; kill < KILLS; kill += 1) {
    const copy = join(root, `kill-${command[0]}-${kill}`);
    cpSync(project, copy, { recursive: true });
    // A third anywhere in the run, two thirds inside the write window (counted from the journal's appearance).
    const inWindow = kill % 3 !== 0;
    const at = Math.round(inWindow ? random() * (to - from) : random() * duration);
    await runUntilKilled(bin, command, copy, at, inWindow);
    const next = run('node', [bin, ...recover], { cwd: copy, env: env() });
    expect(next.status, `${recover.join(' ')} after a kill at ${at} ms${inWindow ? ' into the write' : ''} (seed ${seed}):\n${next.stdout}\n${next.stderr}`).toBe(0);
    if (/interrupted change/.test(next.stdout + next.stderr)) outcome.recovered += 1;
    const now = snapshotTree(copy);
    const isAfter = isNewState(readFileSync(join(copy, '.yo-rc.json'), 'utf8'));
    const expected = isAfter ? after : before;
    expect(snapshotDifferences(now, expected), `kill at ${at} ms ${inWindow ? 'into the write' : 'of the run'} (seed ${seed})`).toEqual([]);
    outcome[isAfter ? 'after' : 'before'] += 1;
    rmSync(copy, { recursive: true, force: true });
  }
  process.stdout.write(`${command.join(' ')}: ${KILLS} kills (seed ${seed}): ${outcome.before} before, ${outcome.after} after, ${outcome.recovered} recovered by the next command\n`);
  return outcome;
}

describe('kill -9 at random moments', () => {
  let project = '';
  beforeAll(() => {
    // No git repository: the user's line below stays uncommitted, which update refuses in a work tree.
    mustRun('node', [builtBin, 'init', 'crashy', '--yes', '--skip-install', '--skip-git', '--python-version', '3.11'], { cwd: root, env: env() });
    project = join(root, 'crashy');
    writeFileSync(join(project, 'README.md'), `${readFileSync(join(project, 'README.md'), 'utf8')}\n## Ours\n\nA line of ours.\n`);
  });

  it(`of "aegis add worker": ${KILLS} kills, each leaves the tree before or after`, async () => {
    const outcome = await killRepeatedly(
      project,
      builtBin,
      ['add', 'worker', '--yes', '--skip-install'],
      ['add', 'worker', '--yes', '--skip-install', '--dry-run'],
      (text) => text.includes('"worker"'),
    );
    expect(outcome.recovered).toBeGreaterThan(0);
  }, 600_000);

  it(`of "aegis update": ${KILLS} kills, each leaves the tree before or after`, async () => {
    const next = packageVersion.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
    const b = join(root, 'b');
    mkdirSync(b);
    for (const part of ['package.json', 'CHANGELOG.md', 'dist']) cpSync(join(repoRoot, part), join(b, part), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(b, 'node_modules'));
    const manifest = JSON.parse(readFileSync(join(b, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(b, 'package.json'), JSON.stringify({ ...manifest, version: next }, null, 2));
    const templates = join(b, 'dist', 'base', 'templates');
    const edit = (path: string, change: (text: string) => string): void =>
      writeFileSync(join(templates, path), change(readFileSync(join(templates, path), 'utf8')));
    edit('README.md.ejs', (text) => text.replace('A FastAPI service with a health system,', 'A FastAPI service with health checks,'));
    editBuiltCode(join(b, 'dist'), LOG_LEVEL_DOTENV, '$1$2WARNING$2$3');
    edit('docker-compose.yml.ejs', (text) => text.replaceAll('interval: 30s', 'interval: 20s'));
    mkdirSync(join(templates, 'docs', 'ops'), { recursive: true });
    for (let index = 0; index < 30; index += 1) writeFileSync(join(templates, 'docs', 'ops', `page-${index}.md`), `# Page ${index}\n`);
    const binB = join(b, 'dist', 'cli', 'aegis.js');
    const outcome = await killRepeatedly(
      project,
      binB,
      ['update', '--from', repoRoot, '--skip-install'],
      ['update', '--dry-run', '--from', repoRoot],
      (text) => text.includes(`"version": "${next}"`),
    );
    expect(outcome.recovered).toBeGreaterThan(0);
  }, 600_000);
});

const asRoot = runsWith(
  process.getuid?.() === 0 && spawnSync('chattr', ['--help']).error === undefined,
  'the crash-safety tests where the file system says no',
  'they run as root with chattr (e2fsprogs) and mount',
);

describe.skipIf(!asRoot)('the file system says no in the middle of "aegis add worker" (as root)', () => {
  let project = '';
  beforeAll(() => {
    mustRun('node', [builtBin, 'init', 'refused', '--yes', '--skip-install', '--python-version', '3.11'], { cwd: root, env: env() });
    project = join(root, 'refused');
  });

  const refusedThenFine = (protect: string, says: RegExp): void => {
    const before = snapshotTree(project);
    expect(spawnSync('chattr', ['+i', join(project, protect)]).status).toBe(0);
    let result;
    try {
      result = run('node', [builtBin, 'add', 'worker', '--yes', '--skip-install'], { cwd: project, env: env() });
    } finally {
      spawnSync('chattr', ['-i', join(project, protect)]);
    }
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).toMatch(/Nothing was changed/);
    expect(result.stderr).not.toMatch(/unexpected/);
    expect(snapshotDifferences(snapshotTree(project), before)).toEqual([]);
  };

  it('an immutable file it would update (EPERM): exit 1, one clear line, the tree unchanged', () => {
    refusedThenFine('app/core/config.py', /config\.py.*not permitted/);
  });

  it('an immutable folder it would create files in: exit 1, the tree unchanged; once lifted, add works', () => {
    refusedThenFine('tests', /tests/);
    const again = run('node', [builtBin, 'add', 'worker', '--yes', '--skip-install'], { cwd: project, env: env() });
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(project, '.yo-rc.json'), 'utf8')).toContain('"worker"');
  });

  it('a full disk (ENOSPC, a 6 MiB tmpfs): exit 1, the tree unchanged', () => {
    const small = join(root, 'small');
    mkdirSync(small);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', small]).status).toBe(0);
    try {
      const dir = join(small, 'full');
      cpSync(project, dir, { recursive: true });
      rmSync(join(dir, 'app', 'components', 'worker'), { recursive: true, force: true });
      mustRun('node', [builtBin, 'remove', 'worker', '--yes', '--skip-install'], { cwd: dir, env: env() });
      const before = snapshotTree(dir);
      // Fill the disk (in 512 KiB, then 4 KiB pieces) until nothing is left for the worker's 40 files.
      let index = 0;
      for (const [bs, count] of [['64k', '8'], ['4k', '1']]) {
        while (spawnSync('dd', ['if=/dev/zero', `of=${join(small, `filler-${index}`)}`, `bs=${bs}`, `count=${count}`]).status === 0) index += 1;
        index += 1;
      }
      const fillerBefore = snapshotTree(dir);
      expect(snapshotDifferences(fillerBefore, before)).toEqual([]);
      const result = run('node', [builtBin, 'add', 'worker', '--yes', '--skip-install'], { cwd: dir, env: env() });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/No space left.*Nothing was changed/);
      expect(snapshotDifferences(snapshotTree(dir), before)).toEqual([]);
    } finally {
      spawnSync('umount', ['-l', small]);
    }
  });
});
