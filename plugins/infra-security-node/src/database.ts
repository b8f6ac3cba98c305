import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * A plugin's database client with its migrations run (from the `migrations` folder of
 * `packageName`, recorded in `tableName`), unless the installation or the caller skips them.
 * What every suite store's `static create()` calls, so no plugin, test or benchmark types its
 * migrations again.
 *
 * @public
 */
export async function migratedClient(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
  packageName: string;
  tableName: string;
}): Promise<Knex> {
  const knex = await options.database.getClient();
  if (!options.skipMigrations && !options.database.migrations?.skip) {
    await knex.migrate.latest({
      directory: resolvePackagePath(options.packageName, 'migrations'),
      tableName: options.tableName,
    });
  }
  return knex;
}

/** How a store is made: the plugin's database service, and whether to skip migrations. @public */
export type StoreOptions = {
  database: DatabaseService;
  skipMigrations?: boolean;
};
