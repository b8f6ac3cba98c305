import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { ApiKeyStore } from './ApiKeyStore';
import { AuditStore } from './AuditStore';
import { CredentialStore } from './CredentialStore';
import { SECURITY_MIGRATIONS } from './migrations';
import { TenantStore } from './TenantStore';

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

    it('run once on start, however many stores the plugin creates', async () => {
      const knex = await databases.init(id);
      const database = mockServices.database({ knex });
      // Each migration run takes the migrations lock once (the update with a where clause).
      let runs = 0;
      knex.on('query', (q: { sql: string }) => {
        if (
          /update .infra_security_migrations_lock. set .is_locked. = (\?|\$\d+) where/i.test(
            q.sql,
          )
        )
          runs += 1;
      });
      await Promise.all([
        TenantStore.create({ database }),
        AuditStore.create({ database }),
        CredentialStore.create({ database }),
        ApiKeyStore.create({ database }),
      ]);
      await TenantStore.create({ database });
      expect(runs).toBe(1);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
    });
  },
);
