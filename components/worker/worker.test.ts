import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addFeatures, initProject, readTree, removeFeatures, runFeatureGenerator, scratchDir, treeHash } from '../../test/support/project-runner.js';

const read = (project: string, path: string): string => readFileSync(join(project, path), 'utf8');
const state = (project: string) => JSON.parse(read(project, '.yo-rc.json'))['generator-aegis'];

const REDIS_FILES = ['app/components/redis/client.py', 'app/components/redis/health.py', 'tests/redis_support.py', 'tests/test_redis.py'];
const WORKER_FILES = [
  'app/components/worker/queues/system.py',
  'app/components/worker/queues/load_test.py',
  'app/components/worker/health.py',
  'app/entrypoints/worker.py',
  'app/services/load_test.py',
  'app/components/backend/api/worker.py',
  'app/components/backend/api/load_test.py',
  'app/cli/load_test.py',
  'app/cli/worker.py',
  'tests/test_worker_integration.py',
];

afterEach(() => {
  process.exitCode = undefined;
});

describe('yo aegis:worker', () => {
  it('adds the worker and the redis it needs, wired into every registration point', async () => {
    const project = await initProject(scratchDir(), 'orders');
    await runFeatureGenerator(project, 'worker');
    for (const path of [...REDIS_FILES, ...WORKER_FILES]) expect(existsSync(join(project, path)), path).toBe(true);
    expect(read(project, 'app/services/system/checks.py')).toContain('    registry.register("redis", check_redis)\n    registry.register("worker", check_worker)\n');
    expect(read(project, 'app/components/backend/api/routing.py')).toContain('app.include_router(worker_router)');
    expect(read(project, 'app/components/backend/lifespan.py')).toContain('await stack.enter_async_context(worker_lifespan(app))');
    expect(read(project, 'app/cli/main.py')).toContain('cli.add_typer(load_test_app, name="load-test")');
    expect(read(project, 'app/core/config.py')).toContain('    worker_queue_prefix: QueuePrefix = "orders"\n');
    expect(read(project, 'tests/conftest.py')).toContain('pytest_plugins = [\n    "tests.redis_support",\n    "tests.worker_support",\n]\n');
    const pyproject = read(project, 'pyproject.toml');
    expect(pyproject).toContain('"arq==0.28.0"');
    expect(pyproject).toContain('"redis==5.3.1"');
    expect(pyproject).toMatch(/markers = \[\n {4}"redis: /);
    expect(read(project, 'Makefile')).toMatch(/\.PHONY: worker-system\nworker-system: .*\n\tuv run python -m app.entrypoints.worker system\n/);
    expect(read(project, '.env.example')).toContain('WORKER_QUEUE_PREFIX=orders\n');
    // The worker is the explicit choice; redis is implied and goes when the worker goes.
    expect(state(project).answers.components).toEqual(['worker']);
  });

  it('--remove takes the worker and the redis it brought out again, byte for byte', async () => {
    const project = await initProject(scratchDir(), 'orders');
    const before = readTree(project);
    await runFeatureGenerator(project, 'worker');
    await runFeatureGenerator(project, 'worker', { remove: true });
    expect(readTree(project)).toEqual(before);
  });

  it('keeps a job the user wrote in the system queue when the worker is removed, and reports it', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    const system = join(project, 'app/components/worker/queues/system.py');
    const mine = '\n\nasync def send_invoice(ctx: JobContext, order_id: int) -> None:\n    """My job."""\n';
    appendFileSync(system, mine);
    const changes = await removeFeatures(project, ['worker']);
    expect(read(project, 'app/components/worker/queues/system.py')).toContain('async def send_invoice');
    expect(changes.find((change) => change.path === 'app/components/worker/queues/system.py')?.action).toBe('keep');
    expect(existsSync(join(project, 'app/components/worker/queues/load_test.py'))).toBe(false);
    expect(existsSync(join(project, 'app/components/redis'))).toBe(false);
  });
});

describe('worker[backend=…]: switching the backend of an existing project', () => {
  const SYSTEM = 'app/components/worker/queues/system.py';
  const MY_JOB = 'async def send_invoice(ctx: JobContext, order_id: int) -> None:\n    """My job."""\n\n\n';
  /** The user's own job: defined before the system queue's settings and listed in its functions. */
  const withMyJob = (text: string): string =>
    text
      .replace('class WorkerSettings(QueueSettings):\n', `${MY_JOB}class WorkerSettings(QueueSettings):\n`)
      .replace('    functions = (echo, probe_url, system_report)\n', '    functions = (echo, probe_url, system_report, send_invoice)\n');

  it('is an option change: arq to taskiq gives the tree a taskiq project starts with, and back', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    await addFeatures(project, ['worker[backend=taskiq]']);
    expect(state(project).answers.options.worker).toEqual({ backend: 'taskiq' });
    const reference = await initProject(scratchDir(), 'orders', { components: 'worker[backend=taskiq]' });
    expect(readTree(project)).toEqual(readTree(reference));
    const pyproject = read(project, 'pyproject.toml');
    expect(pyproject).toContain('"taskiq-redis==1.2.4"');
    expect(pyproject).toContain('"redis==8.2.0"');
    expect(pyproject).not.toContain('arq==');
    expect(existsSync(join(project, 'app/components/worker/default_queue.py'))).toBe(false);
    // And back: the arq project again, byte for byte.
    await addFeatures(project, ['worker[backend=arq]']);
    const arq = await initProject(scratchDir(), 'orders', { components: 'worker[backend=arq]' });
    expect(readTree(project)).toEqual(readTree(arq));
  });

  it('is an option change: arq to dramatiq gives the tree a dramatiq project starts with, and back', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    await addFeatures(project, ['worker[backend=dramatiq]']);
    expect(state(project).answers.options.worker).toEqual({ backend: 'dramatiq' });
    const reference = await initProject(scratchDir(), 'orders', { components: 'worker[backend=dramatiq]' });
    expect(readTree(project)).toEqual(readTree(reference));
    const pyproject = read(project, 'pyproject.toml');
    expect(pyproject).toContain('"dramatiq==2.2.1"');
    expect(pyproject).toContain('"redis==8.2.0"');
    expect(pyproject).not.toContain('arq==');
    expect(pyproject).not.toContain('taskiq');
    expect(read(project, 'app/components/worker/pool.py')).toContain('from dramatiq.brokers.redis import RedisBroker\n');
    expect(existsSync(join(project, 'app/components/worker/default_queue.py'))).toBe(false);
    // And back: the arq project again, byte for byte.
    await addFeatures(project, ['worker[backend=arq]']);
    const arq = await initProject(scratchDir(), 'orders', { components: 'worker[backend=arq]' });
    expect(readTree(project)).toEqual(readTree(arq));
  });

  it("keeps the user's job function through a switch from arq to dramatiq", async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    writeFileSync(join(project, SYSTEM), withMyJob(read(project, SYSTEM)));
    const changes = await addFeatures(project, ['worker[backend=dramatiq]']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(changes.find((change) => change.path === SYSTEM)?.action).toBe('merge');
    const reference = await initProject(scratchDir(), 'orders', { components: 'worker[backend=dramatiq]' });
    expect(read(project, SYSTEM)).toBe(withMyJob(read(reference, SYSTEM)));
  });

  it("keeps the user's job function through the switch, merged into the new backend's module", async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    writeFileSync(join(project, SYSTEM), withMyJob(read(project, SYSTEM)));
    const changes = await addFeatures(project, ['worker[backend=taskiq]']);
    expect(process.exitCode ?? 0).toBe(0);
    expect(changes.find((change) => change.path === SYSTEM)?.action).toBe('merge');
    const reference = await initProject(scratchDir(), 'orders', { components: 'worker[backend=taskiq]' });
    expect(read(project, SYSTEM)).toBe(withMyJob(read(reference, SYSTEM)));
    expect(read(project, SYSTEM)).toContain('from app.components.worker.queues.base import JobContext, QueueSettings, cron\n');
  });

  it('marks a line the user changed that the switch rewrites, lists the file and fails the command', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    const mine = 'from arq import cron  # mine: also used by my reports\n';
    writeFileSync(join(project, SYSTEM), read(project, SYSTEM).replace('from arq import cron\n', mine));
    const changes = await addFeatures(project, ['worker[backend=taskiq]']);
    expect(process.exitCode).toBe(1);
    expect(changes.filter((change) => change.action === 'conflict').map((change) => change.path)).toEqual([SYSTEM]);
    const system = read(project, SYSTEM);
    expect(system).toContain(`<<<<<<< ours\n${mine}`);
    expect(system).toContain('>>>>>>> template\n');
    expect(state(project).answers.options.worker).toEqual({ backend: 'taskiq' });
  });

  it('keeps a file of the old backend the user changed, and reports it; the others go', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    const defaultQueue = 'app/components/worker/default_queue.py';
    appendFileSync(join(project, defaultQueue), '# mine\n');
    const changes = await addFeatures(project, ['worker[backend=taskiq]']);
    expect(read(project, defaultQueue)).toContain('# mine\n');
    expect(changes.find((change) => change.path === defaultQueue)?.action).toBe('keep');
    expect(existsSync(join(project, 'app/components/worker/runner.py'))).toBe(true);
    expect(existsSync(join(project, 'app/components/worker/status.py'))).toBe(true);
  });
});

describe('yo aegis:redis', () => {
  it('adds Redis alone: client, health check, compose service, no worker', async () => {
    const project = await initProject(scratchDir(), 'orders');
    await runFeatureGenerator(project, 'redis');
    for (const path of REDIS_FILES) expect(existsSync(join(project, path)), path).toBe(true);
    for (const path of WORKER_FILES) expect(existsSync(join(project, path)), path).toBe(false);
    expect(read(project, 'app/services/system/checks.py')).not.toContain('check_worker');
    expect(read(project, 'tests/conftest.py')).toContain('pytest_plugins = [\n    "tests.redis_support",\n]\n');
    expect(read(project, 'pyproject.toml')).not.toContain('arq==');
    expect(read(project, 'docker-compose.yml')).not.toContain('worker-system');
    expect(state(project).answers.components).toEqual(['redis']);
  });

  it('is refused while the worker needs it, naming the worker, and nothing changes', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'worker' });
    const hash = treeHash(project);
    await expect(removeFeatures(project, ['redis'])).rejects.toThrow('Cannot remove redis: worker requires it');
    expect(treeHash(project)).toBe(hash);
  });

  it('stays when it was added by name before the worker came and went', async () => {
    const project = await initProject(scratchDir(), 'orders', { components: 'redis' });
    const before = readTree(project);
    await addFeatures(project, ['worker']);
    expect(state(project).answers.components).toEqual(['redis', 'worker']);
    await removeFeatures(project, ['worker']);
    expect(readTree(project)).toEqual(before);
  });
});
