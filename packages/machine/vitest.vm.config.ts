import { defineConfig } from 'vitest/config';

// `pnpm test:vm`: tests that boot the real Cartesi machine (built by `pnpm machine build`). One file at a time: each
// machine run keeps a core busy for minutes, and the machine has two.
export default defineConfig({
  test: {
    include: ['test/**/*.vm.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
