import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { migratedClient } from '@infra-hub/plugin-infra-security-node';
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

    it('wait while another replica holds their lock, then find nothing left to do', async () => {
      const knex = await databases.init(id);
      // Another replica is migrating: it holds the lock (knex's lock row) for a while.
      const lock = `${DISCOVERY_MIGRATIONS.tableName}_lock`;
      await knex.schema.createTable(lock, t => {
        t.increments('index').primary();
        t.integer('is_locked');
      });
      await knex(lock).insert({ is_locked: 1 });
      let done = false;
      const migrating = migratedClient({
        database: mockServices.database({ knex }),
        ...DISCOVERY_MIGRATIONS,
      }).then(() => {
        done = true;
      });
      await new Promise(r => setTimeout(r, 700));
      expect(done).toBe(false);
      expect(await knex.schema.hasTable('infra_assets')).toBe(false);
      // It finishes (here: releases the lock without migrating), and this replica goes on.
      await knex(lock).update({ is_locked: 0 });
      await migrating;
      expect(await knex.schema.hasTable('infra_assets')).toBe(true);
    });
  },
);
