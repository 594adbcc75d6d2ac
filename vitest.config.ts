import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Media tests open real UDP peers; keep files in separate forks so native cleanup is per process.
    pool: 'forks',
  },
});
