import crypto from 'node:crypto';
import { Vault, VaultError } from './Vault';

const key = (seed: string) => crypto.createHash('sha256').update(seed).digest();

describe('Vault', () => {
  const vault = new Vault({ k1: key('one'), k2: key('two') }, 'k2');

  it('seals with the active key and opens what it sealed', () => {
    const sealed = vault.seal(
      'AKIA-secret-value',
      'infra-credential:cartwheel/1',
    );
    expect(sealed.keyId).toBe('k2');
    expect(sealed.ciphertext).not.toContain('AKIA');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString()).not.toContain(
      'secret',
    );
    expect(vault.open(sealed, 'infra-credential:cartwheel/1')).toBe(
      'AKIA-secret-value',
    );
  });

  it('uses a fresh nonce every time', () => {
    const a = vault.seal('same', 'x');
    const b = vault.seal('same', 'x');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('fails loudly on a tampered ciphertext, tag or nonce', () => {
    const sealed = vault.seal('value', 'aad');
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] ^= 1;
      return buf.toString('base64');
    };
    for (const field of ['ciphertext', 'authTag', 'iv'] as const) {
      expect(() =>
        vault.open({ ...sealed, [field]: flip(sealed[field]) }, 'aad'),
      ).toThrow(/wrong key or tampered ciphertext/);
    }
  });

  it('fails loudly when the value is moved to another record (other AAD)', () => {
    const sealed = vault.seal('value', 'infra-credential:cartwheel/1');
    expect(() => vault.open(sealed, 'infra-credential:harbor-bank/1')).toThrow(
      VaultError,
    );
  });

  it('fails loudly with the wrong key under the same id, and names a missing key id', () => {
    const sealed = vault.seal('value', 'aad');
    const impostor = new Vault({ k2: key('not two') }, 'k2');
    expect(() => impostor.open(sealed, 'aad')).toThrow(/wrong key or tampered/);
    const without = new Vault({ k1: key('one') }, 'k1');
    expect(() => without.open(sealed, 'aad')).toThrow(
      /vault key 'k2' is not configured/,
    );
  });

  it('never puts the plaintext in an error message', () => {
    const sealed = vault.seal('hunter2-very-secret', 'aad');
    let message = '';
    try {
      vault.open(
        { ...sealed, authTag: Buffer.alloc(16).toString('base64') },
        'aad',
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/tampered ciphertext/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses keys that are not 256 bits and an active key that is not configured', () => {
    expect(() => new Vault({ short: Buffer.alloc(16) }, 'short')).toThrow(
      /32 bytes/,
    );
    expect(() => new Vault({ k1: key('one') }, 'k9')).toThrow(
      /not among the configured keys/,
    );
  });
});
