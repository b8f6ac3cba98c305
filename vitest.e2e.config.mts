import { defineConfig } from 'vitest/config';

// The browser end-to-end test: starts the portal itself (see packages/app/e2e/portal.ts) and
// drives Debian's Chromium through playwright-core. Screenshots go to e2e-screenshots/.
export default defineConfig({
  test: {
    name: 'e2e',
    globals: true,
    environment: 'node',
    include: ['packages/*/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 360_000,
    fileParallelism: false,
  },
});
