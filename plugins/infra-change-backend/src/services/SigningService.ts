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
  toBase64,
} from '@infra-hub/plugin-infra-change-common';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import crypto from 'node:crypto';
import { SigningKeyStore, StoredSigningKey } from '../database/SigningKeyStore';

const ACTOR = 'plugin:infra-change';

/**
 * The installation's ML-DSA-65 signing key: made on first use, its secret half stored in the
 * credential vault (system scope) and decrypted only to sign, each signature an audited use of
 * the credential. Rotation retires the key (kept for verification) and makes a new one. When the
 * vault cannot be used, signing fails with 503: unsigned means unapproved.
 */
export class SigningService {
  constructor(
    private readonly store: SigningKeyStore,
    private readonly spine: InfraSecuritySpine,
  ) {}

  /**
   * The key history, oldest first: every key, retired ones kept for verification, each after
   * the first endorsed by the key it replaced. A verifier pins the first key's id.
   */
  async listKeys(): Promise<SigningKeyHistory> {
    const keys = await this.store.list();
    return {
      format: KEY_HISTORY_FORMAT,
      items: keys.map(({ credentialId: _, ...record }) => record),
    };
  }

  async publicKey(keyId: string): Promise<string | undefined> {
    return (await this.store.get(keyId))?.publicKey;
  }

  /** Signs with a stored key, its secret half decrypted only for this (an audited use). */
  private async signWith(
    key: StoredSigningKey,
    payload: unknown,
    actor: string,
    purpose: string,
  ): Promise<string> {
    try {
      return await this.spine.useCredential(
        {
          tenantId: SYSTEM_SCOPE,
          credentialId: key.credentialId,
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
        `Cannot sign with key ${key.keyId}: ${(e as Error).message}`,
      );
    }
  }

  /** A new key; when it replaces `previous`, the previous key signs the rotation first. */
  private async createKey(actor: string, previous?: StoredSigningKey) {
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
            previousKeyId: previous.keyId,
            createdAt,
          }),
          actor,
          `endorsement of signing key ${keyId}`,
        )
      : undefined;
    await this.store.insert({
      keyId,
      algorithm: SIGNATURE_ALGORITHM,
      publicKey: toBase64(publicKey),
      credentialId: credential.id,
      createdBy: actor,
      createdAt,
      ...(previous && endorsement
        ? { previousKeyId: previous.keyId, endorsement }
        : {}),
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
    let active = await this.store.active();
    if (!active) {
      await this.createKey(ACTOR);
      active = await this.store.active();
    }
    const key = active!;
    return {
      keyId: key.keyId,
      publicKey: key.publicKey,
      sign: payload => this.signWith(key, payload, actor, purpose),
    };
  }

  /** Retires the active key (kept for verification) and makes a new one it endorses. */
  async rotate(actor: string): Promise<SigningKeyHistory> {
    const current = await this.store.active();
    await this.createKey(actor, current);
    if (current) {
      await this.store.retire(current.keyId);
      await this.spine.recordAudit({
        scope: SYSTEM_SCOPE,
        actor,
        action: 'signing-key.retired',
        subject: current.keyId,
      });
    }
    return this.listKeys();
  }
}
