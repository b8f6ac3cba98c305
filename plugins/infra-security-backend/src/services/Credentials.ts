import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CredentialSummary,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import { TenantScope, toIso } from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { AuditLog } from './AuditLog';
import { SealedValue, Vault } from './Vault';

const TENANT_TABLE = 'infra_credentials';
/** The installation's own secrets live apart: the system scope is not a tenant. */
const SYSTEM_TABLE = 'infra_system_credentials';
const tableOf = (scope: string) =>
  scope === SYSTEM_SCOPE ? SYSTEM_TABLE : TENANT_TABLE;

type Row = {
  tenant_id: string;
  id: string;
  name: string;
  kind: string;
  key_id: string;
  iv: string;
  ciphertext: string;
  auth_tag: string;
  created_by: string;
  created_at: Date | string | number;
  updated_at: Date | string | number;
  last_used_at: Date | string | number | null;
};

const aad = (tenantId: string, id: string) =>
  `infra-credential:${tenantId}/${id}`;
const sealedOf = (row: Row): SealedValue => ({
  keyId: row.key_id,
  iv: row.iv,
  ciphertext: row.ciphertext,
  authTag: row.auth_tag,
});

function toSummary(row: Row): CredentialSummary {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    kind: row.kind,
    keyId: row.key_id,
    createdAt: toIso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at)!,
    lastUsedAt: toIso(row.last_used_at),
  };
}

/**
 * The credential vault's records. Values go in encrypted and never come out through an
 * endpoint: `use` decrypts one for server code at the moment it is needed and records that use.
 */
export class Credentials {
  constructor(
    private readonly knex: Knex,
    private readonly vault: Vault,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: string): Promise<CredentialSummary[]> {
    const rows: Row[] = await TenantScope.of(this.knex, tenantId)
      .table(tableOf(tenantId))
      .orderBy('name');
    return rows.map(toSummary);
  }

  async get(tenantId: string, id: string): Promise<CredentialSummary> {
    return toSummary(await this.row(TenantScope.of(this.knex, tenantId), id));
  }

  async create(
    tenantId: string,
    input: { name: string; kind: string; value: string },
    actor: string,
  ): Promise<CredentialSummary> {
    const scope = TenantScope.of(this.knex, tenantId);
    if (
      await scope
        .table(tableOf(scope.tenantId))
        .where({ name: input.name })
        .first()
    ) {
      throw new ConflictError(
        `Tenant '${tenantId}' already has a credential named '${input.name}'`,
      );
    }
    const id = crypto.randomUUID();
    const sealed = this.vault.seal(input.value, aad(tenantId, id));
    const now = new Date();
    await scope.insert(tableOf(scope.tenantId), {
      id,
      name: input.name,
      kind: input.kind,
      key_id: sealed.keyId,
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      auth_tag: sealed.authTag,
      created_by: actor,
      created_at: now,
      updated_at: now,
    });
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.created',
      subject: id,
      details: { name: input.name, kind: input.kind },
    });
    return toSummary(
      await scope.table(tableOf(scope.tenantId)).where({ id }).first(),
    );
  }

  async replace(
    tenantId: string,
    id: string,
    value: string,
    actor: string,
  ): Promise<CredentialSummary> {
    const scope = TenantScope.of(this.knex, tenantId);
    const row = await this.row(scope, id);
    const sealed = this.vault.seal(value, aad(tenantId, id));
    await scope.table(tableOf(scope.tenantId)).where({ id }).update({
      key_id: sealed.keyId,
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      auth_tag: sealed.authTag,
      updated_at: new Date(),
    });
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.replaced',
      subject: id,
      details: { name: row.name },
    });
    return toSummary(
      await scope.table(tableOf(scope.tenantId)).where({ id }).first(),
    );
  }

  async delete(tenantId: string, id: string, actor: string): Promise<void> {
    const scope = TenantScope.of(this.knex, tenantId);
    const row = await this.row(scope, id);
    await scope.table(tableOf(scope.tenantId)).where({ id }).delete();
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.deleted',
      subject: id,
      details: { name: row.name },
    });
  }

  /**
   * Decrypts a credential for server code and hands it to `fn`; the value is not kept. Every use
   * is audited.
   */
  async use<T>(
    tenantId: string,
    id: string,
    actor: string,
    fn: (value: string) => Promise<T>,
    purpose?: string,
  ): Promise<T> {
    const scope = TenantScope.of(this.knex, tenantId);
    const row = await this.row(scope, id);
    const value = this.vault.open(sealedOf(row), aad(tenantId, id));
    await scope
      .table(tableOf(scope.tenantId))
      .where({ id })
      .update({ last_used_at: new Date() });
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.used',
      subject: id,
      details: { name: row.name, ...(purpose ? { purpose } : {}) },
    });
    return fn(value);
  }

  /**
   * Re-encrypts every credential not sealed with the active key, tenant by tenant. Returns how
   * many were re-encrypted; a record that does not decrypt stops the rotation with its name.
   */
  async rotate(
    actor: string,
  ): Promise<{ reencrypted: number; activeKeyId: string }> {
    const tenantIds: string[] = [
      SYSTEM_SCOPE,
      ...(await this.knex('infra_tenants').select('id')).map(r => r.id),
    ];
    let reencrypted = 0;
    for (const tenantId of tenantIds) {
      const scope = TenantScope.of(this.knex, tenantId);
      const rows: Row[] = await scope
        .table(tableOf(scope.tenantId))
        .whereNot('key_id', this.vault.activeKeyId);
      for (const row of rows) {
        const value = this.vault.open(sealedOf(row), aad(tenantId, row.id));
        const sealed = this.vault.seal(value, aad(tenantId, row.id));
        await scope
          .table(tableOf(scope.tenantId))
          .where({ id: row.id, key_id: row.key_id })
          .update({
            key_id: sealed.keyId,
            iv: sealed.iv,
            ciphertext: sealed.ciphertext,
            auth_tag: sealed.authTag,
          });
        reencrypted += 1;
      }
      if (rows.length) {
        await this.audit.record({
          scope: tenantId,
          actor,
          action: 'credential.rotated',
          details: { count: rows.length, activeKeyId: this.vault.activeKeyId },
        });
      }
    }
    return { reencrypted, activeKeyId: this.vault.activeKeyId };
  }

  private async row(scope: TenantScope, id: string): Promise<Row> {
    const row: Row | undefined = await scope
      .table(tableOf(scope.tenantId))
      .where({ id })
      .first();
    if (!row)
      throw new NotFoundError(
        `No credential '${id}' in tenant '${scope.tenantId}'`,
      );
    return row;
  }
}
