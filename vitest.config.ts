import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // yeoman-test calls process.chdir, which worker threads do not allow.
    pool: 'forks',
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
        test: { name: 'integration', include: ['test/**/*.test.ts', 'components/*/*.test.ts'], exclude: ['test/unit/**', 'node_modules/**'] },
      },
    ],
  },
});
