import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  InfraRole,
  RoleBinding,
  SYSTEM_SCOPE,
  Tenant,
  Workspace,
} from '@infra-hub/plugin-infra-security-common';
import {
  TenantLifecycleEvent,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { AuditLog } from './AuditLog';

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
 * Tenants, their workspaces, and the roles users hold in them (system-admin in the system
 * scope). Every change is audited in the scope it happens in.
 */
export class Tenants {
  constructor(
    private readonly knex: Knex,
    private readonly audit: AuditLog,
    /** Told when a tenant is created or deleted (the other plugins forget its rows). */
    private readonly onChange?: (event: TenantLifecycleEvent) => Promise<void>,
  ) {}

  // ---- tenants --------------------------------------------------------------------------------

  /** Tenants by id; `all` lists every tenant (the system scope is never listed). */
  async list(ids: string[] | 'all'): Promise<Tenant[]> {
    let q = this.knex<TenantRow>('infra_tenants').where({ kind: 'tenant' });
    if (ids !== 'all') q = q.whereIn('id', ids);
    return (await q.orderBy('id')).map(toTenant);
  }

  async get(id: string): Promise<Tenant> {
    const row = await this.knex<TenantRow>('infra_tenants')
      .where({ id, kind: 'tenant' })
      .first();
    if (!row) throw new NotFoundError(`No tenant '${id}'`);
    return toTenant(row);
  }

  async exists(id: string): Promise<boolean> {
    return Boolean(await this.knex('infra_tenants').where({ id }).first('id'));
  }

  async create(
    input: { id: string; title: string; description?: string },
    actor: string,
  ): Promise<Tenant> {
    if (input.id === SYSTEM_SCOPE) {
      throw new InputError(
        `'${SYSTEM_SCOPE}' is reserved for the system scope and cannot be a tenant id`,
      );
    }
    if (await this.exists(input.id)) {
      throw new ConflictError(`Tenant '${input.id}' already exists`);
    }
    await this.knex('infra_tenants').insert({
      id: input.id,
      kind: 'tenant',
      title: input.title,
      description: input.description ?? null,
      created_by: actor,
      created_at: new Date(),
    });
    await this.audit.record({
      scope: SYSTEM_SCOPE,
      actor,
      action: 'tenant.created',
      subject: input.id,
      details: { title: input.title },
    });
    await this.audit.record({
      scope: input.id,
      actor,
      action: 'tenant.created',
      subject: input.id,
      details: { title: input.title },
    });
    await this.onChange?.({ tenantId: input.id, change: 'created' });
    return this.get(input.id);
  }

  async delete(id: string, actor: string): Promise<void> {
    const tenant = await this.get(id);
    await this.knex.transaction(async trx => {
      // Children first: SQLite enforces foreign keys only where they are switched on.
      for (const table of [
        'infra_api_keys',
        'infra_credentials',
        'infra_role_bindings',
        'infra_workspaces',
      ]) {
        await TenantScope.of(trx, id).table(table).delete();
      }
      await trx('infra_tenants').where({ id, kind: 'tenant' }).delete();
    });
    // The tenant's audit log stays: it is evidence, and the database refuses to delete it.
    await this.audit.record({
      scope: SYSTEM_SCOPE,
      actor,
      action: 'tenant.deleted',
      subject: id,
      details: { title: tenant.title },
    });
    // Every plugin forgets the tenant's rows (each records tenant.purged in the system scope).
    await this.onChange?.({ tenantId: id, change: 'deleted' });
  }

  // ---- workspaces -----------------------------------------------------------------------------

  async listWorkspaces(tenantId: string): Promise<Workspace[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table('infra_workspaces')
      .orderBy('id');
    return rows.map((r: any) => ({
      tenantId: r.tenant_id,
      id: r.id,
      title: r.title,
      createdAt: toIso(r.created_at),
    }));
  }

  async createWorkspace(
    tenantId: string,
    input: { id: string; title: string },
    actor: string,
  ): Promise<Workspace> {
    await this.get(tenantId);
    const scope = TenantScope.of(this.knex, tenantId);
    if (await scope.table('infra_workspaces').where({ id: input.id }).first()) {
      throw new ConflictError(
        `Tenant '${tenantId}' already has a workspace '${input.id}'`,
      );
    }
    await scope.insert('infra_workspaces', {
      id: input.id,
      title: input.title,
      created_by: actor,
      created_at: new Date(),
    });
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'workspace.created',
      subject: input.id,
      details: { title: input.title },
    });
    return (await this.listWorkspaces(tenantId)).find(w => w.id === input.id)!;
  }

  async deleteWorkspace(
    tenantId: string,
    workspaceId: string,
    actor: string,
  ): Promise<void> {
    const deleted = await TenantScope.of(this.knex, tenantId)
      .table('infra_workspaces')
      .where({ id: workspaceId })
      .delete();
    if (!deleted)
      throw new NotFoundError(
        `No workspace '${workspaceId}' in tenant '${tenantId}'`,
      );
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'workspace.deleted',
      subject: workspaceId,
    });
  }

  // ---- role bindings --------------------------------------------------------------------------

  async members(scopeId: string): Promise<RoleBinding[]> {
    const rows = await TenantScope.of(this.knex, scopeId)
      .table('infra_role_bindings')
      .orderBy([{ column: 'user_ref' }, { column: 'role' }]);
    return rows.map((r: any) => ({
      scope: r.tenant_id,
      userRef: r.user_ref,
      role: r.role,
      grantedBy: r.granted_by,
      grantedAt: toIso(r.granted_at),
    }));
  }

  /** Every role a user holds, in every scope: what the permission policy decides from. */
  /** The roles a user holds in one tenant (or the system scope). */
  async rolesIn(userRef: string, scopeId: string): Promise<InfraRole[]> {
    const rows = await TenantScope.of(this.knex, scopeId)
      .table('infra_role_bindings')
      .where({ user_ref: userRef })
      .select('role');
    return rows.map((r: { role: InfraRole }) => r.role);
  }

  async rolesOf(
    userRef: string,
  ): Promise<Array<{ scope: string; role: InfraRole }>> {
    const rows = await this.knex('infra_role_bindings')
      .where({ user_ref: userRef })
      .select('tenant_id', 'role');
    return rows.map(r => ({ scope: r.tenant_id, role: r.role }));
  }

  async grant(
    scopeId: string,
    userRef: string,
    role: InfraRole,
    actor: string,
  ): Promise<RoleBinding> {
    this.checkRoleFitsScope(scopeId, role);
    if (!(await this.exists(scopeId)))
      throw new NotFoundError(`No tenant '${scopeId}'`);
    const scope = TenantScope.of(this.knex, scopeId);
    const existing = await scope
      .table('infra_role_bindings')
      .where({ user_ref: userRef, role })
      .first();
    if (!existing) {
      await scope.insert('infra_role_bindings', {
        user_ref: userRef,
        role,
        granted_by: actor,
        granted_at: new Date(),
      });
      await this.audit.record({
        scope: scopeId,
        actor,
        action: 'role.granted',
        subject: userRef,
        details: { role },
      });
    }
    return (await this.members(scopeId)).find(
      b => b.userRef === userRef && b.role === role,
    )!;
  }

  async revoke(
    scopeId: string,
    userRef: string,
    role: InfraRole,
    actor: string,
  ): Promise<void> {
    const scope = TenantScope.of(this.knex, scopeId);
    const binding = await scope
      .table('infra_role_bindings')
      .where({ user_ref: userRef, role })
      .first();
    if (!binding)
      throw new NotFoundError(
        `${userRef} does not hold ${role} in '${scopeId}'`,
      );
    if (role === 'system-admin') {
      const [{ count }] = await scope
        .table('infra_role_bindings')
        .where({ role })
        .count({ count: '*' });
      if (Number(count) <= 1) {
        throw new ConflictError(
          'Cannot revoke the last system-admin: grant the role to someone else first',
        );
      }
    }
    await scope
      .table('infra_role_bindings')
      .where({ user_ref: userRef, role })
      .delete();
    await this.audit.record({
      scope: scopeId,
      actor,
      action: 'role.revoked',
      subject: userRef,
      details: { role },
    });
  }

  private checkRoleFitsScope(scopeId: string, role: InfraRole) {
    if (scopeId === SYSTEM_SCOPE && role !== 'system-admin') {
      throw new InputError(
        `Only system-admin is held in the system scope, not ${role}`,
      );
    }
    if (scopeId !== SYSTEM_SCOPE && role === 'system-admin') {
      throw new InputError(
        'system-admin is held in the system scope, not in a tenant',
      );
    }
  }

  // ---- bootstrap ------------------------------------------------------------------------------

  /**
   * Applies infra.security.bootstrap from config: creates missing tenants and grants missing
   * roles. It never removes anything, so it is safe on every start.
   */
  async bootstrap(config: BootstrapConfig): Promise<void> {
    const actor = 'config:infra.security.bootstrap';
    for (const userRef of config.systemAdmins) {
      await this.grant(SYSTEM_SCOPE, userRef, 'system-admin', actor);
    }
    for (const tenant of config.tenants) {
      if (!(await this.exists(tenant.id))) {
        await this.create(
          {
            id: tenant.id,
            title: tenant.title,
            description: tenant.description,
          },
          actor,
        );
      }
      for (const ws of tenant.workspaces) {
        const scope = TenantScope.of(this.knex, tenant.id);
        if (
          !(await scope.table('infra_workspaces').where({ id: ws.id }).first())
        ) {
          await this.createWorkspace(tenant.id, ws, actor);
        }
      }
      for (const member of tenant.members) {
        for (const role of member.roles) {
          await this.grant(tenant.id, member.userRef, role, actor);
        }
      }
    }
  }
}

export interface BootstrapConfig {
  systemAdmins: string[];
  tenants: Array<{
    id: string;
    title: string;
    description?: string;
    workspaces: Array<{ id: string; title: string }>;
    members: Array<{ userRef: string; roles: InfraRole[] }>;
  }>;
}
