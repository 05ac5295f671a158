import { defineConfig } from 'vitest/config';
import { DEFAULT_CONCURRENCY } from './src/matrix.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Interop cells spawn real SDK processes; they run one at a time inside their file.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Cells of the interop matrix run as many at a time as `npm start` runs them (it.concurrent).
    maxConcurrency: DEFAULT_CONCURRENCY,
  },
});
