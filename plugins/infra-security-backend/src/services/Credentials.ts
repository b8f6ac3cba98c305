import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CredentialSummary,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import crypto from 'node:crypto';
import { CredentialStore, StoredCredential } from '../database/CredentialStore';
import { AuditLog } from './AuditLog';
import { Vault } from './Vault';

const aad = (tenantId: string, id: string) =>
  `infra-credential:${tenantId}/${id}`;

/**
 * The credential vault's records. Values go in encrypted and never come out through an
 * endpoint: `use` decrypts one for server code at the moment it is needed and records that use.
 */
export class Credentials {
  constructor(
    private readonly store: CredentialStore,
    private readonly vault: Vault,
    private readonly audit: AuditLog,
    /** Every tenant's id (rotation walks them all). */
    private readonly tenantIds: () => Promise<string[]>,
  ) {}

  async list(tenantId: string): Promise<CredentialSummary[]> {
    return this.store.list(tenantId);
  }

  async get(tenantId: string, id: string): Promise<CredentialSummary> {
    return (await this.stored(tenantId, id)).summary;
  }

  async create(
    tenantId: string,
    input: { name: string; kind: string; value: string },
    actor: string,
  ): Promise<CredentialSummary> {
    if (await this.store.nameTaken(tenantId, input.name)) {
      throw new ConflictError(
        `Tenant '${tenantId}' already has a credential named '${input.name}'`,
      );
    }
    const id = crypto.randomUUID();
    const sealed = this.vault.seal(input.value, aad(tenantId, id));
    const stored = await this.store.insert(tenantId, {
      id,
      name: input.name,
      kind: input.kind,
      sealed,
      createdBy: actor,
    });
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.created',
      subject: id,
      details: { name: input.name, kind: input.kind },
    });
    return stored.summary;
  }

  async replace(
    tenantId: string,
    id: string,
    value: string,
    actor: string,
  ): Promise<CredentialSummary> {
    const { summary } = await this.stored(tenantId, id);
    const replaced = await this.store.replaceSealed(
      tenantId,
      id,
      this.vault.seal(value, aad(tenantId, id)),
    );
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.replaced',
      subject: id,
      details: { name: summary.name },
    });
    return replaced.summary;
  }

  async delete(tenantId: string, id: string, actor: string): Promise<void> {
    const { summary } = await this.stored(tenantId, id);
    await this.store.delete(tenantId, id);
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.deleted',
      subject: id,
      details: { name: summary.name },
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
    const { summary, sealed } = await this.stored(tenantId, id);
    const value = this.vault.open(sealed, aad(tenantId, id));
    await this.store.markUsed(tenantId, id);
    await this.audit.record({
      scope: tenantId,
      actor,
      action: 'credential.used',
      subject: id,
      details: { name: summary.name, ...(purpose ? { purpose } : {}) },
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
    const tenantIds = [SYSTEM_SCOPE, ...(await this.tenantIds())];
    let reencrypted = 0;
    for (const tenantId of tenantIds) {
      const rows = await this.store.sealedWithOtherThan(
        tenantId,
        this.vault.activeKeyId,
      );
      for (const { summary, sealed } of rows) {
        const value = this.vault.open(sealed, aad(tenantId, summary.id));
        await this.store.reseal(
          tenantId,
          summary.id,
          sealed.keyId,
          this.vault.seal(value, aad(tenantId, summary.id)),
        );
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

  private async stored(
    tenantId: string,
    id: string,
  ): Promise<StoredCredential> {
    const stored = await this.store.get(tenantId, id);
    if (!stored)
      throw new NotFoundError(`No credential '${id}' in tenant '${tenantId}'`);
    return stored;
  }
}
