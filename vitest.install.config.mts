import { defineConfig } from 'vitest/config';

// The install paths of an adopter: the backend bundle run from dist (packages/*/install). Slow
// (it builds and installs), so it runs as a step of its own in `npm test`.
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
