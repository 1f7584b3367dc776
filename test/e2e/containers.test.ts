/**
 * The generated production shape in real containers: the Dockerfile built unchanged and its HEALTHCHECK run, then a
 * stack with the worker, PostgreSQL and the ingress brought up with `docker compose -f docker-compose.yml -f
 * docker-compose.prod.yml up` and used (through Traefik, by the worker, across `down`/`up`).
 *
 * The engine is podman with its Docker API, Compose is the real Docker Compose v2, and the base images are
 * stand-ins built on this machine (no registry is reachable): test/support/containers.ts says what each one replaces
 * and how it differs. Let's Encrypt cannot be reached either: on 443 Traefik serves its default certificate.
 * Without podman the file skips with one line saying what to install.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import {
  baseImagesOf,
  containerEngineMissing,
  ensureStandInImages,
  healthOf,
  podman,
  podmanQuiet,
  startEngine,
  startHealthMonitor,
} from '../support/containers.js';
import { type Started, builtBin, mustRun, run, tempDir, waitForHttp } from '../support/processes.js';

const missing = containerEngineMissing();
if (missing) console.log(missing);

const uv = resolveUv() ?? 'uv';
const timings: string[] = [];
const timed = async <T>(what: string, work: () => Promise<T> | T): Promise<T> => {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
};

/** `aegis init` with the given choices, and its uv.lock (the Dockerfile's `uv sync --locked` needs it). */
function generate(work: string, name: string, choices: string[]): string {
  const init = run(process.execPath, [builtBin, 'init', name, '--yes', '--skip-install', ...choices, '-o', work], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(init.status, init.stderr).toBe(0);
  const project = join(work, name);
  const env = { ...process.env };
  delete env.VIRTUAL_ENV;
  mustRun(uv, ['lock', '--quiet'], { cwd: project, env });
  return project;
}

/** Polls `check` every 500 ms until it returns true; fails with `describe()` after `timeoutMs`. */
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(missing)('the generated files in real containers (podman)', () => {
  const work = tempDir('containers');
  let engine: Awaited<ReturnType<typeof startEngine>>;
  let monitor: Started;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    engine = await startEngine();
    monitor = startHealthMonitor(engine.env);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) cleanup();
    await monitor?.stop();
    await engine?.stop();
    console.log(`containers, seconds per step:\n${timings.join('\n')}`);
  });

  it('base: the Dockerfile builds unchanged, runs as a non-root user, and its HEALTHCHECK passes', { timeout: 900_000 }, async () => {
    const project = generate(work, 'boxed', ['--python-version', '3.11']);
    await timed('stand-in images (base)', () => ensureStandInImages(baseImagesOf(project)));
    const env = engine.env;
    const image = 'localhost/aegis-e2e-boxed:latest';
    await timed('podman build (base)', () => podman(['build', '--quiet', '--pull=never', '-t', image, project], { env }));
    cleanups.push(() => podmanQuiet(['rmi', '-f', image], env));

    // The image's own health check, as built from the Dockerfile (compose would override it).
    const healthcheck = JSON.parse(podman(['image', 'inspect', '--format', '{{json .Config.Healthcheck}}', image], { env }).stdout) as { Test: string[] };
    expect(healthcheck.Test.join(' ')).toContain('boxed health probe --url "http://127.0.0.1:${PORT}/health"');

    const container = `aegis-e2e-boxed-${process.pid}`;
    podman(['run', '-d', '--name', container, '-p', '127.0.0.1::8000', image], { env });
    cleanups.push(() => podmanQuiet(['rm', '-f', '-t', '2', container], env));
    const port = podman(['port', container, '8000'], { env }).stdout.trim().split(':').at(-1)!;
    await timed('healthy (base)', () =>
      until(() => healthOf(container, env) === 'healthy', 120_000, () => `${container} is ${healthOf(container, env)}:\n${run('podman', ['logs', container], { env }).stderr}`),
    );

    const response = await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'boxed' });
    // The runtime stage's user, not root; the data folder it owns.
    expect(podman(['exec', container, 'id', '-un'], { env }).stdout.trim()).toBe('app');
    expect(podman(['exec', container, 'stat', '-c', '%U', '/app/data'], { env }).stdout.trim()).toBe('app');
    // Only the virtual environment came over from the builder: no uv in the runtime image.
    expect(run('podman', ['exec', container, 'sh', '-c', 'command -v uv'], { env }).status).not.toBe(0);
    writeFileSync(join(work, 'base-ok'), '');
  });
});
