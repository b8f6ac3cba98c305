import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  InfraRole,
  RoleBinding,
  SYSTEM_SCOPE,
  Tenant,
  Workspace,
} from '@infra-hub/plugin-infra-security-common';
import { TenantLifecycleEvent } from '@infra-hub/plugin-infra-security-node';
import { TenantStore } from '../database/TenantStore';
import { AuditLog } from './AuditLog';

/**
 * Tenants, their workspaces, and the roles users hold in them (system-admin in the system
 * scope). Every change is audited in the scope it happens in.
 */
export class Tenants {
  constructor(
    private readonly store: TenantStore,
    private readonly audit: AuditLog,
    /** Told when a tenant is created or deleted (the other plugins forget its rows). */
    private readonly onChange?: (event: TenantLifecycleEvent) => Promise<void>,
  ) {}

  // ---- tenants --------------------------------------------------------------------------------

  /** Tenants by id; `all` lists every tenant (the system scope is never listed). */
  async list(ids: string[] | 'all'): Promise<Tenant[]> {
    return this.store.listTenants(ids);
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.store.getTenant(id);
    if (!tenant) throw new NotFoundError(`No tenant '${id}'`);
    return tenant;
  }

  async exists(id: string): Promise<boolean> {
    return this.store.exists(id);
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
    await this.store.insertTenant({ ...input, createdBy: actor });
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
    await this.store.deleteTenant(id);
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
    return this.store.listWorkspaces(tenantId);
  }

  async createWorkspace(
    tenantId: string,
    input: { id: string; title: string },
    actor: string,
  ): Promise<Workspace> {
    await this.get(tenantId);
    if (await this.store.hasWorkspace(tenantId, input.id)) {
      throw new ConflictError(
        `Tenant '${tenantId}' already has a workspace '${input.id}'`,
      );
    }
    await this.store.insertWorkspace(tenantId, { ...input, createdBy: actor });
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
    if (!(await this.store.deleteWorkspace(tenantId, workspaceId)))
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
    return this.store.members(scopeId);
  }

  /** The roles a user holds in one tenant (or the system scope). */
  async rolesIn(userRef: string, scopeId: string): Promise<InfraRole[]> {
    return this.store.rolesIn(userRef, scopeId);
  }

  /** Every role a user holds, in every scope: what the permission policy decides from. */
  async rolesOf(
    userRef: string,
  ): Promise<Array<{ scope: string; role: InfraRole }>> {
    return this.store.rolesOf(userRef);
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
    if (!(await this.store.rolesIn(userRef, scopeId)).includes(role)) {
      await this.store.insertBinding(scopeId, {
        userRef,
        role,
        grantedBy: actor,
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
    if (!(await this.store.rolesIn(userRef, scopeId)).includes(role))
      throw new NotFoundError(
        `${userRef} does not hold ${role} in '${scopeId}'`,
      );
    if (role === 'system-admin') {
      if ((await this.store.holders(scopeId, role)) <= 1) {
        throw new ConflictError(
          'Cannot revoke the last system-admin: grant the role to someone else first',
        );
      }
    }
    await this.store.deleteBinding(scopeId, userRef, role);
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
        if (!(await this.store.hasWorkspace(tenant.id, ws.id))) {
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
