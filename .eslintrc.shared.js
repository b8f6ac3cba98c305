// ESLint for every package: Backstage's config, with its Jest rules told which Jest API the
// tests follow (they run on vitest, whose API matches Jest's, plus expect's message argument).
module.exports = dir =>
  require('@backstage/cli/config/eslint-factory')(dir, {
    settings: { jest: { version: 30 } },
    rules: { 'jest/valid-expect': ['error', { maxArgs: 2 }] },
  });
