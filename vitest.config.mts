import { defineConfig } from 'vitest/config';

// Every workspace with a vitest.config.mts is one project of the test run.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.mts', 'plugins/*/vitest.config.mts'],
    globalSetup: ['./packages/test-utils/src/globalSetup.ts'],
  },
});
