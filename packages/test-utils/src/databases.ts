import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The environment variable that points storage tests at a PostgreSQL 15 server. */
export const POSTGRES_URL_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** The databases every Infra Hub storage test runs on, when they are available. */
export const INFRA_TEST_DATABASE_IDS: TestDatabaseId[] = [
  'SQLITE_3',
  'POSTGRES_15',
];

/**
 * The databases a storage test runs on: SQLite always, PostgreSQL 15 when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING names a server (a user that may create
 * databases). Never Docker: a test uses the servers it is given.
 *
 * Call it once per test file, then `it.each(databases.eachSupportedId())`.
 */
export function createInfraTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: INFRA_TEST_DATABASE_IDS,
    disableDocker: true,
  });
}

/** True when storage tests also run on PostgreSQL. */
export function hasPostgres(): boolean {
  return Boolean(process.env[POSTGRES_URL_VARIABLE]);
}
