import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The machines have two cores shared with other work; two workers keep the heavy model tests from thrashing.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
