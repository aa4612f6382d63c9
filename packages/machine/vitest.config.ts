import { defineConfig } from 'vitest/config';

// `pnpm test`: the fast tests (builder logic, drive formats, error messages, guest C on the host). Nothing here boots
// the machine; that is vitest.vm.config.ts (`pnpm test:vm`).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'guest/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
