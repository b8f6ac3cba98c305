import { ServiceUnavailableError } from '@backstage/errors';
import {
  ED25519_ALGORITHM,
  ed25519BindingStatement,
  fromBase64,
  generateEd25519Key,
  generateSigningKey,
  HybridSignature,
  KEY_HISTORY_FORMAT,
  PayloadSigner,
  rotationStatement,
  signPayload,
  sha256Hex,
  signPayloadEd25519,
  SIGNATURE_ALGORITHM,
  SigningKeyHistory,
  toBase64,
} from '@infra-hub/plugin-infra-change-common';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import crypto from 'node:crypto';
import { SigningKeyStore, StoredSigningKey } from '../database/SigningKeyStore';

const ACTOR = 'plugin:infra-change';

/** Something that signs with both algorithms of one key (compliance evidence). */
export type HybridSigner = {
  keyId: string;
  sign(payload: unknown): Promise<HybridSignature>;
};

/**
 * The installation's ML-DSA-65 signing key: made on first use, its secret half stored in the
 * credential vault (system scope) and decrypted only to sign, each signature an audited use of
 * the credential. Rotation retires the key (kept for verification) and makes a new one. When the
 * vault cannot be used, signing fails with 503: unsigned means unapproved. Each key has an
 * Ed25519 companion (in the vault too) for what is signed with both algorithms; a key made
 * before companions existed gets one the first time it signs such a thing.
 */
export class SigningService {
  /** The companion being made in this process, so that concurrent signers wait for one. */
  private companion?: Promise<unknown>;

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
      items: keys.map(
        ({ credentialId: _, ed25519CredentialId: _e, ...record }) => record,
      ),
    };
  }

  async publicKey(keyId: string): Promise<string | undefined> {
    return (await this.store.get(keyId))?.publicKey;
  }

  /** Signs with a stored key, its secret half decrypted only for this (an audited use). */
  private signWith(
    key: StoredSigningKey,
    payload: unknown,
    actor: string,
    purpose: string,
  ): Promise<string> {
    return this.signWithCredential(
      key.keyId,
      key.credentialId,
      secretKey => signPayload(payload, secretKey),
      actor,
      purpose,
    );
  }

  /** One signature with a secret half held in the vault, the decrypted bytes wiped after. */
  private async signWithCredential(
    keyId: string,
    credentialId: string,
    sign: (secretKey: Uint8Array) => string,
    actor: string,
    purpose: string,
  ): Promise<string> {
    try {
      return await this.spine.useCredential(
        { tenantId: SYSTEM_SCOPE, credentialId, actor, purpose },
        async value => {
          const secretKey = fromBase64(value);
          try {
            return sign(secretKey);
          } finally {
            secretKey.fill(0);
          }
        },
      );
    } catch (e) {
      throw new ServiceUnavailableError(
        `Cannot sign with key ${keyId}: ${(e as Error).message}`,
      );
    }
  }

  /** Keeps a secret half in the vault (system scope); 503 when the vault cannot. */
  private async keepSecret(
    name: string,
    kind: string,
    secretKey: Uint8Array,
    actor: string,
  ) {
    try {
      return await this.spine.storeCredential(
        SYSTEM_SCOPE,
        { name, kind, value: toBase64(secretKey) },
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
  }

  /**
   * Makes the key's Ed25519 companion: the secret half into the vault, the binding statement
   * signed by the ML-DSA-65 key and by the companion itself. Audited.
   */
  private async addCompanion(key: StoredSigningKey, actor: string) {
    const { publicKey, secretKey } = generateEd25519Key(crypto.randomBytes(32));
    const companion = {
      publicKey: toBase64(publicKey),
      createdAt: new Date().toISOString(),
    };
    const statement = ed25519BindingStatement(key.keyId, companion);
    // The proof is signed before the secret half is kept (keepSecret wipes it).
    const proof = signPayloadEd25519(statement, secretKey);
    const credential = await this.keepSecret(
      // Named by both keys: a companion made again (after a failed attempt) is another secret.
      `cab-signing-key-${key.keyId.slice(8)}-ed25519-${sha256Hex(
        publicKey,
      ).slice(0, 16)}`,
      'ed25519-secret-key',
      secretKey,
      actor,
    );
    const binding = await this.signWith(
      key,
      statement,
      actor,
      `binding of the Ed25519 companion of signing key ${key.keyId}`,
    );
    const added = await this.store.addEd25519(
      key.keyId,
      { ...companion, binding, proof },
      credential.id,
    );
    if (added) {
      await this.spine.recordAudit({
        scope: SYSTEM_SCOPE,
        actor,
        action: 'signing-key.ed25519-added',
        subject: key.keyId,
        details: { algorithm: ED25519_ALGORITHM },
      });
    }
  }

  /** The key with its companion, made now when it has none (one at a time in this process). */
  private async withCompanion(
    key: StoredSigningKey,
    actor: string,
  ): Promise<StoredSigningKey> {
    if (key.ed25519 && key.ed25519CredentialId) return key;
    while (this.companion) await this.companion.catch(() => undefined);
    const again = await this.store.get(key.keyId);
    if (again?.ed25519 && again.ed25519CredentialId) return again;
    const making = this.addCompanion(key, actor);
    this.companion = making;
    try {
      await making;
    } finally {
      this.companion = undefined;
    }
    return (await this.store.get(key.keyId))!;
  }

  /** A new key; when it replaces `previous`, the previous key signs the rotation first. */
  private async createKey(actor: string, previous?: StoredSigningKey) {
    const { keyId, publicKey, secretKey } = generateSigningKey(
      crypto.randomBytes(32),
    );
    const credential = await this.keepSecret(
      `cab-signing-key-${keyId.slice(8)}`,
      'ml-dsa-65-secret-key',
      secretKey,
      actor,
    );
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
    await this.withCompanion((await this.store.get(keyId))!, actor);
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

  /**
   * The signer with both algorithms of the active key (made now if there is none; its Ed25519
   * companion made now if it has none): each signature two audited uses of the vault.
   */
  async hybridSigner(actor: string, purpose: string): Promise<HybridSigner> {
    const { keyId } = await this.signer(actor, purpose);
    const key = await this.withCompanion((await this.store.get(keyId))!, actor);
    return {
      keyId,
      sign: async payload => ({
        keyId,
        algorithms: [SIGNATURE_ALGORITHM, ED25519_ALGORITHM],
        mlDsa65: await this.signWith(key, payload, actor, purpose),
        ed25519: await this.signWithCredential(
          keyId,
          key.ed25519CredentialId!,
          secretKey => signPayloadEd25519(payload, secretKey),
          actor,
          purpose,
        ),
      }),
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
