import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Interop cells spawn real SDK processes; they run one at a time inside their file.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Cells of the interop matrix run two at a time (it.concurrent): the machine has 2 cores and
    // time-based scenarios (polling, TTL expiry) must not be starved.
    maxConcurrency: 2,
  },
});
