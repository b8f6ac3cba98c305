import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/** The migration run of each client and migrations table (see `migratedClient`). */
const migrationRuns = new WeakMap<Knex, Map<string, Promise<void>>>();

/** How long a replica waits for another one's migrations of the same tables. */
const MIGRATION_WAIT_MS = 120_000;

/**
 * Runs the migrations; while another process (a replica starting at the same time) holds their
 * lock, waits for it to finish and then finds nothing left to do, instead of failing.
 */
async function latestWaitingForOthers(
  knex: Knex,
  config: { directory: string; tableName: string },
): Promise<void> {
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await knex.migrate.latest(config);
      return;
    } catch (e) {
      if ((e as Error)?.name !== 'MigrationLocked' || Date.now() > deadline)
        throw e;
      await new Promise(r => setTimeout(r, delay));
    }
  }
}

/**
 * A plugin's database client with its migrations run (from the `migrations` folder of
 * `packageName`, recorded in `tableName`), unless the installation or the caller skips them.
 * What every suite store's `static create()` calls, so no plugin, test or benchmark types its
 * migrations again. A plugin with several stores runs its migrations once: the run is shared by
 * every store created on the same client.
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
    let runs = migrationRuns.get(knex);
    if (!runs) migrationRuns.set(knex, (runs = new Map()));
    let run = runs.get(options.tableName);
    if (!run) {
      run = latestWaitingForOthers(knex, {
        directory: resolvePackagePath(options.packageName, 'migrations'),
        tableName: options.tableName,
      });
      runs.set(options.tableName, run);
      // A failed run is tried again by the next store, not remembered.
      run.catch(() => runs!.delete(options.tableName));
    }
    await run;
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

/** What one position of a paging cursor holds. @public */
export type CursorPart = 'string' | 'number';

/** The values of a decoded cursor, typed by its parts. @public */
export type CursorValues<K extends readonly CursorPart[]> = {
  [I in keyof K]: K[I] extends 'number' ? number : string;
};

/** The longest cursor accepted (the sort keys of one row). */
const MAX_CURSOR_LENGTH = 2048;

/**
 * The one format of every keyset paging cursor of the suite: the sort-key values of the last row
 * of a page (timestamps as epoch milliseconds), as base64url JSON. Opaque to callers: they hand
 * back what they were given.
 *
 * @public
 */
export function encodeCursor(...values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * A cursor made by `encodeCursor`, checked against the parts it must hold; anything else is an
 * InputError ("Invalid paging cursor", or the `name` given).
 *
 * @public
 */
export function decodeCursor<const K extends readonly CursorPart[]>(
  cursor: string,
  parts: K,
  /** What the error calls the cursor. */
  name = 'paging cursor',
): CursorValues<K> {
  let values: unknown;
  try {
    if (cursor.length > MAX_CURSOR_LENGTH) throw new Error('too long');
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (
    !Array.isArray(values) ||
    values.length !== parts.length ||
    values.some((v, i) =>
      parts[i] === 'number'
        ? typeof v !== 'number' || !Number.isFinite(v)
        : typeof v !== 'string' || v === '',
    )
  ) {
    throw new InputError(`Invalid ${name}`);
  }
  return values as CursorValues<K>;
}
