import {
  CredentialSummary,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import type { SealedValue } from '../services/Vault';
import { SECURITY_MIGRATIONS } from './migrations';

/** The tenants' credentials (rows of a deleted tenant go with it, see TenantStore). */
export const CREDENTIALS_TABLE = 'infra_credentials';
/** The installation's own secrets live apart: the system scope is not a tenant. */
const SYSTEM_TABLE = 'infra_system_credentials';
const tableOf = (scope: string) =>
  scope === SYSTEM_SCOPE ? SYSTEM_TABLE : CREDENTIALS_TABLE;

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

/** A credential as stored: its summary and its sealed value. */
export type StoredCredential = {
  summary: CredentialSummary;
  sealed: SealedValue;
};

const sealedColumns = (sealed: SealedValue) => ({
  key_id: sealed.keyId,
  iv: sealed.iv,
  ciphertext: sealed.ciphertext,
  auth_tag: sealed.authTag,
});

function toStored(row: Row): StoredCredential {
  return {
    summary: {
      tenantId: row.tenant_id,
      id: row.id,
      name: row.name,
      kind: row.kind,
      keyId: row.key_id,
      createdAt: toIso(row.created_at),
      createdBy: row.created_by,
      updatedAt: toIso(row.updated_at),
      lastUsedAt: toIso(row.last_used_at),
    },
    sealed: {
      keyId: row.key_id,
      iv: row.iv,
      ciphertext: row.ciphertext,
      authTag: row.auth_tag,
    },
  };
}

/**
 * The vault's records, sealed: `infra_credentials` per tenant, `infra_system_credentials` for
 * the system scope. The store never sees a value in the clear.
 */
export class CredentialStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new CredentialStore(
      await migratedClient({ ...options, ...SECURITY_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  private table(scopeId: string) {
    return TenantScope.of(this.knex, scopeId).table(tableOf(scopeId));
  }

  /** The scope's credentials, by name. */
  async list(scopeId: string): Promise<CredentialSummary[]> {
    const rows: Row[] = await this.table(scopeId).orderBy('name');
    return rows.map(row => toStored(row).summary);
  }

  async get(
    scopeId: string,
    id: string,
  ): Promise<StoredCredential | undefined> {
    const row: Row | undefined = await this.table(scopeId)
      .where({ id })
      .first();
    return row && toStored(row);
  }

  async nameTaken(scopeId: string, name: string): Promise<boolean> {
    return Boolean(await this.table(scopeId).where({ name }).first('id'));
  }

  async insert(
    scopeId: string,
    input: {
      id: string;
      name: string;
      kind: string;
      sealed: SealedValue;
      createdBy: string;
    },
  ): Promise<StoredCredential> {
    const now = new Date();
    await TenantScope.of(this.knex, scopeId).insert(tableOf(scopeId), {
      id: input.id,
      name: input.name,
      kind: input.kind,
      ...sealedColumns(input.sealed),
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
    });
    return (await this.get(scopeId, input.id))!;
  }

  /** A new value for a credential (its `updated_at` moves). */
  async replaceSealed(
    scopeId: string,
    id: string,
    sealed: SealedValue,
  ): Promise<StoredCredential> {
    await this.table(scopeId)
      .where({ id })
      .update({ ...sealedColumns(sealed), updated_at: new Date() });
    return (await this.get(scopeId, id))!;
  }

  /**
   * The same value sealed with another key (rotation): written only while the row is still
   * sealed with `previousKeyId`, so a concurrent replacement is not overwritten.
   */
  async reseal(
    scopeId: string,
    id: string,
    previousKeyId: string,
    sealed: SealedValue,
  ): Promise<void> {
    await this.table(scopeId)
      .where({ id, key_id: previousKeyId })
      .update(sealedColumns(sealed));
  }

  async delete(scopeId: string, id: string): Promise<void> {
    await this.table(scopeId).where({ id }).delete();
  }

  async markUsed(scopeId: string, id: string): Promise<void> {
    await this.table(scopeId)
      .where({ id })
      .update({ last_used_at: new Date() });
  }

  /** The scope's credentials sealed with any key but `keyId`. */
  async sealedWithOtherThan(
    scopeId: string,
    keyId: string,
  ): Promise<StoredCredential[]> {
    const rows: Row[] = await this.table(scopeId).whereNot('key_id', keyId);
    return rows.map(toStored);
  }
}
