import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * How the suite's stores reach a tenant's rows: every query it builds is limited to one tenant
 * (or to a given set of tenants), and every row it inserts is stamped with that tenant. A scope
 * cannot be made without a tenant, so a store cannot run an unscoped query by mistake. The few
 * queries that span every tenant on purpose (the sweep of scheduled sources, the heads of all
 * audit chains, a user's roles in every scope, purging) and the tables that belong to no tenant
 * (`infra_tenants`, the audit keys) use knex directly, in their store only, and say why.
 *
 * ```ts
 * const scope = TenantScope.of(knex, tenantId);
 * await scope.table('infra_assets').where({ id }).first();   // ... AND tenant_id = ?
 * await scope.insert('infra_assets', { id, name });          // tenant_id stamped
 * ```
 *
 * @public
 */
export class TenantScope {
  private constructor(
    private readonly knex: Knex | Knex.Transaction,
    readonly tenantIds: readonly string[],
  ) {}

  /** A scope of one tenant. */
  static of(knex: Knex | Knex.Transaction, tenantId: string): TenantScope {
    return TenantScope.ofMany(knex, [tenantId]);
  }

  /**
   * A scope of several tenants, for list queries filtered to what a caller may see. An empty list
   * is a valid scope that matches nothing.
   */
  static ofMany(
    knex: Knex | Knex.Transaction,
    tenantIds: readonly string[],
  ): TenantScope {
    for (const id of tenantIds) {
      if (typeof id !== 'string' || !TENANT_ID.test(id)) {
        throw new InputError(`Invalid tenant id '${String(id)}'`);
      }
    }
    return new TenantScope(knex, [...new Set(tenantIds)]);
  }

  /** The one tenant of a single-tenant scope. */
  get tenantId(): string {
    if (this.tenantIds.length !== 1) {
      throw new Error('This scope spans several tenants; use tenantIds');
    }
    return this.tenantIds[0];
  }

  /** A query on `table` limited to this scope's tenants (column `tenant_id`). */
  table(table: string): Knex.QueryBuilder {
    const query = this.knex(table);
    return this.tenantIds.length === 1
      ? query.where(`${table}.tenant_id`, this.tenantIds[0])
      : query.whereIn(`${table}.tenant_id`, this.tenantIds);
  }

  /** Inserts rows into `table`, each stamped with this (single) scope's tenant. */
  insert(
    table: string,
    rows: Record<string, unknown> | Record<string, unknown>[],
  ) {
    const tenantId = this.tenantId;
    const list = Array.isArray(rows) ? rows : [rows];
    for (const row of list) {
      if ('tenant_id' in row && row.tenant_id !== tenantId) {
        throw new Error(
          `Row for tenant '${row.tenant_id}' inserted in the scope of '${tenantId}'`,
        );
      }
    }
    return this.knex(table).insert(
      list.map(row => ({ ...row, tenant_id: tenantId })),
    );
  }

  /** The same scope inside a transaction. */
  within(trx: Knex.Transaction): TenantScope {
    return new TenantScope(trx, this.tenantIds);
  }
}

/** True when `id` has the form of a tenant id (lowercase letters, digits and dashes). @public */
export function isValidTenantId(id: unknown): id is string {
  return typeof id === 'string' && TENANT_ID.test(id);
}
