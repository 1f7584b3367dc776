/**
 * The generated production shape in real containers: the Dockerfile built unchanged and its HEALTHCHECK run, then a
 * stack with the worker, PostgreSQL, the ingress, the scheduler and observability brought up with `docker compose -f
 * docker-compose.yml -f docker-compose.prod.yml up` and used (through Traefik, by the worker, the scheduler running a
 * job, spans reaching the OpenTelemetry Collector service, across `down`/`up`). With AEGIS_CONTAINERS_EVERYTHING=1,
 * the matrix's heaviest stack (everything-postgres) too.
 *
 * The engine is podman with its Docker API, Compose is the real Docker Compose v2, and the base images are
 * stand-ins built on this machine (no registry is reachable): test/support/containers.ts says what each one replaces
 * and how it differs. Let's Encrypt cannot be reached either: on 443 Traefik serves its default certificate.
 * Without podman the file skips with one line saying what to install.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import {
  baseImagesOf,
  containerEngineMissing,
  dockerCompose,
  ensureStandInImages,
  healthOf,
  podman,
  podmanQuiet,
  startEngine,
  takeHostPorts,
} from '../support/containers.js';
import { type Ran, builtBin, mustRun, run, tempDir, waitForHttp } from '../support/processes.js';
import { findStack } from '../support/stack-matrix.js';

const missing = containerEngineMissing();
// .ci/run installs podman: in CI its absence is a failure, elsewhere one line says what to install.
if (missing && process.env.CI) throw new Error(missing);
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


/** A job of the user's, added where the scheduler's README says (register_jobs): a log line every second. */
function addTickJob(project: string): void {
  const jobs = join(project, 'app', 'components', 'scheduler.py');
  const withJob = readFileSync(jobs, 'utf8')
    .replace(
      'def register_jobs(scheduler: BaseScheduler) -> None:',
      'def record_tick() -> None:\n    """Log a line every second."""\n    logger.info("containers_tick")\n\n\ndef register_jobs(scheduler: BaseScheduler) -> None:',
    )
    .replace(
      '        replace_existing=True,\n    )\n',
      '        replace_existing=True,\n    )\n    scheduler.add_job(\n        record_tick, "interval", seconds=1, id="containers_tick", replace_existing=True\n    )\n',
    );
  expect(withJob.match(/containers_tick/g)).toHaveLength(2);
  writeFileSync(jobs, withJob);
}

const DOMAIN = 'app.example.com';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The certificate's subject CN (HTTPS only). */
  readonly certificate?: string;
}

/**
 * A request to 127.0.0.1:`port` for `https://DOMAIN<path>` (or http): SNI and Host name the domain, as a browser's
 * would once DNS points at the server. Certificates are not verified: Traefik serves its own default one.
 */
function ask(scheme: 'http' | 'https', port: number, path: string, options: { method?: string; body?: unknown } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const common = {
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'GET',
      headers: { host: DOMAIN, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      timeout: 10_000,
    };
    const done = (response: import('node:http').IncomingMessage): void => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const socket = response.socket as TLSSocket;
        const certificate = scheme === 'https' ? String(socket.getPeerCertificate?.()?.subject?.CN ?? '') : undefined;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, certificate });
      });
    };
    const req = scheme === 'https' ? httpsRequest({ ...common, servername: DOMAIN, rejectUnauthorized: false, agent: false }, done) : httpRequest(common, done);
    req.on('timeout', () => req.destroy(new Error(`${scheme}://${DOMAIN}${path} timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Retries `ask` until it answers with `status` (Traefik picks up new containers within a second or two). */
async function askUntil(status: number, ...args: Parameters<typeof ask>): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  let last: Answer | Error | undefined;
  for (;;) {
    try {
      last = await ask(...args);
      if (last.status === status) return last;
    } catch (error) {
      last = error as Error;
    }
    if (Date.now() > deadline) throw new Error(`${args[0]}://${DOMAIN}${args[2]} never answered ${status}: ${last instanceof Error ? last.message : `${last?.status} ${last?.body}`}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(missing)('the generated files in real containers (podman)', () => {
  const work = tempDir('containers');
  let engine: Awaited<ReturnType<typeof startEngine>>;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    engine = await startEngine();
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) cleanup();
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
    expect(healthcheck.Test.join(' ')).toContain('python -m app.entrypoints.probe "http://127.0.0.1:${PORT}/health"');

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
  });

  describe('worker + PostgreSQL + ingress: docker compose -f docker-compose.yml -f docker-compose.prod.yml', () => {
    let project: string;
    let jobId = '';
    const name = 'boxedjobs';
    const stackCleanups: (() => void)[] = [];
    afterAll(() => {
      for (const cleanup of stackCleanups.reverse()) cleanup();
    });
    const services = ['redis', 'postgres', 'migrate', 'scheduler', 'otel-collector', 'worker-system', 'worker-load-test', 'traefik', 'webserver'];
    const compose = (args: string[]): Ran =>
      mustRun(dockerCompose(), ['-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml', ...args], { cwd: project, env: engine.env });
    const container = (service: string): string => `${name}-${service}-1`;
    const inspect = (service: string, format: string): string => podman(['inspect', '--format', format, container(service)], { env: engine.env }).stdout.trim();
    const psql = (sql: string): string =>
      compose(['exec', '-T', 'postgres', 'psql', '-U', 'postgres', '-d', name, '-tAc', sql]).stdout.trim();
    const allHealthy = async (): Promise<void> => {
      // The otel-collector service has no health check (the official image has no shell to run one).
      const long = services.filter((service) => service !== 'migrate' && service !== 'otel-collector');
      await until(
        () => long.every((service) => healthOf(container(service), engine.env) === 'healthy'),
        240_000,
        () => long.map((service) => `${service}: ${healthOf(container(service), engine.env)}`).join(', ') + `\n${run(dockerCompose(), ['-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml', 'logs', '--tail', '30'], { cwd: project, env: engine.env }).stdout}`,
      );
    };

    beforeAll(async () => {
      project = generate(work, name, [
        '--python-version', '3.11',
        '--components', `worker,database[engine=postgres],ingress[domain=${DOMAIN},email=ops@example.com],scheduler[persistence=postgres],observability`,
      ]);
      // What an operator puts in .env on the server: the admin API on (there is no auth service to log in with; the
      // ingress's allowlist guards it), and the database password.
      writeFileSync(join(project, '.env'), 'ADMIN_API_ENABLED=true\nPOSTGRES_PASSWORD=boxed-secret\n');
      addTickJob(project);
      await timed('stand-in images (stack)', () => ensureStandInImages(baseImagesOf(project)));
      // Traefik publishes 80 and 443 (docker-compose.prod.yml): another stack waits for them, until afterAll.
      stackCleanups.push(await takeHostPorts());
      stackCleanups.push(() => {
        run(dockerCompose(), ['-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml', 'down', '--volumes', '--remove-orphans', '--timeout', '3'], { cwd: project, env: engine.env });
        podmanQuiet(['rmi', '-f', `${name}:latest`], engine.env);
        // Compose's classic builder builds the image once per service that has `build:`, leaving the earlier copies
        // untagged: drop those (any project's compose builds that nothing uses), keeping the layer cache.
        podmanQuiet(['image', 'prune', '-f', '--filter', 'label=com.docker.compose.image.builder=classic'], engine.env);
      });
    });

    it('build, then up: every service turns healthy by its own check, the migration having run before the web server', { timeout: 900_000 }, async () => {
      // The services sharing the image are built once (with `up --build` Compose's classic builder builds it once per
      // service, all at the same time), then `up` finds it.
      await timed('compose build (stack)', () => compose(['build', 'webserver']));
      await timed('compose up (stack)', () => compose(['up', '-d', '--remove-orphans']));
      await timed('healthy (stack)', allHealthy);
      expect(inspect('migrate', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0');
      const migrated = Date.parse(inspect('migrate', '{{.State.FinishedAt}}'));
      expect(migrated).toBeLessThanOrEqual(Date.parse(inspect('webserver', '{{.State.StartedAt}}')));
      // The migration service ran against this PostgreSQL (alembic's table is there).
      expect(psql("SELECT to_regclass('public.alembic_version') IS NOT NULL")).toBe('t');
      // Only Traefik publishes ports in production.
      for (const service of services.filter((service) => service !== 'traefik' && service !== 'migrate')) {
        expect(podman(['port', container(service)], { env: engine.env }).stdout.trim(), service).toBe('');
      }
    });

    it('through Traefik: port 80 redirects to HTTPS, 443 serves /health with Traefik\'s default certificate', { timeout: 120_000 }, async () => {
      const redirect = await askUntil(301, 'http', 80, '/health').catch(() => askUntil(308, 'http', 80, '/health'));
      expect(redirect.headers.location).toBe(`https://${DOMAIN}/health`);
      // Let's Encrypt cannot be reached from here: the ACME challenge fails and Traefik serves its default certificate.
      const health = await askUntil(200, 'https', 443, '/health');
      expect(health.certificate).toBe('TRAEFIK DEFAULT CERT');
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', service: name });
      expect(health.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(health.headers['x-frame-options']).toBe('DENY');
    });

    it('a job submitted through the API is processed by the worker container', { timeout: 180_000 }, async () => {
      // probe_url fetches the web server by its compose name: only a worker on the compose network can.
      const submitted = await ask('https', 443, '/api/worker/jobs/system', { method: 'POST', body: { function: 'probe_url', args: ['http://webserver:8000/health'] } });
      expect(submitted.status, submitted.body).toBe(202);
      jobId = (JSON.parse(submitted.body) as { job_id: string }).job_id;
      let job: { status: string; result: { status_code?: number } | null } = { status: '', result: null };
      await until(
        async () => {
          job = JSON.parse((await ask('https', 443, `/api/worker/jobs/${jobId}`)).body) as typeof job;
          return job.status === 'complete' || job.status === 'failed';
        },
        120_000,
        () => `job ${jobId} is ${JSON.stringify(job)}`,
      );
      expect(job, JSON.stringify(job)).toMatchObject({ status: 'complete', result: { url: 'http://webserver:8000/health', status_code: 200 } });
      expect(compose(['logs', 'worker-system']).stdout).toContain(jobId);
    });

    it('the scheduler container runs the job register_jobs schedules, its store in the PostgreSQL container', { timeout: 180_000 }, async () => {
      await until(
        () => (compose(['logs', 'scheduler']).stdout.match(/"event": "containers_tick"/g) ?? []).length >= 2,
        60_000,
        () => `no containers_tick from the scheduler:\n${compose(['logs', '--tail', '30', 'scheduler']).stdout}`,
      );
      expect(psql("SELECT id FROM scheduler.apscheduler_jobs WHERE id = 'containers_tick'")).toBe('containers_tick');
    });

    it('the web server\'s spans reach the OpenTelemetry Collector service', { timeout: 180_000 }, async () => {
      // /health is not traced (EXCLUDED_URLS); the job API is.
      expect((await askUntil(200, 'https', 443, '/api/worker/queues')).status).toBe(200);
      let logs = '';
      await until(
        () => {
          logs = compose(['logs', 'otel-collector']).stdout;
          return logs.includes('"GET /api/worker/queues"');
        },
        60_000,
        () => `the collector received no span of GET /api/worker/queues:\n${logs}`,
      );
      const line = logs.split('\n').find((entry) => entry.includes('"GET /api/worker/queues"'))!;
      expect(line).toContain('\tTraces\t');
      expect(line).toContain(`"services": ["${name}"]`);
    });

    it('the admin allowlist refuses a source outside it (a second network) and admits one inside', { timeout: 180_000 }, async () => {
      // 198.51.100.0/24 (TEST-NET-2) is none of the default allowlist's ranges (loopback and private): a client there
      // stands for one on the internet. Traefik is attached to that network too; the compose network is private.
      const outside = `aegis-e2e-outside-${process.pid}`;
      podman(['network', 'create', '--subnet', '198.51.100.0/24', outside], { env: engine.env });
      cleanups.push(() => podmanQuiet(['network', 'rm', '-f', outside], engine.env));
      podman(['network', 'connect', '--ip', '198.51.100.10', outside, container('traefik')], { env: engine.env });
      const client = (network: string, address: string): Record<string, number> => {
        const script = [
          'import http.client, json, socket, ssl, sys',
          'context = ssl._create_unverified_context()',
          'answers = {}',
          'for path in ("/health", "/api/worker/queues", "/docs"):',
          `    sock = context.wrap_socket(socket.create_connection((sys.argv[1], 443), 10), server_hostname="${DOMAIN}")`,
          `    conn = http.client.HTTPSConnection("${DOMAIN}", context=context)`,
          '    conn.sock = sock',
          `    conn.request("GET", path, headers={"Host": "${DOMAIN}"})`,
          '    answers[path] = conn.getresponse().status',
          'print(json.dumps(answers))',
        ].join('\n');
        const ran = podman(['run', '--rm', '--network', network, 'docker.io/library/python:3.11-slim', 'python', '-c', script, address], { env: engine.env });
        return JSON.parse(ran.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      };
      expect(client(outside, '198.51.100.10')).toEqual({ '/health': 200, '/api/worker/queues': 403, '/docs': 403 });
      // Inside, the admin paths reach the app: the queues answer; the docs are off in production (the app's 404).
      expect(client(`${name}_default`, 'traefik')).toEqual({ '/health': 200, '/api/worker/queues': 200, '/docs': 404 });
    });

    it('a killed container is restarted by its policy (unless-stopped)', { timeout: 180_000 }, async () => {
      const pid = Number(inspect('worker-system', '{{.State.Pid}}'));
      const restarts = Number(inspect('worker-system', '{{.RestartCount}}'));
      process.kill(pid, 'SIGKILL');
      await until(
        () => Number(inspect('worker-system', '{{.RestartCount}}')) > restarts && inspect('worker-system', '{{.State.Status}}') === 'running',
        60_000,
        () => `worker-system: ${inspect('worker-system', '{{.State.Status}} restarts {{.RestartCount}}')}`,
      );
      await allHealthy();
    });

    it('the data in the volumes survives down and up', { timeout: 600_000 }, async () => {
      psql('CREATE TABLE boxed_marker (note text); INSERT INTO boxed_marker VALUES (\'kept\')');
      await timed('down + up (stack)', async () => {
        compose(['down', '--timeout', '10']);
        expect(run('podman', ['container', 'exists', container('postgres')], { env: engine.env }).status).not.toBe(0);
        compose(['up', '-d']);
        await allHealthy();
      });
      expect(psql('SELECT note FROM boxed_marker')).toBe('kept');
      // Redis's append-only file is in its volume: the finished job's result is still there.
      const job = JSON.parse((await askUntil(200, 'https', 443, `/api/worker/jobs/${jobId}`)).body) as { status: string };
      expect(job.status).toBe('complete');
      expect(inspect('migrate', '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0');
    });
  });
  // The heaviest stack of the matrix: 100 s (build 62, up 22, healthy 13) on a quiet machine, 270 s beside a CI run:
  // more than the suite's budget. The stack above has its scheduler and collector; run this one with
  // AEGIS_CONTAINERS_EVERYTHING=1.
  describe.skipIf(!process.env.AEGIS_CONTAINERS_EVERYTHING)('everything (the matrix\'s everything-postgres stack): the scheduler and the OpenTelemetry collector too', () => {
    const stack = findStack('everything-postgres');
    const name = 'boxedall';
    const stackCleanups: (() => void)[] = [];
    afterAll(() => {
      for (const cleanup of stackCleanups.reverse()) cleanup();
    });
    let project: string;
    const files = ['-f', 'docker-compose.yml', '-f', 'docker-compose.prod.yml'];
    const compose = (args: string[]): Ran => mustRun(dockerCompose(), [...files, ...args], { cwd: project, env: engine.env });
    const container = (service: string): string => `${name}-${service}-1`;
    // The otel-collector service has no health check (the official image has no shell to run one).
    const checked = ['redis', 'postgres', 'scheduler', 'worker-system', 'worker-load-test', 'traefik', 'webserver'];

    beforeAll(async () => {
      project = generate(work, name, ['--python-version', stack.pythonVersion, '--components', stack.components, '--services', stack.services]);
      addTickJob(project);
      // What production refuses to start without (app/core/config.py), as an operator's .env would set it.
      writeFileSync(
        join(project, '.env'),
        [
          'POSTGRES_PASSWORD=boxed-secret',
          'SECRET_KEY=containers-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz',
          'STRIPE_SECRET_KEY=sk_test_containers',
          'STRIPE_WEBHOOK_SECRET=whsec_containers',
          'EMAIL_FROM=Boxed <noreply@app.example.com>',
          `EMAIL_PUBLIC_URL=https://${DOMAIN}`,
          '',
        ].join('\n'),
      );
      await timed('stand-in images (everything)', () => ensureStandInImages(baseImagesOf(project)));
      stackCleanups.push(await takeHostPorts());
      stackCleanups.push(() => {
        run(dockerCompose(), [...files, 'down', '--volumes', '--remove-orphans', '--timeout', '3'], { cwd: project, env: engine.env });
        podmanQuiet(['rmi', '-f', `${name}:latest`], engine.env);
        podmanQuiet(['image', 'prune', '-f', '--filter', 'label=com.docker.compose.image.builder=classic'], engine.env);
      });
    }, 900_000);

    it('build, then up: every service with a health check turns healthy, the collector runs', { timeout: 900_000 }, async () => {
      await timed('compose build (everything)', () => compose(['build', 'webserver']));
      await timed('compose up (everything)', () => compose(['up', '-d', '--remove-orphans']));
      await timed('healthy (everything)', () =>
        until(
          () => checked.every((service) => healthOf(container(service), engine.env) === 'healthy'),
          300_000,
          () =>
            checked.map((service) => `${service}: ${healthOf(container(service), engine.env)}`).join(', ') +
            `\n${run(dockerCompose(), [...files, 'logs', '--tail', '20'], { cwd: project, env: engine.env }).stdout}`,
        ),
      );
      expect(podman(['inspect', '--format', '{{.State.Status}}', container('otel-collector')], { env: engine.env }).stdout.trim()).toBe('running');
      expect(podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container('migrate')], { env: engine.env }).stdout.trim()).toBe('exited 0');
    });

    it('/health through Traefik; the web server\'s spans reach the collector', { timeout: 180_000 }, async () => {
      const health = await askUntil(200, 'https', 443, '/health');
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', service: name });
      // /health is not traced (EXCLUDED_URLS); the signed-in user's route is, answering 401 without a token.
      expect((await ask('https', 443, '/api/auth/me')).status).toBe(401);
      let logs = '';
      await until(
        () => {
          logs = compose(['logs', 'otel-collector']).stdout;
          return logs.includes('"GET /api/auth/me"');
        },
        60_000,
        () => `the collector received no span of GET /api/auth/me:\n${logs}`,
      );
      const line = logs.split('\n').find((entry) => entry.includes('"GET /api/auth/me"'))!;
      expect(line).toContain('\tTraces\t');
      expect(line).toContain(`"services": ["${name}"]`);
    });

    it('the scheduler container runs the job register_jobs schedules, its store in the PostgreSQL container', { timeout: 180_000 }, async () => {
      await until(
        () => (compose(['logs', 'scheduler']).stdout.match(/"event": "containers_tick"/g) ?? []).length >= 2,
        60_000,
        () => `no containers_tick from the scheduler:\n${compose(['logs', '--tail', '30', 'scheduler']).stdout}`,
      );
      const sql = "SELECT id FROM scheduler.apscheduler_jobs WHERE id = 'containers_tick'";
      expect(compose(['exec', '-T', 'postgres', 'psql', '-U', 'postgres', '-d', name, '-tAc', sql]).stdout.trim()).toBe('containers_tick');
    });
  });
});
