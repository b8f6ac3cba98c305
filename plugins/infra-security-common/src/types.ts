import { InfraRole } from './roles';

/** A client organisation. @public */
export type Tenant = {
  id: string;
  title: string;
  description?: string;
  createdAt: string;
  createdBy: string;
};

/** A scoped data environment inside a tenant (e.g. production, staging). @public */
export type Workspace = {
  tenantId: string;
  id: string;
  title: string;
  createdAt: string;
};

/** A role held by a user in a scope (a tenant, or the system scope). @public */
export type RoleBinding = {
  scope: string;
  userRef: string;
  role: InfraRole;
  grantedBy: string;
  grantedAt: string;
};

/** An entry of the append-only audit log. @public */
export type AuditEvent = {
  /** Position in the log; the chain runs in this order. */
  seq: number;
  id: string;
  scope: string;
  occurredAt: string;
  actor: string;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  subject?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

/** What a caller records in the audit log; the log adds id, time, position and hashes. @public */
export type AuditRecord = Pick<AuditEvent, 'scope' | 'actor' | 'action'> & {
  outcome?: AuditEvent['outcome'];
  subject?: string;
  details?: Record<string, unknown>;
};

/** A credential as every endpoint shows it: never its value. @public */
export type CredentialSummary = {
  tenantId: string;
  id: string;
  name: string;
  kind: string;
  keyId: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  lastUsedAt?: string;
};

/** A machine API key as listed: never its secret. @public */
export type ApiKeySummary = {
  tenantId: string;
  id: string;
  name: string;
  role: InfraRole;
  prefix: string;
  createdAt: string;
  createdBy: string;
  /** After this moment the key is refused. */
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
};
