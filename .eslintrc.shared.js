// ESLint for every package: Backstage's config, with its Jest rules told which Jest API the
// tests follow (they run on vitest, whose API matches Jest's, plus expect's message argument).
module.exports = dir =>
  require('@backstage/cli/config/eslint-factory')(dir, {
    settings: { jest: { version: 30 } },
    rules: { 'jest/valid-expect': ['error', { maxArgs: 2 }] },
    overrides: [
      {
        // A backend test starts a real backend with the suite's other plugins (the security
        // spine, the permission policy) next to the one under test: those imports are the point
        // of the test, not a dependency of the package's code.
        files: ['**/*.test.ts', '**/*.test.tsx'],
        rules: { '@backstage/no-mixed-plugin-imports': 'off' },
      },
    ],
  });
