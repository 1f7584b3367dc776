/**
 * The stacks of test/support/stack-matrix.ts (less the subsets noted at CANDIDATES and CHECKED_AS; the pairs left out
 * of the run's sample stop after mypy: test/support/pair-sample.ts), generated headless with the built
 * bin and checked as their own CI would: `uv sync`, ruff, ruff format, mypy, their tests (against the run's Redis
 * and PostgreSQL: REDIS_URL / TEST_POSTGRES_URL, or the embedded ones of test/support/test-servers.ts), then the web
 * server booted (with the scheduler process, where there is one) with `/health` and `/health/detailed` read (and the
 * dashboard opened in Chromium, where there is one: test/support/browser.ts). uv's cache is shared across the
 * cases, and so is mypy's, which each shard keeps on this machine for its next run (test/support/kept-mypy-cache.ts;
 * mypy checks each cached module's hash and deletes the entry of one with an error, so an error is never hidden by
 * another stack's or run's cache), and Python's bytecode of the installed packages (each case's
 * environment is made afresh at one path, so the bytecode kept by that path serves the next cases); each case prints
 * its time.
 *
 * The stacks are dealt into shards, one test file each (test/e2e/stack-matrix-<n>.test.ts), so that vitest runs
 * them side by side.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { addFeatures } from '../../shared/model/feature-selection.js';
import { findFeature } from '../../shared/model/registry.js';
import { distinctColours, hasChromium, renderPage } from './browser.js';
import { builtBin, mustRun, repoRoot, run, serveOnFreePort, start, tempDir } from './processes.js';
import { renderStack } from './golden.js';
import { keepMypyCache, takeKeptMypyCache } from './kept-mypy-cache.js';
import { pairMode, pairSeed, samplePairs } from './pair-sample.js';
import { pythonInputsDigest } from './python-inputs.js';
import { type MatrixStack, STACKS as MATRIX } from './stack-matrix.js';
import { postgresAdminUrl, postgresDatabaseUrl, psql, redisUrl, tryPsql } from './test-servers.js';

const uv = resolveUv() ?? 'uv';
export const STACK_MATRIX_SHARDS = 2;
/** What a case's time goes to, printed per case at the end of each shard. */
const STEPS = ['generate', 'sync', 'ruff', 'mypy', 'pytest', 'boot'] as const;
type Step = (typeof STEPS)[number];

/**
 * The matrix's stacks (test/support/stack-matrix.ts), less each single value of a multiple option alone (ai with
 * one provider): those differ only in the extras installed, and everything-postgres installs them all.
 */
const CANDIDATES: readonly MatrixStack[] = MATRIX.filter(
  (stack) =>
    stack.kind !== 'alone' ||
    stack.requests.every((request) =>
      findFeature(request.name)!.options.every((option) => !option.multiple || request.options[option.name] === option.default),
    ),
);

/**
 * Stacks whose Python inputs (test/support/python-inputs.ts: every file their checks can read) are those of a stack
 * listed before them, each with that stack: checking them would run the same checks on the same files again. Rendered
 * in memory at each run, so a template change that makes them differ puts them back in the matrix. (Today: the
 * kubernetes stacks, whose manifests test nothing in Python and are checked by components/kubernetes/kubernetes.test.ts.)
 */
export const CHECKED_AS: ReadonlyMap<string, string> = (() => {
  const first = new Map<string, string>();
  const same = new Map<string, string>();
  for (const stack of CANDIDATES) {
    const digest = pythonInputsDigest(renderStack(stack));
    const twin = first.get(digest);
    if (twin) same.set(stack.name, twin);
    else first.set(digest, stack.name);
  }
  return same;
})();

/** The stacks the e2e matrix generates, installs, checks and boots. */
export const E2E_STACKS: readonly MatrixStack[] = CANDIDATES.filter((stack) => !CHECKED_AS.has(stack.name));

const PAIR_MODE = pairMode();
export const PAIR_SEED = pairSeed(repoRoot);
/** The pairs whose tests run and whose server boots in a sampled run (test/support/pair-sample.ts). */
export const SAMPLED_PAIRS: ReadonlySet<string> = samplePairs(
  E2E_STACKS.filter((stack) => stack.kind === 'pair').map((stack) => stack.name),
  PAIR_SEED,
);

/** Whether `stack`'s case runs its tests and boots it; else it stops after mypy (a pair left out of the sample). */
export function checkedInFull(stack: MatrixStack, mode = PAIR_MODE, sampled: ReadonlySet<string> = SAMPLED_PAIRS): boolean {
  return stack.kind !== 'pair' || mode !== 'sample' || sampled.has(stack.name);
}

/** What the stack resolves to: the features named and those they bring (`scheduler[postgres]` brings the database). */
const resolved = (stack: MatrixStack) => addFeatures({ components: [], services: [], options: {} }, stack.requests).selection;
const uses = (stack: MatrixStack, name: string): boolean => resolved(stack).features.some((feature) => feature.name === name);
/** Open the dashboard in Chromium and keep a screenshot. */
const withDashboard = (stack: MatrixStack): boolean => stack.kind === 'base' || stack.kind === 'everything';

/** The storage component on S3: its boot needs an S3-compatible server. */
const usesS3 = (stack: MatrixStack): boolean =>
  stack.requests.some((request) => request.name === 'storage' && request.options.backend === 's3');

/**
 * moto's S3 server on loopback, from the project's own dev dependencies, standing in for the S3 service a deployment
 * would use; with a bucket made, and the settings that point the web server at it.
 */
async function startS3(project: string, venv: string, env: NodeJS.ProcessEnv): Promise<{ stop: () => Promise<unknown>; env: NodeJS.ProcessEnv }> {
  const moto = join(venv, 'bin', 'moto_server');
  const { server, port } = await serveOnFreePort((port) => start(moto, ['-H', '127.0.0.1', '-p', String(port)], { cwd: project, env }), '/moto-api/', 60_000);
  const s3 = {
    STORAGE_S3_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    STORAGE_S3_BUCKET: 'matrix',
    STORAGE_S3_ACCESS_KEY_ID: 'matrix',
    STORAGE_S3_SECRET_ACCESS_KEY: 'matrix',
    STORAGE_S3_PATH_STYLE: 'true',
  };
  const create = `import boto3; boto3.client("s3", endpoint_url="${s3.STORAGE_S3_ENDPOINT_URL}", region_name="us-east-1", aws_access_key_id="matrix", aws_secret_access_key="matrix").create_bucket(Bucket="matrix")`;
  mustRun(join(venv, 'bin', 'python'), ['-c', create], { cwd: project, env });
  return { stop: () => server.stop(), env: { ...env, ...s3 } };
}

/** `python -m app.entrypoints.scheduler`, once it has written its status file (a heartbeat each second). */
async function startScheduler(project: string, venv: string, env: NodeJS.ProcessEnv): Promise<ReturnType<typeof start>> {
  const scheduler = start(join(venv, 'bin', 'python'), ['-m', 'app.entrypoints.scheduler'], {
    cwd: project,
    env: { ...env, SCHEDULER_HEARTBEAT_SECONDS: '1' },
  });
  let ended = false;
  void scheduler.exited.then(() => (ended = true));
  const deadline = Date.now() + 60_000;
  while (!existsSync(join(project, 'data', 'scheduler-status.json'))) {
    if (Date.now() > deadline || ended) {
      await scheduler.stop();
      throw new Error(`the scheduler wrote no status file\n${scheduler.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return scheduler;
}

/**
 * A rough cost, to deal the stacks evenly: the number of features in it, the everything stacks the heaviest; a case
 * that stops after mypy about a third of one that goes on.
 */
const cost = (stack: MatrixStack, full: boolean): number => (full ? stack.requests.length + 1 : 0.3);

/** Shard `index` (1-based) of STACK_MATRIX_SHARDS: the stacks dealt by cost, heaviest first, one to each in turn. */
export function shardStacks(
  index: number,
  stacks: readonly MatrixStack[] = E2E_STACKS,
  full: (stack: MatrixStack) => boolean = (stack) => checkedInFull(stack),
): MatrixStack[] {
  const weight = (stack: MatrixStack): number => cost(stack, full(stack));
  const sorted = [...stacks].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name));
  const loads = Array.from({ length: STACK_MATRIX_SHARDS }, () => 0);
  const shards: MatrixStack[][] = Array.from({ length: STACK_MATRIX_SHARDS }, () => []);
  for (const stack of sorted) {
    const lightest = loads.indexOf(Math.min(...loads));
    shards[lightest]!.push(stack);
    loads[lightest]! += weight(stack);
  }
  return shards[index - 1]!.sort((a, b) => E2E_STACKS.indexOf(a) - E2E_STACKS.indexOf(b));
}

/**
 * Shard `index`'s stacks, each with whether it is checked in full; with AEGIS_STACKS (comma-separated names: .ci/run
 * runs two that way on the embedded test servers) only those, each in full, dealt across the shards like the whole
 * matrix (name at least one per shard: a shard left empty fails with "No test found in suite"). A name that is no
 * stack of the matrix is an error. With AEGIS_PAIRS=rest, only the pairs the sample leaves out.
 */
function selectedStacks(index: number): { stack: MatrixStack; full: boolean }[] {
  const only = process.env.AEGIS_STACKS?.split(',').map((name) => name.trim()).filter(Boolean);
  if (!only) {
    const rest = PAIR_MODE === 'rest' ? E2E_STACKS.filter((stack) => stack.kind === 'pair' && !SAMPLED_PAIRS.has(stack.name)) : E2E_STACKS;
    return shardStacks(index, rest).map((stack) => ({ stack, full: checkedInFull(stack) }));
  }
  const twins = only.filter((name) => CHECKED_AS.has(name));
  if (twins.length) {
    throw new Error(`AEGIS_STACKS names stacks checked as others (the same Python inputs): ${twins.map((name) => `${name} (run ${CHECKED_AS.get(name)})`).join(', ')}`);
  }
  const unknown = only.filter((name) => !E2E_STACKS.some((stack) => stack.name === name));
  if (unknown.length) throw new Error(`AEGIS_STACKS names no stack of the matrix: ${unknown.join(', ')} (npx vitest list test/e2e/stack-matrix-*.test.ts lists them)`);
  return shardStacks(index, E2E_STACKS.filter((stack) => only.includes(stack.name)), () => true).map((stack) => ({ stack, full: true }));
}

/** The cases of one shard: call it from the shard's test file. */
export function describeStackMatrix(index: number): void {
  const work = tempDir(`matrix-${index}`);
  const mypyCache = join(work, '.mypy_cache');
  const keptCache = `stack-matrix-${index}`;
  // Every case's environment at this one path, made afresh for each: Python's bytecode of an installed package
  // (kept under pycacheDir, by the source's path) then serves the cases after the first that imports it.
  const venv = join(work, 'venv');
  const pycacheDir = join(work, 'pycache');
  const timings: string[] = [];

  beforeAll(() => takeKeptMypyCache(keptCache, mypyCache));

  afterAll(() => {
    keepMypyCache(keptCache, mypyCache);
    if (index === 1 && !process.env.AEGIS_STACKS) {
      console.log(`stack matrix: checked as another stack with the same Python inputs: ${[...CHECKED_AS].map(([name, twin]) => `${name} as ${twin}`).join(', ')}`);
      console.log(
        PAIR_MODE === 'all'
          ? 'stack matrix: every pair checked in full (AEGIS_PAIRS=all)'
          : `stack matrix: pairs whose tests ran and server booted ${PAIR_MODE === 'rest' ? 'in the sampled run' : 'in this run'} (seed ${PAIR_SEED}): ${[...SAMPLED_PAIRS].sort().join(', ')}; AEGIS_PAIRS=all checks every pair in full, AEGIS_PAIR_SEED=<seed> picks the sample`,
      );
    }
    const header = `  ${'stack'.padEnd(32)} ${STEPS.map((step) => step.padStart(8)).join('')}   total`;
    console.log(`stack matrix ${index}/${STACK_MATRIX_SHARDS}, seconds per case and step:\n${header}\n${timings.join('\n')}`);
  });

  /** One case: `full` false stops it after mypy (a pair left out of this run's sample). */
  const check = async (stack: MatrixStack, full: boolean): Promise<void> => {
    const started = Date.now();
    const steps = new Map<Step, number>();
    let stepStarted = started;
    /** Ends the step under way: its time counts towards `step`. */
    const lap = (step: Step): void => {
      const now = Date.now();
      steps.set(step, (steps.get(step) ?? 0) + now - stepStarted);
      stepStarted = now;
    };
    const slug = `stack_${stack.name.replace(/-/g, '_')}`;
    const choices = [
      ...(stack.components ? ['--components', stack.components] : []),
      ...(stack.services ? ['--services', stack.services] : []),
    ];
    const init = run(process.execPath, [builtBin, 'init', slug, '--yes', '--skip-install', '--python-version', stack.pythonVersion, ...choices, '-o', work], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(init.status, init.stderr).toBe(0);
    lap('generate');
    const project = join(work, slug);
    // A database of its own for the tests and the server: a case that stops after mypy needs none.
    const postgres = full && resolved(stack).options.database?.engine === 'postgres';
    const database = `matrix_${slug}_${process.pid}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redisUrl(0),
      TEST_POSTGRES_URL: postgresAdminUrl(),
      NO_COLOR: '1',
      MYPY_CACHE_DIR: mypyCache,
      UV_PROJECT_ENVIRONMENT: venv,
      PYTHONPYCACHEPREFIX: pycacheDir,
    };
    delete env.VIRTUAL_ENV;
    // Bytecode is written (under pycacheDir) and read: without it, every Python process compiles each module it
    // imports from source again (a project's tests start several).
    delete env.PYTHONDONTWRITEBYTECODE;
    rmSync(venv, { recursive: true, force: true });
    if (postgres) {
      psql(`DROP DATABASE IF EXISTS ${database}`);
      psql(`CREATE DATABASE ${database}`);
      env.DATABASE_URL = postgresDatabaseUrl(database);
    }
    const inProject = { cwd: project, env };
    let s3: Awaited<ReturnType<typeof startS3>> | undefined;
    let scheduler: ReturnType<typeof start> | undefined;
    try {
      mustRun(uv, ['sync', '--quiet'], inProject);
      lap('sync');
      // On the raw render (--skip-install): were it not formatted and lint-clean already, the install step's ruff
      // would rewrite pristine files, and `aegis update` would then take them for the user's edits.
      mustRun(uv, ['run', '--no-sync', 'ruff', 'format', '--check', '.'], inProject);
      mustRun(uv, ['run', '--no-sync', 'ruff', 'check', '.'], inProject);
      lap('ruff');
      mustRun(uv, ['run', '--no-sync', 'mypy', '.'], inProject);
      lap('mypy');
      if (!full) return;
      const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs'], inProject).stdout;
      lap('pytest');
      expect(tests).toMatch(/\d+ passed/);
      // Only a SQLite project skips anything: the PostgreSQL tests, for want of the driver.
      for (const line of tests.split('\n').filter((text) => text.startsWith('SKIPPED'))) {
        expect(line).toContain('asyncpg is not installed: this project uses SQLite');
      }
      if (uses(stack, 'database') || uses(stack, 'auth')) {
        mustRun(join(venv, 'bin', slug), ['db', 'upgrade'], inProject);
      }

      s3 = usesS3(stack) ? await startS3(project, venv, env) : undefined;
      const bootEnv = s3?.env ?? env;
      // The scheduler runs for real beside the web server, whose card reads its status file: healthy, naming where
      // its jobs are stored (with postgres: the project's database, whose job table it fills).
      const persistence = resolved(stack).options.scheduler?.persistence;
      if (persistence) scheduler = await startScheduler(project, venv, bootEnv);
      const { server, port, response } = await serveOnFreePort(
        (port) => start(join(venv, 'bin', 'python'), ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...bootEnv, PORT: String(port) } }),
        '/health',
        60_000,
      );
      const api = `http://127.0.0.1:${port}`;
      try {
        expect(response.status).toBe(200);
        const detailed = await fetch(`${api}/health/detailed`);
        const report = (await detailed.json()) as {
          status: string;
          components: Record<string, { status: string; message: string; details?: Record<string, unknown> }>;
        };
        // The workers the stack would run beside the web server are not started here, so their cards may warn (the
        // scheduler is: see above); nothing may be unhealthy. Traefik runs in Docker, and there is no Docker engine here: in
        // development the ingress card warns and says how to start it (its check is tested against a stand-in
        // /ping by the project's own tests).
        const unhealthy = Object.entries(report.components).filter(([, card]) => card.status === 'unhealthy');
        if (uses(stack, 'ingress')) {
          expect(report.components.ingress?.status).toBe('warning');
          expect(report.components.ingress?.message).toContain('cannot reach Traefik');
          expect(report.components.ingress?.message).toContain('make ingress');
        }
        expect(unhealthy, JSON.stringify(report.components)).toEqual([]);
        expect(detailed.status).toBe(200);
        if (persistence) {
          const card = report.components.scheduler!;
          expect(card.status, JSON.stringify(card)).toBe('healthy');
          expect(String(card.details?.store)).toMatch(new RegExp(`^${persistence}: `));
          if (persistence === 'postgres') {
            const rows = psql('SELECT id FROM scheduler.apscheduler_jobs', database, ['-tA']);
            expect(rows.stdout).toContain('system_usage');
          }
        }
        if (withDashboard(stack) && hasChromium) {
          const page = await renderPage(`${api}/dashboard/`, 'system');
          mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
          writeFileSync(join(repoRoot, 'test-results', `matrix-${stack.name}.png`), page.screenshot);
          expect(distinctColours(page.screenshot)).toBeGreaterThan(100);
          for (const card of Object.keys(report.components)) expect(page.websocketText, card).toContain(card);
        }
      } finally {
        await server.stop();
      }
    } finally {
      if (scheduler) expect(await scheduler.stop(), scheduler.output()).toBe(0);
      await s3?.stop();
      if (postgres) tryPsql(`DROP DATABASE IF EXISTS ${database}`);
      lap('boot');
      const seconds = (ms: number): string => (ms / 1000).toFixed(1).padStart(8);
      const note = full ? '' : '   (tests and boot: AEGIS_PAIRS=rest)';
      timings.push(`  ${stack.name.padEnd(32)} ${STEPS.map((step) => seconds(steps.get(step) ?? 0)).join('')} ${seconds(Date.now() - started)}${note}`);
    }
  };

  describe(`the stack matrix, shard ${index} of ${STACK_MATRIX_SHARDS}`, () => {
    const cases = selectedStacks(index);
    const inFull = cases.filter((entry) => entry.full).map((entry) => entry.stack);
    const typeChecked = cases.filter((entry) => !entry.full).map((entry) => entry.stack);
    if (inFull.length) {
      it.each(inFull)('$name: generates, installs, passes its own checks and boots healthy', (stack) => check(stack, true), 1_200_000);
    }
    if (typeChecked.length) {
      it.each(typeChecked)('$name: generates, installs, lints and type-checks (its tests and boot: AEGIS_PAIRS=rest or all)', (stack) => check(stack, false), 1_200_000);
    }
  });
}
