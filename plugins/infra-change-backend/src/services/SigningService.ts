import { ServiceUnavailableError } from '@backstage/errors';
import {
  fromBase64,
  generateSigningKey,
  PayloadSigner,
  signPayload,
  SIGNATURE_ALGORITHM,
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

export type SigningKey = {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  publicKey: string;
  createdAt: string;
  retiredAt?: string;
};

const toKey = (r: any): SigningKey => ({
  keyId: r.id,
  algorithm: r.algorithm,
  publicKey: r.public_key,
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.retired_at ? { retiredAt: new Date(r.retired_at).toISOString() } : {}),
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

  /** Every key, the active one first, retired ones kept for verification. */
  async listKeys(): Promise<SigningKey[]> {
    const rows = await this.scope()
      .table(KEYS)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]);
    const keys: SigningKey[] = rows.map(toKey);
    return [
      ...keys.filter(k => !k.retiredAt),
      ...keys.filter(k => k.retiredAt),
    ];
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

  private async createKey(actor: string) {
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
    await this.scope().insert(KEYS, {
      id: keyId,
      algorithm: SIGNATURE_ALGORITHM,
      public_key: toBase64(publicKey),
      credential_id: credential.id,
      created_by: actor,
      created_at: new Date(),
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
      sign: async payload => {
        try {
          return await this.spine.useCredential(
            {
              tenantId: SYSTEM_SCOPE,
              credentialId: key.credential_id,
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
            `Cannot sign with key ${key.id}: ${(e as Error).message}`,
          );
        }
      },
    };
  }

  /** Retires the active key (kept for verification) and makes a new one. */
  async rotate(actor: string): Promise<SigningKey[]> {
    const current = await this.activeRow();
    await this.createKey(actor);
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
