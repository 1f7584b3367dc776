import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // yeoman-test calls process.chdir, which worker threads do not allow.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
