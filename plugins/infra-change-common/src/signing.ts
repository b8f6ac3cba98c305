import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import {
  ApprovalPayload,
  EvidenceBundle,
  SIGNATURE_ALGORITHM,
  SignedApproval,
} from './types';

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

/** One check of a verification, as a reader would want it reported. @public */
export type VerificationCheck = { check: string; ok: boolean; detail?: string };

/** @public */
export type VerificationResult = {
  valid: boolean;
  checks: VerificationCheck[];
};

/** Checks one signed approval against a public key (base64), and that its key id names that key. @public */
export function verifyApproval(
  approval: SignedApproval,
  publicKeyBase64: string | undefined,
): VerificationCheck {
  const check = `signature of ${approval.payload?.approver ?? 'an approval'}`;
  if (approval.algorithm !== SIGNATURE_ALGORITHM) {
    return {
      check,
      ok: false,
      detail: `unknown algorithm ${approval.algorithm}`,
    };
  }
  if (!publicKeyBase64) {
    return { check, ok: false, detail: `no public key ${approval.keyId}` };
  }
  let publicKey: Uint8Array;
  try {
    publicKey = fromBase64(publicKeyBase64);
  } catch {
    return {
      check,
      ok: false,
      detail: `public key ${approval.keyId} is not base64`,
    };
  }
  if (keyIdOf(publicKey) !== approval.keyId) {
    return {
      check,
      ok: false,
      detail: `public key does not match key id ${approval.keyId}`,
    };
  }
  const ok = verifyPayload(approval.payload, approval.signature, publicKey);
  return ok
    ? { check, ok, detail: `ML-DSA-65, key ${approval.keyId}` }
    : { check, ok, detail: 'the signature does not match the payload' };
}

/** What the manifest's content hash covers. @public */
export function bundleContent(bundle: EvidenceBundle) {
  return {
    changeRequest: bundle.changeRequest,
    plan: bundle.plan,
    approvals: bundle.approvals,
    publicKeys: bundle.publicKeys,
  };
}

/**
 * Verifies an evidence bundle with nothing but the bundle: it must be canonical JSON (so that no
 * byte can change without a check failing), every public key must match its id, every approval's
 * signature must hold and its payload must name this change, plan, tenant, module and risk, the
 * approvers must be distinct and not the requester, there must be as many approvals as required,
 * and the manifest must hash the content and carry a valid signature.
 *
 * @public
 */
export function verifyEvidenceBundle(text: string): VerificationResult {
  const checks: VerificationCheck[] = [];
  const add = (check: string, ok: boolean, detail?: string) =>
    checks.push({ check, ok, ...(detail ? { detail } : {}) });
  let bundle: EvidenceBundle;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    add('bundle is JSON', false, (e as Error).message);
    return { valid: false, checks };
  }
  add('bundle is JSON', true);
  if (bundle?.format !== 'infra-hub-evidence/1') {
    add(
      'format infra-hub-evidence/1',
      false,
      `format is ${JSON.stringify(bundle?.format)}`,
    );
    return { valid: false, checks };
  }
  let canonical = false;
  try {
    canonical = canonicalJson(bundle) === text.replace(/\n$/, '');
  } catch {
    canonical = false;
  }
  add(
    'bundle is in canonical form (unaltered bytes)',
    canonical,
    canonical
      ? undefined
      : 'the file differs from the canonical form it was written in',
  );

  const keys = bundle.publicKeys ?? {};
  for (const [keyId, b64] of Object.entries(keys)) {
    let ok = false;
    try {
      ok = keyIdOf(fromBase64(b64)) === keyId;
    } catch {
      ok = false;
    }
    add(`public key ${keyId} matches its id`, ok);
  }

  const cr = bundle.changeRequest;
  const approvers = new Set<string>();
  for (const approval of bundle.approvals ?? []) {
    const c = verifyApproval(approval, keys[approval.keyId]);
    checks.push(c);
    const p = approval.payload ?? ({} as ApprovalPayload);
    const mismatches = [
      p.type !== 'infra-hub.cab-approval/1' && 'type',
      p.changeRequestId !== cr?.id && 'change request',
      p.tenant !== cr?.tenant && 'tenant',
      p.module !== cr?.module && 'module',
      p.risk !== cr?.risk && 'risk',
      p.planHash !== bundle.plan?.sha256 && 'plan hash',
    ].filter(Boolean);
    add(
      `approval of ${p.approver} is for this change`,
      mismatches.length === 0,
      mismatches.length ? `differs in ${mismatches.join(', ')}` : undefined,
    );
    add(
      `approval of ${p.approver} is not the requester's`,
      p.approver !== cr?.requester,
    );
    add(
      `approval of ${p.approver} is the approver's only one`,
      !approvers.has(p.approver),
    );
    approvers.add(p.approver);
  }
  const required = cr?.requiredApprovals ?? Infinity;
  add(
    `${required} approval(s) required`,
    approvers.size >= required,
    `${approvers.size} distinct approver(s)`,
  );

  let contentSha = '';
  try {
    contentSha = sha256Hex(canonicalJson(bundleContent(bundle)));
  } catch {
    contentSha = '';
  }
  add(
    'manifest hashes the content',
    contentSha !== '' && contentSha === bundle.manifest?.contentSha256,
  );
  const ms = bundle.manifestSignature;
  const manifestCheck = verifyApproval(
    {
      payload: bundle.manifest as unknown as ApprovalPayload,
      algorithm: ms?.algorithm,
      keyId: ms?.keyId,
      signature: ms?.signature,
    } as SignedApproval,
    keys[ms?.keyId],
  );
  add('manifest signature', manifestCheck.ok, manifestCheck.detail);
  return { valid: checks.every(c => c.ok), checks };
}

/**
 * Something that signs with one ML-DSA-65 key: its id, its public key (base64), and the signing
 * itself (which may go through a vault).
 *
 * @public
 */
export type PayloadSigner = {
  keyId: string;
  publicKey: string;
  sign(payload: unknown): Promise<string>;
};

/**
 * Seals the content of a bundle: adds the signer's public key, hashes the content into the
 * manifest and has the signer sign the manifest. Returns the bundle's text, canonical JSON.
 *
 * @public
 */
export async function sealEvidenceBundle(
  content: Pick<
    EvidenceBundle,
    'changeRequest' | 'plan' | 'approvals' | 'publicKeys'
  >,
  createdAt: string,
  signer: PayloadSigner,
): Promise<string> {
  const withKeys = {
    format: 'infra-hub-evidence/1' as const,
    ...content,
    publicKeys: { ...content.publicKeys, [signer.keyId]: signer.publicKey },
  };
  const manifest = {
    contentSha256: sha256Hex(
      canonicalJson(bundleContent(withKeys as EvidenceBundle)),
    ),
    createdAt,
  };
  const bundle: EvidenceBundle = {
    ...withKeys,
    manifest,
    manifestSignature: {
      algorithm: SIGNATURE_ALGORITHM,
      keyId: signer.keyId,
      signature: await signer.sign(manifest),
    },
  };
  return canonicalJson(bundle);
}
