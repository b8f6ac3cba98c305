import { hasPostgres, POSTGRES_URL_VARIABLE } from './databases';

/**
 * Runs once before the whole test run: says loudly which suites cannot run here and how to
 * enable them, so that a green run never hides what it skipped.
 */
export default function setup() {
  if (!hasPostgres()) {
    const line = '!'.repeat(100);
    process.stderr.write(
      `\n${line}\n` +
        `SKIPPED: the PostgreSQL runs of every storage test (they ran on SQLite only) and the\n` +
        `production start-up test (packages/backend/src/production.test.ts).\n` +
        `To enable: set ${POSTGRES_URL_VARIABLE}=postgresql://USER:PASSWORD@127.0.0.1:PORT\n` +
        `(a user that may create databases), or run .ci/run, which starts a throwaway PostgreSQL 15.\n` +
        `${line}\n\n`,
    );
  }
}
