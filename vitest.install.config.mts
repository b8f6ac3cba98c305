import { defineConfig } from 'vitest/config';

// The install paths of an adopter (packages/*/install): the backend bundle run from dist, and the
// packed packages in a fresh Backstage app. Slow (they build and install), so they run as a step
// of their own in `npm test`.
export default defineConfig({
  test: {
    name: 'install',
    globals: true,
    environment: 'node',
    include: ['packages/*/install/**/*.install.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
