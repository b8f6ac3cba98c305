import { ServiceUnavailableError } from '@backstage/errors';
import {
  fromBase64,
  generateSigningKey,
  KEY_HISTORY_FORMAT,
  PayloadSigner,
  rotationStatement,
  signPayload,
  SIGNATURE_ALGORITHM,
  SigningKeyHistory,
  SigningKeyRecord,
  toBase64,
} from '@infra-hub/plugin-infra-change-common';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import {
  InfraSecuritySpine,
  TenantScope,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';

const KEYS = 'infra_signing_keys';
const ACTOR = 'plugin:infra-change';

const toKey = (r: any): SigningKeyRecord => ({
  keyId: r.id,
  algorithm: r.algorithm,
  publicKey: r.public_key,
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.retired_at ? { retiredAt: new Date(r.retired_at).toISOString() } : {}),
  ...(r.previous_key_id
    ? { previousKeyId: r.previous_key_id, endorsement: r.endorsement }
    : {}),
});

/**
 * The installation's ML-DSA-65 signing key: made on first use, its secret half stored in the
 * credential vault (system scope) and decrypted only to sign, each signature an audited use of
 * the credential. Rotation retires the key (kept for verification) and makes a new one. When the
 * vault cannot be used, signing fails with 503: unsigned means unapproved.
 */
export class SigningService {
  constructor(
    private readonly knex: Knex,
    private readonly spine: InfraSecuritySpine,
  ) {}

  private scope() {
    return TenantScope.of(this.knex, SYSTEM_SCOPE);
  }

  /**
   * The key history, oldest first: every key, retired ones kept for verification, each after
   * the first endorsed by the key it replaced. A verifier pins the first key's id.
   */
  async listKeys(): Promise<SigningKeyHistory> {
    const rows = await this.scope()
      .table(KEYS)
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return { format: KEY_HISTORY_FORMAT, items: rows.map(toKey) };
  }

  async publicKey(keyId: string): Promise<string | undefined> {
    const row = await this.scope().table(KEYS).where({ id: keyId }).first();
    return row?.public_key;
  }

  private async activeRow() {
    return this.scope()
      .table(KEYS)
      .whereNull('retired_at')
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .first();
  }

  /** Signs with a stored key, its secret half decrypted only for this (an audited use). */
  private async signWith(
    row: { id: string; credential_id: string },
    payload: unknown,
    actor: string,
    purpose: string,
  ): Promise<string> {
    try {
      return await this.spine.useCredential(
        {
          tenantId: SYSTEM_SCOPE,
          credentialId: row.credential_id,
          actor,
          purpose,
        },
        async value => {
          const secretKey = fromBase64(value);
          try {
            return signPayload(payload, secretKey);
          } finally {
            secretKey.fill(0);
          }
        },
      );
    } catch (e) {
      throw new ServiceUnavailableError(
        `Cannot sign with key ${row.id}: ${(e as Error).message}`,
      );
    }
  }

  /** A new key; when it replaces `previous`, the previous key signs the rotation first. */
  private async createKey(
    actor: string,
    previous?: { id: string; credential_id: string },
  ) {
    const { keyId, publicKey, secretKey } = generateSigningKey(
      crypto.randomBytes(32),
    );
    let credential;
    try {
      credential = await this.spine.storeCredential(
        SYSTEM_SCOPE,
        {
          name: `cab-signing-key-${keyId.slice(8)}`,
          kind: 'ml-dsa-65-secret-key',
          value: toBase64(secretKey),
        },
        actor,
      );
    } catch (e) {
      throw new ServiceUnavailableError(
        `Cannot keep a signing key in the credential vault: ${
          (e as Error).message
        }`,
      );
    } finally {
      secretKey.fill(0);
    }
    const createdAt = new Date().toISOString();
    const endorsement = previous
      ? await this.signWith(
          previous,
          rotationStatement({
            keyId,
            publicKey: toBase64(publicKey),
            previousKeyId: previous.id,
            createdAt,
          }),
          actor,
          `endorsement of signing key ${keyId}`,
        )
      : undefined;
    await this.scope().insert(KEYS, {
      id: keyId,
      algorithm: SIGNATURE_ALGORITHM,
      public_key: toBase64(publicKey),
      credential_id: credential.id,
      created_by: actor,
      created_at: new Date(createdAt),
      previous_key_id: previous?.id ?? null,
      endorsement: endorsement ?? null,
    });
    await this.spine.recordAudit({
      scope: SYSTEM_SCOPE,
      actor,
      action: 'signing-key.created',
      subject: keyId,
      details: { algorithm: SIGNATURE_ALGORITHM },
    });
  }

  /** The signer with the active key (made now if there is none yet). */
  async signer(actor: string, purpose: string): Promise<PayloadSigner> {
    let row = await this.activeRow();
    if (!row) {
      await this.createKey(ACTOR);
      row = await this.activeRow();
    }
    const key = row!;
    return {
      keyId: key.id,
      publicKey: key.public_key,
      sign: payload => this.signWith(key, payload, actor, purpose),
    };
  }

  /** Retires the active key (kept for verification) and makes a new one it endorses. */
  async rotate(actor: string): Promise<SigningKeyHistory> {
    const current = await this.activeRow();
    await this.createKey(actor, current);
    if (current) {
      await this.scope()
        .table(KEYS)
        .where({ id: current.id })
        .update({ retired_at: new Date() });
      await this.spine.recordAudit({
        scope: SYSTEM_SCOPE,
        actor,
        action: 'signing-key.retired',
        subject: current.id,
      });
    }
    return this.listKeys();
  }
}
