/**
 * Test helpers shared by every Infra Hub package.
 *
 * @packageDocumentation
 */
export {
  createInfraTestDatabases,
  hasPostgres,
  INFRA_TEST_DATABASE_IDS,
  POSTGRES_URL_VARIABLE,
} from './databases';
export { onBehalfOfAwareMockAuth } from './auth';
export { deleteTenantAndAwaitPurge } from './tenants';
export { migrateUpAndDown } from './migrations';
export { PERSONAS, testVault } from './personas';
export {
  collectOutput,
  demoToken,
  finishedJob,
  freePort,
  guestToken,
  postgresBackendEnv,
  spawnDevelopmentBackend,
  waitForBackend,
} from './backendProcess';
export { corpusPath, readCorpusJson } from './corpora';
export { benchEstateStack } from './benchEstate';
export type { BenchResource, BenchState } from './benchEstate';
