import { defineConfig } from 'vitest/config';

// React 18's deprecation warnings about material-table (under Backstage's Table) repeat for every
// render and say nothing about the code under test.
const QUIET = [
  'Support for defaultProps will be removed',
  'findDOMNode is deprecated',
];

// Every workspace with a vitest.config.mts is one project of the test run.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.mts', 'plugins/*/vitest.config.mts'],
    onConsoleLog: log => !QUIET.some(text => log.includes(text)),
    globalSetup: ['./packages/test-utils/src/globalSetup.ts'],
  },
});
