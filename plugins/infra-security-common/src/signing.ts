import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { canonicalJson } from './canonicalJson';

/*
 * ML-DSA-65 (FIPS 204) signatures over canonical JSON, shared by every part of the suite that
 * signs or verifies: CAB approvals and evidence (change control), audit checkpoints (security).
 * Ed25519 (RFC 8032) beside it where a signature must also hold for verifiers that do not know
 * ML-DSA yet (compliance evidence is signed with both).
 */

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Base64 of bytes (standard alphabet, padded); in browsers and Node alike. @public */
export function toBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== 'undefined') {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(
      'base64',
    );
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of base64 text; throws on anything else. @public */
export function fromBase64(text: string): Uint8Array {
  if (
    typeof text !== 'string' ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(text) ||
    text.length % 4 !== 0
  ) {
    throw new Error('not base64');
  }
  if (typeof Buffer !== 'undefined') {
    // Node: native decoding.
    const b = Buffer.from(text, 'base64');
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  return Uint8Array.from(atob(text), c => c.charCodeAt(0));
}

/** SHA-256 of text, hex. @public */
export function sha256Hex(text: string | Uint8Array): string {
  return bytesToHex(sha256(typeof text === 'string' ? utf8(text) : text));
}

/**
 * The id of a signing key: its algorithm and the first 32 hex digits of the SHA-256 of the public
 * key, so that the id cannot name another key.
 *
 * @public
 */
export function keyIdOf(publicKey: Uint8Array): string {
  return `mldsa65:${sha256Hex(publicKey).slice(0, 32)}`;
}

/** The bytes that are signed for a payload: its canonical JSON, UTF-8. @public */
export function signedBytes(payload: unknown): Uint8Array {
  return utf8(canonicalJson(payload));
}

/** Signs a payload's canonical JSON with ML-DSA-65. @public */
export function signPayload(payload: unknown, secretKey: Uint8Array): string {
  return toBase64(ml_dsa65.sign(signedBytes(payload), secretKey));
}

/** Checks an ML-DSA-65 signature (base64) over a payload's canonical JSON. @public */
export function verifyPayload(
  payload: unknown,
  signature: string,
  publicKey: Uint8Array,
): boolean {
  try {
    return ml_dsa65.verify(
      fromBase64(signature),
      signedBytes(payload),
      publicKey,
    );
  } catch {
    return false;
  }
}

/** A fresh ML-DSA-65 key pair and its id. @public */
export function generateSigningKey(seed: Uint8Array): {
  keyId: string;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
} {
  const { publicKey, secretKey } = ml_dsa65.keygen(seed);
  return { keyId: keyIdOf(publicKey), publicKey, secretKey };
}

/** A fresh Ed25519 key pair (32-byte seed). @public */
export function generateEd25519Key(seed: Uint8Array): {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
} {
  const { publicKey, secretKey } = ed25519.keygen(seed);
  return { publicKey, secretKey };
}

/** Signs a payload's canonical JSON with Ed25519 (RFC 8032, pure). @public */
export function signPayloadEd25519(
  payload: unknown,
  secretKey: Uint8Array,
): string {
  return toBase64(ed25519.sign(signedBytes(payload), secretKey));
}

/**
 * Checks an Ed25519 signature (base64) over a payload's canonical JSON, strictly as RFC 8032
 * says (no ZIP-215 leniency: a signature has one encoding).
 *
 * @public
 */
export function verifyPayloadEd25519(
  payload: unknown,
  signature: string,
  publicKey: Uint8Array,
): boolean {
  try {
    return ed25519.verify(
      fromBase64(signature),
      signedBytes(payload),
      publicKey,
      { zip215: false },
    );
  } catch {
    return false;
  }
}
