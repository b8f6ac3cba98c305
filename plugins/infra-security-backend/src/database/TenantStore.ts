import {
  InfraRole,
  RoleBinding,
  Tenant,
  Workspace,
} from '@infra-hub/plugin-infra-security-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { API_KEYS_TABLE } from './ApiKeyStore';
import { CREDENTIALS_TABLE } from './CredentialStore';
import { SECURITY_MIGRATIONS } from './migrations';

const TENANTS = 'infra_tenants';
const WORKSPACES = 'infra_workspaces';
const BINDINGS = 'infra_role_bindings';

type TenantRow = {
  id: string;
  kind: string;
  title: string;
  description: string | null;
  created_by: string;
  created_at: Date | string | number;
};

const toTenant = (r: TenantRow): Tenant => ({
  id: r.id,
  title: r.title,
  description: r.description ?? undefined,
  createdAt: toIso(r.created_at),
  createdBy: r.created_by,
});

/**
 * Tenants, their workspaces and the roles users hold in them (system-admin in the system scope):
 * the tables `infra_tenants`, `infra_workspaces` and `infra_role_bindings`. Rows in, domain
 * objects out; what may change and who is told is the `Tenants` service's business.
 */
export class TenantStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new TenantStore(
      await migratedClient({ ...options, ...SECURITY_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  // ---- tenants --------------------------------------------------------------------------------

  /** Tenants by id; `all` lists every tenant (the system scope is never listed). */
  async listTenants(ids: string[] | 'all'): Promise<Tenant[]> {
    let q = this.knex<TenantRow>(TENANTS).where({ kind: 'tenant' });
    if (ids !== 'all') q = q.whereIn('id', ids);
    return (await q.orderBy('id')).map(toTenant);
  }

  async getTenant(id: string): Promise<Tenant | undefined> {
    const row = await this.knex<TenantRow>(TENANTS)
      .where({ id, kind: 'tenant' })
      .first();
    return row && toTenant(row);
  }

  /** True for a tenant and for the system scope's own row. */
  async exists(id: string): Promise<boolean> {
    return Boolean(await this.knex(TENANTS).where({ id }).first('id'));
  }

  async insertTenant(input: {
    id: string;
    title: string;
    description?: string;
    createdBy: string;
  }): Promise<void> {
    await this.knex(TENANTS).insert({
      id: input.id,
      kind: 'tenant',
      title: input.title,
      description: input.description ?? null,
      created_by: input.createdBy,
      created_at: new Date(),
    });
  }

  /**
   * Deletes a tenant with every row this plugin keeps for it, in one transaction (its audit
   * chain stays: the database refuses to delete it).
   */
  async deleteTenant(id: string): Promise<void> {
    await this.knex.transaction(async trx => {
      // Children first: SQLite enforces foreign keys only where they are switched on.
      for (const table of [
        API_KEYS_TABLE,
        CREDENTIALS_TABLE,
        BINDINGS,
        WORKSPACES,
      ]) {
        await TenantScope.of(trx, id).table(table).delete();
      }
      await trx(TENANTS).where({ id, kind: 'tenant' }).delete();
    });
  }

  // ---- workspaces -----------------------------------------------------------------------------

  async listWorkspaces(tenantId: string): Promise<Workspace[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(WORKSPACES)
      .orderBy('id');
    return rows.map((r: any) => ({
      tenantId: r.tenant_id,
      id: r.id,
      title: r.title,
      createdAt: toIso(r.created_at),
    }));
  }

  async hasWorkspace(tenantId: string, id: string): Promise<boolean> {
    return Boolean(
      await TenantScope.of(this.knex, tenantId)
        .table(WORKSPACES)
        .where({ id })
        .first('id'),
    );
  }

  async insertWorkspace(
    tenantId: string,
    input: { id: string; title: string; createdBy: string },
  ): Promise<void> {
    await TenantScope.of(this.knex, tenantId).insert(WORKSPACES, {
      id: input.id,
      title: input.title,
      created_by: input.createdBy,
      created_at: new Date(),
    });
  }

  /** True when there was such a workspace. */
  async deleteWorkspace(tenantId: string, id: string): Promise<boolean> {
    const deleted = await TenantScope.of(this.knex, tenantId)
      .table(WORKSPACES)
      .where({ id })
      .delete();
    return deleted > 0;
  }

  // ---- role bindings --------------------------------------------------------------------------

  async members(scopeId: string): Promise<RoleBinding[]> {
    const rows = await TenantScope.of(this.knex, scopeId)
      .table(BINDINGS)
      .orderBy([{ column: 'user_ref' }, { column: 'role' }]);
    return rows.map((r: any) => ({
      scope: r.tenant_id,
      userRef: r.user_ref,
      role: r.role,
      grantedBy: r.granted_by,
      grantedAt: toIso(r.granted_at),
    }));
  }

  /** The roles a user holds in one tenant (or the system scope). */
  async rolesIn(userRef: string, scopeId: string): Promise<InfraRole[]> {
    const rows = await TenantScope.of(this.knex, scopeId)
      .table(BINDINGS)
      .where({ user_ref: userRef })
      .select('role');
    return rows.map((r: { role: InfraRole }) => r.role);
  }

  /** Every role a user holds, in every scope: what the permission policy decides from. */
  async rolesOf(
    userRef: string,
  ): Promise<Array<{ scope: string; role: InfraRole }>> {
    const rows = await this.knex(BINDINGS)
      .where({ user_ref: userRef })
      .select('tenant_id', 'role');
    return rows.map(r => ({ scope: r.tenant_id, role: r.role }));
  }

  /** How many users hold a role in a scope. */
  async holders(scopeId: string, role: InfraRole): Promise<number> {
    const [{ count }] = await TenantScope.of(this.knex, scopeId)
      .table(BINDINGS)
      .where({ role })
      .count({ count: '*' });
    return Number(count);
  }

  async insertBinding(
    scopeId: string,
    binding: { userRef: string; role: InfraRole; grantedBy: string },
  ): Promise<void> {
    await TenantScope.of(this.knex, scopeId).insert(BINDINGS, {
      user_ref: binding.userRef,
      role: binding.role,
      granted_by: binding.grantedBy,
      granted_at: new Date(),
    });
  }

  /** True when the user held the role there. */
  async deleteBinding(
    scopeId: string,
    userRef: string,
    role: InfraRole,
  ): Promise<boolean> {
    const deleted = await TenantScope.of(this.knex, scopeId)
      .table(BINDINGS)
      .where({ user_ref: userRef, role })
      .delete();
    return deleted > 0;
  }
}
