import {
  generateEd25519Key,
  generateSigningKey,
  signPayload,
  signPayloadEd25519,
  toBase64,
  verifyPayload,
  verifyPayloadEd25519,
} from './signing';

const seed = (byte: number) => new Uint8Array(32).fill(byte);

describe('Ed25519 beside ML-DSA-65', () => {
  const payload = { type: 'test/1', tenant: 'cartwheel', items: [1, 2, 3] };

  it('matches the RFC 8032 test vector 1 (empty message)', () => {
    // RFC 8032 section 7.1, TEST 1: the public key of this secret key, and its signature of "".
    const secretKey = Uint8Array.from(
      Buffer.from(
        '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
        'hex',
      ),
    );
    const { publicKey } = generateEd25519Key(secretKey);
    expect(Buffer.from(publicKey).toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    // What is signed is canonical JSON (here '""', not the vector's empty message), so the
    // vector checks the key derivation; the round trip checks the rest.
    const signature = signPayloadEd25519('', secretKey);
    expect(verifyPayloadEd25519('', signature, publicKey)).toBe(true);
  });

  it('verifies what it signed, and nothing altered', () => {
    const { publicKey, secretKey } = generateEd25519Key(seed(7));
    const signature = signPayloadEd25519(payload, secretKey);
    expect(verifyPayloadEd25519(payload, signature, publicKey)).toBe(true);
    // Key order does not matter (canonical JSON); content does.
    expect(
      verifyPayloadEd25519(
        { items: [1, 2, 3], tenant: 'cartwheel', type: 'test/1' },
        signature,
        publicKey,
      ),
    ).toBe(true);
    expect(
      verifyPayloadEd25519(
        { ...payload, tenant: 'harbor-bank' },
        signature,
        publicKey,
      ),
    ).toBe(false);
    const other = generateEd25519Key(seed(8)).publicKey;
    expect(verifyPayloadEd25519(payload, signature, other)).toBe(false);
  });

  it('refuses malformed signatures and keys without throwing', () => {
    const { publicKey, secretKey } = generateEd25519Key(seed(9));
    const signature = signPayloadEd25519(payload, secretKey);
    expect(verifyPayloadEd25519(payload, 'not base64!', publicKey)).toBe(false);
    expect(
      verifyPayloadEd25519(payload, toBase64(new Uint8Array(64)), publicKey),
    ).toBe(false);
    expect(verifyPayloadEd25519(payload, signature, new Uint8Array(5))).toBe(
      false,
    );
    // Signature malleability: S + L (the group order) is another encoding of the same S;
    // strict RFC 8032 verification refuses it.
    const bytes = Buffer.from(signature, 'base64');
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) + BigInt(bytes[i]);
    // S < L < 2^253, so S + L still fits the 32 bytes.
    const out = Buffer.from(bytes);
    let v = s + L;
    for (let i = 32; i < 64; i++) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    expect(
      verifyPayloadEd25519(payload, out.toString('base64'), publicKey),
    ).toBe(false);
  });

  it('is independent of the ML-DSA-65 key: neither signature verifies as the other', () => {
    const ml = generateSigningKey(seed(1));
    const ed = generateEd25519Key(seed(1));
    const mlSig = signPayload(payload, ml.secretKey);
    const edSig = signPayloadEd25519(payload, ed.secretKey);
    expect(verifyPayload(payload, mlSig, ml.publicKey)).toBe(true);
    expect(verifyPayloadEd25519(payload, mlSig, ed.publicKey)).toBe(false);
    expect(verifyPayload(payload, edSig, ml.publicKey)).toBe(false);
  });
});
