import crypto from 'node:crypto';

/** What an encrypted value is stored as. */
export interface SealedValue {
  keyId: string;
  iv: string;
  ciphertext: string;
  authTag: string;
}

/** Raised when a value cannot be decrypted: unknown key, wrong key or tampered data. */
export class VaultError extends Error {
  name = 'VaultError';
}

/**
 * AES-256-GCM under master keys from config. Every value is sealed with the active key and a
 * fresh 96-bit nonce, bound by the additional authenticated data to where it is stored (tenant
 * and credential id), so a ciphertext moved to another row does not decrypt. Old keys stay
 * configured until `rotate` has re-sealed everything under the active one.
 */
export class Vault {
  private readonly keys: Map<string, Buffer>;

  constructor(keys: Record<string, Buffer>, readonly activeKeyId: string) {
    this.keys = new Map(Object.entries(keys));
    if (!this.keys.has(activeKeyId)) {
      throw new Error(
        `Vault active key '${activeKeyId}' is not among the configured keys`,
      );
    }
    for (const [id, key] of this.keys) {
      if (key.length !== 32) {
        throw new Error(
          `Vault key '${id}' must be 32 bytes (256 bits), got ${key.length}`,
        );
      }
    }
  }

  seal(plaintext: string, aad: string): SealedValue {
    const key = this.keys.get(this.activeKeyId)!;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
    ]);
    return {
      keyId: this.activeKeyId,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      authTag: cipher.getAuthTag().toString('base64'),
    };
  }

  open(sealed: SealedValue, aad: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new VaultError(
        `Cannot decrypt: vault key '${sealed.keyId}' is not configured (infra.security.vault.keys)`,
      );
    }
    try {
      const decipher = crypto.createDecipheriv(
        'aes-256-gcm',
        key,
        Buffer.from(sealed.iv, 'base64'),
      );
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.authTag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new VaultError(
        `Cannot decrypt with vault key '${sealed.keyId}': wrong key or tampered ciphertext`,
      );
    }
  }

  needsRotation(sealed: { keyId: string }): boolean {
    return sealed.keyId !== this.activeKeyId;
  }
}
