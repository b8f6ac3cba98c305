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

/**
 * A timestamp as the database returns it (a Date, a string, or SQLite's milliseconds) in ISO
 * 8601; `null` and `undefined` stay absent.
 *
 * @public
 */
export function toIso(value: Date | string | number): string;
/** @public */
export function toIso(
  value: Date | string | number | null | undefined,
): string | undefined;
export function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Date(value as string).toISOString();
}

/**
 * True when a database error is a unique (or primary key) violation, on PostgreSQL (SQLSTATE
 * 23505) and SQLite (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY`) alike.
 *
 * @public
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
