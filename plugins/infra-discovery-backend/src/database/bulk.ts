import { Knex } from 'knex';
import { once } from 'node:events';
import { from as copyFrom } from 'pg-copy-streams';

/** A row for a bulk write: column → value (strings, numbers, dates, null). */
export type BulkRow = Record<string, string | number | Date | null>;

/** Rows per chunk written to a COPY stream. */
const COPY_CHUNK_ROWS = 1000;

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** One value in COPY's text format: `\N` for null, backslash escapes for the rest. */
function copyValue(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[\\\n\r\t]/.test(text)
    ? text.replace(/[\\\n\r\t]/g, c => COPY_ESCAPES[c])
    : text;
}

/**
 * Writes rows into a PostgreSQL table with `COPY ... FROM STDIN` on the transaction's own
 * connection (so that the rows are part of it). Every row has the given columns, in that order.
 * Every row is stamped with `tenantId` as `tenant_id` (a row naming another tenant is refused),
 * the way `TenantScope.insert` does.
 */
export async function copyRowsPg(
  trx: Knex.Transaction,
  table: string,
  columns: string[],
  tenantId: string,
  rows: Iterable<BulkRow>,
): Promise<number> {
  const all = columns.includes('tenant_id')
    ? columns
    : ['tenant_id', ...columns];
  const connection: any = await trx.client.acquireConnection();
  const stream = connection.query(
    copyFrom(
      `COPY "${table}" (${all.map(c => `"${c}"`).join(', ')}) FROM STDIN`,
    ),
  );
  let failure: Error | undefined;
  stream.on('error', (e: Error) => {
    failure = e;
  });
  let count = 0;
  let chunk: string[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    const text = chunk.join('');
    chunk = [];
    if (!stream.write(text)) {
      await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
    }
  };
  for (const row of rows) {
    if (failure) break;
    if (row.tenant_id !== undefined && row.tenant_id !== tenantId)
      throw new Error(`Row for another tenant in the scope of '${tenantId}'`);
    const values: string[] = [];
    for (const c of all)
      values.push(c === 'tenant_id' ? copyValue(tenantId) : copyValue(row[c]));
    chunk.push(`${values.join('\t')}\n`);
    count += 1;
    if (chunk.length >= COPY_CHUNK_ROWS) await flush();
  }
  if (!failure) await flush();
  if (!failure) {
    const done = once(stream, 'finish');
    stream.end();
    try {
      await done;
    } catch (e) {
      failure = e as Error;
    }
  }
  if (failure) throw failure;
  return count;
}

/**
 * Writes rows into a SQLite table through one prepared statement run per row, on the
 * transaction's own connection (better-sqlite3 runs them synchronously, in the transaction).
 * `upsert` makes it `INSERT ... ON CONFLICT (...) DO UPDATE SET` the named columns.
 */
export async function insertRowsSqlite(
  trx: Knex.Transaction,
  table: string,
  columns: string[],
  tenantId: string,
  rows: Iterable<BulkRow>,
  upsert?: { conflict: string[]; merge: string[] },
): Promise<number> {
  const all = columns.includes('tenant_id')
    ? columns
    : ['tenant_id', ...columns];
  const connection: any = await trx.client.acquireConnection();
  const onConflict = upsert
    ? ` ON CONFLICT (${upsert.conflict
        .map(c => `"${c}"`)
        .join(', ')}) DO UPDATE SET ${upsert.merge
        .map(c => `"${c}" = excluded."${c}"`)
        .join(', ')}`
    : '';
  const statement = connection.prepare(
    `INSERT INTO "${table}" (${all.map(c => `"${c}"`).join(', ')}) VALUES (${all
      .map(() => '?')
      .join(', ')})${onConflict}`,
  );
  let count = 0;
  for (const row of rows) {
    if (row.tenant_id !== undefined && row.tenant_id !== tenantId)
      throw new Error(`Row for another tenant in the scope of '${tenantId}'`);
    statement.run(
      all.map(c => {
        if (c === 'tenant_id') return tenantId;
        const v = row[c];
        // knex stores dates on SQLite as milliseconds since the epoch; so do we.
        return v instanceof Date ? v.getTime() : v ?? null;
      }),
    );
    count += 1;
  }
  return count;
}
