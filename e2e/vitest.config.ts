import { defineConfig } from 'vitest/config';

/**
 * Real-Chromium tests. One file at a time in one worker: each browser costs ~300 MB and CPU, and the
 * media timings the tests print are only meaningful on a quiet machine.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // The suite prints its join-time and latency figures; keep them visible.
    silent: false,
  },
});
