import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';
import {
  ApiKeySummary,
  AuditEvent,
  CredentialSummary,
  InfraRole,
  RoleBinding,
  Tenant,
  Workspace,
} from '@infra-hub/plugin-infra-security-common';

/** Filters of the audit log. @public */
export type AuditFilter = {
  action?: string;
  actor?: string;
  outcome?: 'success' | 'failure' | 'denied';
  before?: number;
  limit?: number;
};

/** The infra-security backend, as the admin page uses it. @public */
export interface InfraSecurityApi {
  me(): Promise<{
    actor: string;
    roles: Array<{ scope: string; role: InfraRole }>;
  }>;
  listTenants(): Promise<Tenant[]>;
  createTenant(input: {
    id: string;
    title: string;
    description?: string;
  }): Promise<Tenant>;
  listWorkspaces(tenantId: string): Promise<Workspace[]>;
  createWorkspace(
    tenantId: string,
    input: { id: string; title: string },
  ): Promise<Workspace>;
  deleteWorkspace(tenantId: string, workspaceId: string): Promise<void>;
  listRoleBindings(scope: string): Promise<RoleBinding[]>;
  grantRole(
    scope: string,
    userRef: string,
    role: InfraRole,
  ): Promise<RoleBinding>;
  revokeRole(scope: string, userRef: string, role: InfraRole): Promise<void>;
  listApiKeys(tenantId: string): Promise<ApiKeySummary[]>;
  createApiKey(
    tenantId: string,
    input: { name: string; role: InfraRole; expiresInDays?: number },
  ): Promise<{ key: ApiKeySummary; token: string }>;
  revokeApiKey(tenantId: string, keyId: string): Promise<ApiKeySummary>;
  listCredentials(tenantId: string): Promise<CredentialSummary[]>;
  createCredential(
    tenantId: string,
    input: { name: string; kind: string; value: string },
  ): Promise<CredentialSummary>;
  replaceCredential(
    tenantId: string,
    id: string,
    value: string,
  ): Promise<CredentialSummary>;
  deleteCredential(tenantId: string, id: string): Promise<void>;
  listAuditEvents(
    scope: string,
    filter: AuditFilter,
  ): Promise<{ items: AuditEvent[]; nextBefore?: number }>;
  verifyAuditChain(scope: string): Promise<{
    valid: boolean;
    checked: number;
    brokenAt?: { seq: number; reason: string };
  }>;
  /** The filtered log as a file: CSV (up to 10000 events) or JSON (the current page). */
  exportAudit(
    scope: string,
    filter: AuditFilter,
    format: 'csv' | 'json',
  ): Promise<string>;
}

/** @public */
export const infraSecurityApiRef = createApiRef<InfraSecurityApi>({
  id: 'plugin.infra-security.api',
});

const enc = encodeURIComponent;

/** {@link InfraSecurityApi} over HTTP; `fetchApi` adds the signed-in user's token. @public */
export class InfraSecurityClient implements InfraSecurityApi {
  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-security', deps);
  }

  private readonly requests: InfraBackendRequests;

  private call<T>(path: string, init?: { method?: string; body?: unknown }) {
    return this.requests.json<T>(path, init);
  }

  me() {
    return this.call<{
      actor: string;
      roles: Array<{ scope: string; role: InfraRole }>;
    }>('/me');
  }
  async listTenants() {
    return (await this.call<{ items: Tenant[] }>('/tenants')).items;
  }
  createTenant(input: { id: string; title: string; description?: string }) {
    return this.call<Tenant>('/tenants', { method: 'POST', body: input });
  }
  async listWorkspaces(tenantId: string) {
    return (
      await this.call<{ items: Workspace[] }>(
        `/tenants/${enc(tenantId)}/workspaces`,
      )
    ).items;
  }
  createWorkspace(tenantId: string, input: { id: string; title: string }) {
    return this.call<Workspace>(`/tenants/${enc(tenantId)}/workspaces`, {
      method: 'POST',
      body: input,
    });
  }
  deleteWorkspace(tenantId: string, workspaceId: string) {
    return this.call<void>(
      `/tenants/${enc(tenantId)}/workspaces/${enc(workspaceId)}`,
      { method: 'DELETE' },
    );
  }
  async listRoleBindings(scope: string) {
    return (
      await this.call<{ items: RoleBinding[] }>(
        `/tenants/${enc(scope)}/role-bindings`,
      )
    ).items;
  }
  grantRole(scope: string, userRef: string, role: InfraRole) {
    return this.call<RoleBinding>(`/tenants/${enc(scope)}/role-bindings`, {
      method: 'POST',
      body: { userRef, role },
    });
  }
  revokeRole(scope: string, userRef: string, role: InfraRole) {
    return this.call<void>(
      `/tenants/${enc(scope)}/role-bindings?userRef=${enc(userRef)}&role=${enc(
        role,
      )}`,
      { method: 'DELETE' },
    );
  }
  async listApiKeys(tenantId: string) {
    return (
      await this.call<{ items: ApiKeySummary[] }>(
        `/tenants/${enc(tenantId)}/api-keys`,
      )
    ).items;
  }
  createApiKey(
    tenantId: string,
    input: { name: string; role: InfraRole; expiresInDays?: number },
  ) {
    return this.call<{ key: ApiKeySummary; token: string }>(
      `/tenants/${enc(tenantId)}/api-keys`,
      { method: 'POST', body: input },
    );
  }
  revokeApiKey(tenantId: string, keyId: string) {
    return this.call<ApiKeySummary>(
      `/tenants/${enc(tenantId)}/api-keys/${enc(keyId)}`,
      { method: 'DELETE' },
    );
  }
  async listCredentials(tenantId: string) {
    return (
      await this.call<{ items: CredentialSummary[] }>(
        `/tenants/${enc(tenantId)}/credentials`,
      )
    ).items;
  }
  createCredential(
    tenantId: string,
    input: { name: string; kind: string; value: string },
  ) {
    return this.call<CredentialSummary>(
      `/tenants/${enc(tenantId)}/credentials`,
      { method: 'POST', body: input },
    );
  }
  replaceCredential(tenantId: string, id: string, value: string) {
    return this.call<CredentialSummary>(
      `/tenants/${enc(tenantId)}/credentials/${enc(id)}`,
      { method: 'PUT', body: { value } },
    );
  }
  deleteCredential(tenantId: string, id: string) {
    return this.call<void>(`/tenants/${enc(tenantId)}/credentials/${enc(id)}`, {
      method: 'DELETE',
    });
  }
  private query(filter: AuditFilter) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filter))
      if (v !== undefined && v !== '') params.set(k, String(v));
    return params.toString();
  }
  listAuditEvents(scope: string, filter: AuditFilter) {
    const q = this.query(filter);
    return this.call<{ items: AuditEvent[]; nextBefore?: number }>(
      `/audit/${enc(scope)}/events${q ? `?${q}` : ''}`,
    );
  }
  verifyAuditChain(scope: string) {
    return this.call<{
      valid: boolean;
      checked: number;
      brokenAt?: { seq: number; reason: string };
    }>(`/audit/${enc(scope)}/verify`);
  }
  async exportAudit(
    scope: string,
    filter: AuditFilter,
    format: 'csv' | 'json',
  ) {
    if (format === 'json') {
      return JSON.stringify(
        (await this.listAuditEvents(scope, { ...filter, limit: 500 })).items,
        null,
        2,
      );
    }
    const { before: _before, limit: _limit, ...rest } = filter;
    const q = this.query({ ...rest });
    return this.requests.text(
      `/audit/${enc(scope)}/events?${q ? `${q}&` : ''}format=csv`,
    );
  }
}
