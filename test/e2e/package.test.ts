/**
 * The product as a user gets it: the packed tarball installed from nothing, `aegis init` with its install step
 * (whose lint and format checks must find nothing), the project's tests in the environment it installed, a booted
 * server, and `yo aegis` as an unprivileged user.
 *
 * Nothing the stack matrix runs is run again: each project here is first shown to be what the built bin renders for
 * the same arguments (`expectSameAsBuiltBin`), and the matrix type-checks the same renders but for the project's name
 * (base, worker, scheduler, scheduler-sqlite, auth; PostgreSQL with auth only within everything-postgres) and runs
 * their tests and linters; this file adds what only the installed package can show.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { distinctColours, hasChromium, renderPage } from '../support/browser.js';
import { builtBin, mustRun, readTree, repoRoot, run, serveOnFreePort, start, tempDir } from '../support/processes.js';
import { findPyenvPython } from '../support/pyenv-python.js';
import { postgresAdminUrl, postgresDatabaseUrl, psql, redisUrl as testRedisUrl, tryPsql } from '../support/test-servers.js';

// This machine has Python 3.11 (uv cannot download interpreters here); the default 3.13 is covered by unit tests.
const PYTHON = '3.11';
const E2E_USER = 'aegis-e2e';
const artifacts = join(repoRoot, 'test-results');
/** What running a project leaves behind (the venv, caches, the lock file, runtime data): not part of the render. */
const skipInTree = (path: string) =>
  /^(\.git|\.venv|\.ruff_cache|\.mypy_cache|\.pytest_cache|data)(\/|$)|__pycache__|^uv\.lock$/.test(path);

/** Each generated project is a git repository of its own (init's first commit): compared without it. */
const skipGit = (path: string) => /^\.git(\/|$)/.test(path);

const DEFAULT_PYTHON = '3.13';
/** uv itself, not a pyenv shim that a project's .python-version could redirect. */
const uv = resolveUv() ?? 'uv';

/** An interpreter for `version`: one uv finds, or a pyenv one whose shim is not selected. */
function findInterpreter(version: string): string | undefined {
  const found = run(uv, ['python', 'find', '--no-python-downloads', version], { env: userEnv() });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  const pyenv = findPyenvPython(version);
  const path = pyenv && join(pyenv, 'bin', `python${version}`);
  return path && existsSync(path) ? path : undefined;
}

let root = '';
let prefix = '';
let work = '';

function installedBin(name: string): string {
  return join(prefix, 'bin', name);
}

function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NO_UPDATE_NOTIFIER: '1', ...extra };
  delete env.VIRTUAL_ENV;
  return env;
}

/**
 * The install step ran and its lint and format checks (ruff check, ruff format --check: the project's own `make lint`)
 * found nothing in the render.
 */
function expectCleanInstall(output: string): void {
  expect(output).toContain('[1/3] Installing dependencies: uv sync');
  expect(output).toContain('Lint and format checks: no findings.');
}

/** The project's tests, in the environment the install step made; returns pytest's output. */
function projectTests(inProject: { cwd: string; env: NodeJS.ProcessEnv }): string {
  const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs'], inProject).stdout;
  expect(tests).toMatch(/\d+ passed/);
  return tests;
}

/**
 * The packed bin renders `init NAME --skip-install ARGS` as the built bin does, which the stack matrix checks with
 * ruff, mypy and the project's tests.
 */
function expectSameAsBuiltBin(name: string, args: string[]): string {
  const folder = `${name}-raw-${args.join('-').replace(/\W+/g, '-')}`;
  const initArgs = ['init', name, '--yes', '--skip-install', '--python-version', PYTHON, ...args];
  const packed = run(installedBin('aegis'), [...initArgs, '--output-dir', folder], { cwd: work, env: userEnv() });
  expect(packed.status, packed.stderr).toBe(0);
  const built = run(process.execPath, [builtBin, ...initArgs, '--output-dir', `${folder}-built`], { cwd: work, env: userEnv() });
  expect(built.status, built.stderr).toBe(0);
  const render = join(work, folder, name);
  expect(readTree(render, skipGit)).toEqual(readTree(join(work, `${folder}-built`, name), skipGit));
  return render;
}

/** The install step (read-only checks) leaves the raw render as it is: `project` equals a `--skip-install` render. */
function expectRawRender(project: string, name: string, choices: string[]): void {
  expect(readTree(project, skipInTree)).toEqual(readTree(expectSameAsBuiltBin(name, choices), skipInTree));
}

beforeAll(() => {
  root = tempDir('package');
  chmodSync(root, 0o755);
  // The build under test as it is (npm test builds first, as update.test.ts packs it): without --ignore-scripts, npm
  // pack's prepack would build again, removing dist/ meanwhile under the test files running beside this one.
  const packed = mustRun('npm', ['pack', '--ignore-scripts', '--pack-destination', root, '--silent'], { cwd: repoRoot }).stdout.trim();
  const tarball = join(root, packed.split('\n').pop()!);
  prefix = join(root, 'prefix');
  mustRun('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball, 'yo@7.0.1'], {
    cwd: root,
  });
  work = join(root, 'work');
  mkdirSync(work, { mode: 0o777 });
  chmodSync(work, 0o777);
}, 600_000);

afterAll(() => {
  if (root && !process.env.AEGIS_KEEP_E2E) rmSync(root, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships compiled generators with their templates and no TypeScript where Yeoman looks', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'generator-aegis');
    expect(existsSync(join(installed, 'dist', 'generators', 'app', 'index.js'))).toBe(true);
    // Each component's `yo aegis:<name>` is written by the build, beside the command generators.
    expect(existsSync(join(installed, 'dist', 'generators', 'worker', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'base', 'templates'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'components', 'worker', 'templates'))).toBe(true);
    const files = [...readTree(installed, (path) => path.startsWith('node_modules')).keys()];
    expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
    expect(files.some((file) => file.includes('dot-gitignore'))).toBe(true);
  });

  it('aegis init generates a project that installs, passes its own checks and boots', async () => {
    const init = run(installedBin('aegis'), ['init', 'demo', '--yes', '--python-version', PYTHON], { cwd: work, env: userEnv() });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    expectCleanInstall(init.stdout + init.stderr);
    const project = join(work, 'demo');
    expect(existsSync(join(project, '.venv'))).toBe(true);
    expectRawRender(project, 'demo', []);

    const env = userEnv();
    const inProject = { cwd: project, env };
    projectTests(inProject);

    const { server, port, response: health } = await serveOnFreePort(
      (port) => start(uv, ['run', '--no-sync', 'python', '-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, PORT: String(port), APP_ENV: 'development' } }),
      '/health',
      60_000,
    );
    try {
      expect(health.status, server.output()).toBe(200);
      // Real checks of this machine: 503 exactly when the report is unhealthy (say, a nearly full disk).
      const detailed = await fetch(`http://127.0.0.1:${port}/health/detailed`);
      const report = (await detailed.json()) as { status: string; components: Record<string, unknown> };
      expect(Object.keys(report.components)).toEqual(expect.arrayContaining(['backend', 'frontend', 'system']));
      expect(detailed.status).toBe(report.status === 'unhealthy' ? 503 : 200);
      const dashboard = await fetch(`http://127.0.0.1:${port}/dashboard/`);
      expect(dashboard.status).toBe(200);
      const html = await dashboard.text();
      expect(html.toLowerCase()).toContain('<html');
      // Served by the app itself: no CDN (this machine has no internet, so a CDN asset could not load anyway).
      expect(html).not.toMatch(/https?:\/\/(www\.gstatic\.com|unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com)/);
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);

      // Without Chromium (outside CI) the browser checks skip; test/support/browser.ts says so.
      if (!hasChromium) return;
      // The dashboard really renders its cards in a browser, with nothing but this server to load from.
      const page = await renderPage(`http://127.0.0.1:${port}/dashboard/`, 'HEALTHY');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'dashboard-base.png'), page.screenshot);
      for (const card of ['backend', 'frontend', 'system']) expect(page.websocketText).toContain(card);
      expect(distinctColours(page.screenshot)).toBeGreaterThan(100);
      // Flet 1.0.5's compiled client asks a CDN for an optional animation runtime; nothing else leaves the app.
      expect(page.offHostRequests.filter((url) => !url.includes('@rive-app/'))).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 900_000);

  it('the default Python (3.13) project installs and passes its checks too, where a 3.13 interpreter exists', (context) => {
    const python = findInterpreter(DEFAULT_PYTHON);
    if (!python) {
      context.skip(`no Python ${DEFAULT_PYTHON} interpreter on this machine (uv cannot download one here)`);
      return;
    }
    // With the install step: where uv is a pyenv shim, the project's .python-version must not hide it.
    const env = userEnv({ UV_PYTHON: python });
    const init = run(installedBin('aegis'), ['init', 'demo', '--yes', '--output-dir', 'default'], { cwd: work, env });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    const project = join(work, 'default', 'demo');
    const inProject = { cwd: project, env };
    expectCleanInstall(init.stdout + init.stderr);
    expect(mustRun(uv, ['run', '--no-sync', 'python', '--version'], inProject).stdout).toContain(`Python ${DEFAULT_PYTHON}`);
    // mypy for 3.13 runs in the stack matrix (everything-postgres is a 3.13 project).
    projectTests(inProject);
  }, 600_000);

  it('aegis add scheduler: the project installs, passes its checks, runs the scheduler healthy; remove gives it back', async () => {
    const init = run(installedBin('aegis'), ['init', 'jobs', '--yes', '--python-version', PYTHON, '--output-dir', 'evolve'], {
      cwd: work,
      env: userEnv(),
    });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    const project = join(work, 'evolve', 'jobs');
    const initial = readTree(project, skipInTree);
    const env = userEnv();
    const inProject = { cwd: project, env };

    const add = run(installedBin('aegis'), ['add', 'scheduler'], inProject);
    expect(add.status, add.stdout + add.stderr).toBe(0);
    expectCleanInstall(add.stdout + add.stderr);
    expectRawRender(project, 'jobs', ['--components', 'scheduler']);
    projectTests(inProject);

    // Both processes as compose would run them, sharing the data folder: the scheduler reports in over it.
    const python = join(project, '.venv', 'bin', 'python');
    const scheduler = start(python, ['-m', 'app.entrypoints.scheduler'], { cwd: project, env: { ...env, SCHEDULER_HEARTBEAT_SECONDS: '1' } });
    const { server, port } = await serveOnFreePort(
      (port) => start(python, ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, PORT: String(port) } }),
      '/health',
      60_000,
    ).catch(async (error: unknown) => {
      await scheduler.stop();
      throw error;
    });
    try {
      let card: { status?: string; details?: Record<string, unknown> } = {};
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && card.status !== 'healthy') {
        const report = (await (await fetch(`http://127.0.0.1:${port}/health/detailed`)).json()) as {
          components: Record<string, typeof card>;
        };
        card = report.components.scheduler ?? {};
        if (card.status !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(card.status, scheduler.output()).toBe('healthy');
      expect(card.details).toMatchObject({ running: true, persistence: 'memory', jobs: 1 });
      expect(String(card.details?.next_run)).toMatch(/^\d{4}-\d\d-\d\dT/);
      if (hasChromium) {
        const page = await renderPage(`http://127.0.0.1:${port}/dashboard/`, '1 job scheduled');
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(join(artifacts, 'dashboard-scheduler.png'), page.screenshot);
        expect(page.websocketText).toContain('1 job scheduled');
      }
    } finally {
      await server.stop();
      const code = await scheduler.stop();
      expect(code, scheduler.output()).toBe(0);
    }
    expect(scheduler.output()).toContain('scheduler_stopped');

    const remove = run(installedBin('aegis'), ['remove', 'scheduler'], inProject);
    expect(remove.status, remove.stdout + remove.stderr).toBe(0);
    expect(readTree(project, skipInTree)).toEqual(initial);
    // The environment the install step left after the removal still runs the project's tests.
    expectCleanInstall(remove.stdout + remove.stderr);
    projectTests(inProject);
  }, 900_000);

  it('aegis init --components worker: installs, its tests pass against the real Redis, and a job runs over HTTP', async () => {
    const redisUrl = testRedisUrl(0);
    const init = run(installedBin('aegis'), ['init', 'queues', '--yes', '--python-version', PYTHON, '--components', 'worker', '--output-dir', 'worker'], {
      cwd: work,
      env: userEnv(),
    });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    expect(init.stdout + init.stderr).toContain('Also adding redis: worker requires it.');
    const project = join(work, 'worker', 'queues');
    const env = userEnv({ REDIS_URL: redisUrl });
    const inProject = { cwd: project, env };
    expectCleanInstall(init.stdout + init.stderr);
    expectRawRender(project, 'queues', ['--components', 'worker']);
    // Every Redis test runs: none may be skipped, since the run has a Redis (REDIS_URL, or the embedded one).
    expect(projectTests(inProject)).not.toMatch(/skipped/);

    // The webserver and one worker per queue, as compose runs them, on a queue prefix of their own.
    const python = join(project, '.venv', 'bin', 'python');
    const processEnv = { ...env, WORKER_QUEUE_PREFIX: `e2e-${process.pid}-${randomUUID().slice(0, 8)}`, WORKER_HEALTH_CHECK_INTERVAL_SECONDS: '1' };
    const workers = ['system', 'load_test'].map((queue) => start(python, ['-m', 'app.entrypoints.worker', queue], { cwd: project, env: processEnv }));
    const { server, port } = await serveOnFreePort(
      (port) => start(python, ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...processEnv, PORT: String(port) } }),
      '/health',
      60_000,
    ).catch(async (error: unknown) => {
      await Promise.all(workers.map((worker) => worker.stop()));
      throw error;
    });
    const api = `http://127.0.0.1:${port}`;
    try {
      const enqueued = await fetch(`${api}/api/worker/jobs/system`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ function: 'echo', args: ['hello from e2e'] }),
      });
      expect(enqueued.status, await enqueued.clone().text()).toBe(202);
      const { job_id: jobId } = (await enqueued.json()) as { job_id: string };
      let job: { status?: string; result?: unknown; tries?: number } = {};
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && job.status !== 'complete') {
        job = (await (await fetch(`${api}/api/worker/jobs/${jobId}`)).json()) as typeof job;
        if (job.status !== 'complete') await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(job, workers[0]!.output()).toMatchObject({ status: 'complete', result: 'hello from e2e', tries: 1 });

      const unknown = await fetch(`${api}/api/worker/jobs/system`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ function: 'rm_rf' }),
      });
      expect(unknown.status).toBe(422);
      expect(await unknown.text()).toContain('echo');

      const loadTest = await fetch(`${api}/api/load-test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ count: 50, kind: 'io', timeout_seconds: 60 }),
      });
      expect(loadTest.status, await loadTest.clone().text()).toBe(200);
      const report = (await loadTest.json()) as { completed: number; failed: number; jobs_per_second: number };
      expect(report).toMatchObject({ completed: 50, failed: 0 });
      expect(report.jobs_per_second).toBeGreaterThan(0);

      const health = (await (await fetch(`${api}/health/detailed`)).json()) as {
        components: Record<string, { status: string; details?: Record<string, unknown> }>;
      };
      expect(health.components.redis?.status).toBe('healthy');
      expect(health.components.worker?.status, JSON.stringify(health.components.worker)).toBe('healthy');
      expect(health.components.worker?.details).toMatchObject({ system_queued: 0, load_test_queued: 0 });
      if (hasChromium) {
        const page = await renderPage(`${api}/dashboard/`, '2 queues, 0 queued, 0 in progress');
        mkdirSync(artifacts, { recursive: true });
        writeFileSync(join(artifacts, 'dashboard-worker.png'), page.screenshot);
        expect(page.websocketText).toContain('redis');
      }
    } finally {
      await server.stop();
      for (const worker of workers) expect(await worker.stop(), worker.output()).toBe(0);
    }
  }, 900_000);

  it.each([
    ['sqlite', 'auth', ''],
    ['postgres', 'auth', 'database[postgres]'],
  ])('aegis init --services auth (%s): migrate, create test users, log in over HTTP, /me with and without the token', async (engine, services, components) => {
    const name = `accounts_${engine}`;
    const choices = ['--services', services, ...(components ? ['--components', components] : [])];
    const init = run(installedBin('aegis'), ['init', name, '--yes', '--python-version', PYTHON, ...choices, '--output-dir', 'auth'], {
      cwd: work,
      env: userEnv(),
    });
    expect(init.status, init.stdout + init.stderr).toBe(0);
    if (!components) expect(init.stdout + init.stderr).toContain('Also adding database: auth requires it.');
    const project = join(work, 'auth', name);
    let databaseUrl: string | undefined;
    if (engine === 'postgres') {
      // A database of its own on the run's PostgreSQL (test/support/test-servers.ts), dropped at the end.
      const database = `aegis_e2e_${process.pid}`;
      psql(`DROP DATABASE IF EXISTS ${database}`);
      psql(`CREATE DATABASE ${database}`);
      databaseUrl = postgresDatabaseUrl(database);
    }
    const env = userEnv({ TEST_POSTGRES_URL: postgresAdminUrl(), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
    const inProject = { cwd: project, env };
    try {
      // The run has a PostgreSQL, so its tests run in the PostgreSQL project; a SQLite project has no
      // driver for it and skips them, saying so.
      expectCleanInstall(init.stdout + init.stderr);
      expectRawRender(project, name, choices);
      const tests = projectTests(inProject);
      const skips = tests.split('\n').filter((line) => line.startsWith('SKIPPED'));
      if (engine === 'postgres') expect(skips).toEqual([]);
      else for (const line of skips) expect(line).toContain('asyncpg is not installed: this project uses SQLite');

      const cli = join(project, '.venv', 'bin', name);
      expect(mustRun(cli, ['db', 'upgrade'], inProject).stderr).toContain('0001_auth_users');
      const created = mustRun(cli, ['auth', 'create-test-users', '--count', '5'], inProject).stdout;
      const credentials = created
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((parts) => parts.length === 2 && parts[0]!.includes('@'));
      // The five test users and, first, the known administrator the docs log in with (a random password).
      expect(credentials).toHaveLength(6);
      expect(credentials[0]![0]).toBe('admin@example.com');
      expect(mustRun(cli, ['auth', 'list-users'], inProject).stdout.match(/@/g)).toHaveLength(6);

      const { server, port } = await serveOnFreePort(
        (port) => start(join(project, '.venv', 'bin', 'python'), ['-m', 'app.entrypoints.webserver'], { cwd: project, env: { ...env, PORT: String(port) } }),
        '/health',
        60_000,
      );
      const api = `http://127.0.0.1:${port}`;
      try {
        const [email, password] = credentials[0]!;
        const login = await fetch(`${api}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        expect(login.status, await login.clone().text()).toBe(200);
        const { access_token: token } = (await login.json()) as { access_token: string };
        const me = await fetch(`${api}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { email: string }).email).toBe(email);
        const anonymous = await fetch(`${api}/api/auth/me`);
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
        // A wrong password and an unknown email get the same answer.
        const attempts = await Promise.all(
          [{ email, password: 'not-the-password' }, { email: 'nobody@example.com', password }].map((body) =>
            fetch(`${api}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
          ),
        );
        const answers = await Promise.all(attempts.map(async (response) => [response.status, await response.text()]));
        expect(answers[0]).toEqual([401, answers[1]![1]]);
        expect(answers[1]![0]).toBe(401);
        const health = (await (await fetch(`${api}/health/detailed`)).json()) as { components: Record<string, { status: string; details?: Record<string, unknown> }> };
        expect(health.components.database?.status, JSON.stringify(health.components.database)).toBe('healthy');
        expect(health.components.auth?.status, JSON.stringify(health.components.auth)).toBe('healthy');
        if (hasChromium && engine === 'postgres') {
          const page = await renderPage(`${api}/dashboard/`, '6 active of 6 users');
          mkdirSync(artifacts, { recursive: true });
          writeFileSync(join(artifacts, 'dashboard-auth-postgres.png'), page.screenshot);
          expect(page.websocketText).toContain('postgresql');
        }
      } finally {
        await server.stop();
      }
    } finally {
      if (databaseUrl) {
        const database = databaseUrl.split('/').pop()!;
        tryPsql(`DROP DATABASE IF EXISTS ${database}`);
      }
    }
  }, 900_000);

  it('renders scheduler[sqlite] as the built bin does (the stack matrix checks that render as written)', () => {
    expectSameAsBuiltBin('jobs', ['--components', 'scheduler[sqlite]']);
  });

  it('writes a raw render that is already formatted and lint-clean: the install step changes nothing', () => {
    const raw = run(installedBin('aegis'), ['init', 'demo', '--yes', '--skip-install', '--python-version', PYTHON, '--output-dir', 'raw'], {
      cwd: work,
      env: userEnv(),
    });
    expect(raw.status, raw.stderr).toBe(0);
    expect(readTree(join(work, 'raw', 'demo'), skipInTree)).toEqual(readTree(join(work, 'demo'), skipInTree));
  });

  it('yo aegis, run as an unprivileged user, writes the same project as aegis init', () => {
    if (process.getuid?.() === 0 && run('id', [E2E_USER]).status !== 0) {
      mustRun('useradd', ['--create-home', '--shell', '/bin/bash', E2E_USER]);
    }
    const home = tempDir('yo-home');
    const yoWork = join(work, 'yo');
    mkdirSync(yoWork);
    const args = ['aegis', 'demo', '--yes', '--skip-install', '--python-version', PYTHON];
    const env = userEnv({ HOME: home, NPM_CONFIG_PREFIX: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
    let result;
    if (process.getuid?.() === 0) {
      // yo refuses to run as root.
      const uid = Number(mustRun('id', ['-u', E2E_USER]).stdout.trim());
      chownSync(home, uid, uid);
      chownSync(yoWork, uid, uid);
      result = run('runuser', ['-u', E2E_USER, '--', 'env', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), installedBin('yo'), ...args], {
        cwd: yoWork,
        input: '',
      });
    } else {
      result = run(installedBin('yo'), args, { cwd: yoWork, env, input: '' });
    }
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(readdirSync(join(yoWork, 'demo'))).toContain('.yo-rc.json');
    expect(readTree(join(yoWork, 'demo'), skipGit)).toEqual(readTree(join(work, 'raw', 'demo'), skipGit));

    // yo aegis:scheduler inside the project gives what init --components scheduler gives; --remove undoes it.
    const yo = (yoArgs: string[]) =>
      process.getuid?.() === 0
        ? run('runuser', ['-u', E2E_USER, '--', 'env', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), installedBin('yo'), ...yoArgs], {
            cwd: join(yoWork, 'demo'),
            input: '',
          })
        : run(installedBin('yo'), yoArgs, { cwd: join(yoWork, 'demo'), env, input: '' });
    const added = yo(['aegis:scheduler', '--skip-install']);
    expect(added.status, added.stdout + added.stderr).toBe(0);
    const reference = run(installedBin('aegis'), ['init', 'demo', '--yes', '--skip-install', '--python-version', PYTHON, '--components', 'scheduler', '--output-dir', 'yo-reference'], {
      cwd: work,
      env: userEnv(),
    });
    expect(reference.status, reference.stderr).toBe(0);
    expect(readTree(join(yoWork, 'demo'), skipGit)).toEqual(readTree(join(work, 'yo-reference', 'demo'), skipGit));
    const removed = yo(['aegis:scheduler', '--remove', '--skip-install']);
    expect(removed.status, removed.stdout + removed.stderr).toBe(0);
    expect(readTree(join(yoWork, 'demo'), skipGit)).toEqual(readTree(join(work, 'raw', 'demo'), skipGit));
  });
});
