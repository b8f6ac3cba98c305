import {
  Ed25519Companion,
  SigningKeyRecord,
} from '@infra-hub/plugin-infra-change-common';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { CHANGE_MIGRATIONS } from './migrations';

const KEYS = 'infra_signing_keys';

/**
 * A signing key as stored: its public record and the vault credentials of its secret halves
 * (the ML-DSA-65 key's, and its Ed25519 companion's once it has one).
 */
export type StoredSigningKey = SigningKeyRecord & {
  credentialId: string;
  ed25519CredentialId?: string;
};

const toKey = (r: any): StoredSigningKey => ({
  keyId: r.id,
  algorithm: r.algorithm,
  publicKey: r.public_key,
  createdAt: toIso(r.created_at),
  ...(r.retired_at ? { retiredAt: toIso(r.retired_at) } : {}),
  ...(r.previous_key_id
    ? { previousKeyId: r.previous_key_id, endorsement: r.endorsement }
    : {}),
  ...(r.ed25519_public_key
    ? {
        ed25519: {
          publicKey: r.ed25519_public_key,
          createdAt: toIso(r.ed25519_created_at),
          binding: r.ed25519_binding,
          proof: r.ed25519_proof,
        },
        ed25519CredentialId: r.ed25519_credential_id,
      }
    : {}),
  credentialId: r.credential_id,
});

/** The installation's CAB signing keys (system scope): the table `infra_signing_keys`. */
export class SigningKeyStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new SigningKeyStore(
      await migratedClient({ ...options, ...CHANGE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  private table() {
    return TenantScope.of(this.knex, SYSTEM_SCOPE).table(KEYS);
  }

  /** Every key, oldest first. */
  async list(): Promise<StoredSigningKey[]> {
    const rows = await this.table().orderBy([
      { column: 'created_at' },
      { column: 'id' },
    ]);
    return rows.map(toKey);
  }

  async get(keyId: string): Promise<StoredSigningKey | undefined> {
    const row = await this.table().where({ id: keyId }).first();
    return row && toKey(row);
  }

  /** The oldest key not retired: the one that signs. */
  async active(): Promise<StoredSigningKey | undefined> {
    const row = await this.table()
      .whereNull('retired_at')
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .first();
    return row && toKey(row);
  }

  async insert(
    key: Omit<StoredSigningKey, 'retiredAt'> & { createdBy: string },
  ): Promise<void> {
    await TenantScope.of(this.knex, SYSTEM_SCOPE).insert(KEYS, {
      id: key.keyId,
      algorithm: key.algorithm,
      public_key: key.publicKey,
      credential_id: key.credentialId,
      created_by: key.createdBy,
      created_at: new Date(key.createdAt),
      previous_key_id: key.previousKeyId ?? null,
      endorsement: key.endorsement ?? null,
    });
  }

  /**
   * Gives a key its Ed25519 companion, unless it has one already; true when this call did
   * (another signer may have been first).
   */
  async addEd25519(
    keyId: string,
    companion: Ed25519Companion,
    credentialId: string,
  ): Promise<boolean> {
    const updated = await this.table()
      .where({ id: keyId })
      .whereNull('ed25519_public_key')
      .update({
        ed25519_public_key: companion.publicKey,
        ed25519_credential_id: credentialId,
        ed25519_created_at: new Date(companion.createdAt),
        ed25519_binding: companion.binding,
        ed25519_proof: companion.proof,
      });
    return updated > 0;
  }

  async retire(keyId: string): Promise<void> {
    await this.table().where({ id: keyId }).update({ retired_at: new Date() });
  }
}
