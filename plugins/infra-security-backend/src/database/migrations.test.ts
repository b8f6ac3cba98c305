import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { SECURITY_MIGRATIONS } from './migrations';

const TABLES = [
  'infra_tenants',
  'infra_workspaces',
  'infra_role_bindings',
  'infra_credentials',
  'infra_api_keys',
  'infra_audit_events',
  'infra_system_credentials',
  'infra_audit_keys',
  'infra_audit_checkpoints',
];
const databases = createInfraTestDatabases();

describe.each(databases.eachSupportedId())(
  'infra-security-backend migrations on %s',
  id => {
    it('go up, all the way down, and up again', async () => {
      const knex = await databases.init(id);
      const result = await migrateUpAndDown(knex, {
        ...SECURITY_MIGRATIONS,
        tables: TABLES,
      });
      expect(result.ran.length).toBeGreaterThan(0);
      expect(result.afterUp).toEqual(TABLES);
      expect(result.afterDown).toEqual([]);
      expect(result.afterUpAgain).toEqual(TABLES);
    });
  },
);
