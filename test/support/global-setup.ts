/**
 * The integration project's globalSetup: the test Redis and PostgreSQL for the whole run (test/support/test-servers.ts),
 * given to the test files through vitest's provide/inject, and stopped when the run ends.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { PYTHON_BYTECODE_DIR } from './python-bytecode.js';
import { startTestServers } from './test-servers.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const { servers, stop } = await startTestServers();
  project.provide('testServers', servers);
  const where = (name: 'redis' | 'postgres', variable: string) =>
    servers.embedded.includes(name) ? `embedded (${variable} unset)` : `${variable}`;
  const redisHost = new URL(servers.redis).host;
  const postgresHost = new URL(servers.postgres).host;
  console.log(
    `test servers: Redis ${where('redis', 'REDIS_URL')} at ${redisHost}, PostgreSQL ${where('postgres', 'TEST_POSTGRES_URL')} at ${postgresHost} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return async () => {
    await stop();
    try {
      rmSync(PYTHON_BYTECODE_DIR, { recursive: true, force: true });
    } catch {
      // A process the run started may still be writing there as it ends: the folder is only left behind.
    }
  };
}
