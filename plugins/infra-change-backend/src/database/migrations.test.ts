import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { CHANGE_MIGRATIONS } from './migrations';

const TABLES = [
  'infra_change_modules',
  'infra_change_plans',
  'infra_change_requests',
  'infra_change_decisions',
  'infra_signing_keys',
];
const databases = createInfraTestDatabases();

describe.each(databases.eachSupportedId())(
  'infra-change-backend migrations on %s',
  id => {
    it('go up, all the way down, and up again', async () => {
      const knex = await databases.init(id);
      const result = await migrateUpAndDown(knex, {
        ...CHANGE_MIGRATIONS,
        tables: TABLES,
      });
      expect(result.ran.length).toBeGreaterThan(0);
      expect(result.afterUp).toEqual(TABLES);
      expect(result.afterDown).toEqual([]);
      expect(result.afterUpAgain).toEqual(TABLES);
    });
  },
);
