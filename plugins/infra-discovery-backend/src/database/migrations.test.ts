import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { DISCOVERY_MIGRATIONS } from './migrations';

const TABLES = [
  'infra_assets',
  'infra_edges',
  'infra_discovery_sources',
  'infra_discovery_jobs',
];
const databases = createInfraTestDatabases();

describe.each(databases.eachSupportedId())(
  'infra-discovery-backend migrations on %s',
  id => {
    it('go up, all the way down, and up again', async () => {
      const knex = await databases.init(id);
      const result = await migrateUpAndDown(knex, {
        ...DISCOVERY_MIGRATIONS,
        tables: TABLES,
      });
      expect(result.ran.length).toBeGreaterThan(0);
      expect(result.afterUp).toEqual(TABLES);
      expect(result.afterDown).toEqual([]);
      expect(result.afterUpAgain).toEqual(TABLES);
    });
  },
);
