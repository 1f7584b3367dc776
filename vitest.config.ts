import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import HeaviestFirstSequencer from './test/support/heaviest-first-sequencer.js';
import { PYTHON_BYTECODE_DIR } from './test/support/python-bytecode.js';

export default defineConfig({
  test: {
    // yeoman-test calls process.chdir, which worker threads do not allow.
    pool: 'forks',
    // One file per core (vitest's default is one less): the e2e files spend much of their time waiting on the
    // processes they start (uv, pytest, servers), and the stack matrix is dealt into shards that run side by side.
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: HeaviestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 600_000,
    projects: [
      {
        extends: true,
        // Pure and in memory: one module graph for all files saves a fork and a re-import per file.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'components/*/*.test.ts'],
          exclude: ['test/unit/**', 'node_modules/**'],
          // One Redis and one PostgreSQL for the run: REDIS_URL / TEST_POSTGRES_URL, or embedded ones when unset.
          globalSetup: ['test/support/global-setup.ts'],
          // The Python the tests start (generated projects' tests, servers, CLIs) writes its bytecode and reads it back,
          // even where the environment says not to (PYTHONDONTWRITEBYTECODE, as CI here does): otherwise every process
          // compiles each module it imports from source again, a third of a project's test run. The bytecode goes to
          // one folder outside the projects, which stay as generated.
          env: { PYTHONDONTWRITEBYTECODE: '', PYTHONPYCACHEPREFIX: PYTHON_BYTECODE_DIR },
        },
      },
    ],
  },
});
