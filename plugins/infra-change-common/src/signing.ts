import {
  canonicalJson,
  fromBase64,
  keyIdOf,
  sha256Hex,
  verifyPayload,
  verifyPayloadEd25519,
} from '@infra-hub/plugin-infra-security-common';
// The primitives live in the security spine's common package; re-exported for this package's users.
export {
  fromBase64,
  generateEd25519Key,
  generateSigningKey,
  keyIdOf,
  sha256Hex,
  signedBytes,
  signPayload,
  signPayloadEd25519,
  toBase64,
  verifyPayload,
  verifyPayloadEd25519,
} from '@infra-hub/plugin-infra-security-common';
import {
  ApprovalPayload,
  Ed25519BindingStatement,
  HybridSignature,
  EVIDENCE_FORMAT,
  EvidenceBundle,
  KEY_HISTORY_FORMAT,
  KeyRotationStatement,
  SIGNATURE_ALGORITHM,
  SignedApproval,
  SigningKeyHistory,
  SigningKeyRecord,
} from './types';

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

/** The statement a retiring key signs for the key that replaces it. @public */
export function rotationStatement(
  key: Pick<SigningKeyRecord, 'keyId' | 'publicKey' | 'createdAt'> & {
    previousKeyId: string;
  },
): KeyRotationStatement {
  return {
    type: 'infra-hub.signing-key-rotation/1',
    keyId: key.keyId,
    publicKey: key.publicKey,
    previousKeyId: key.previousKeyId,
    createdAt: key.createdAt,
  };
}

/** The statement that binds an Ed25519 companion to its ML-DSA-65 key. @public */
export function ed25519BindingStatement(
  keyId: string,
  companion: { publicKey: string; createdAt: string },
): Ed25519BindingStatement {
  return {
    type: 'infra-hub.signing-key-ed25519/1',
    keyId,
    ed25519PublicKey: companion.publicKey,
    createdAt: companion.createdAt,
  };
}

/** The keys a verifier may trust, and what it checked to get them. @public */
export type TrustedKeys = {
  /** ML-DSA-65 public keys (base64) by key id. */
  keys: Map<string, string>;
  /** The Ed25519 companions (base64) of trusted keys, by the ML-DSA-65 key's id. */
  ed25519: Map<string, string>;
  checks: VerificationCheck[];
};

const publicKeyMatches = (keyId: string, b64: unknown) => {
  try {
    return typeof b64 === 'string' && keyIdOf(fromBase64(b64)) === keyId;
  } catch {
    return false;
  }
};

/**
 * Walks a signing key history from its trust anchor: `trustKeyId` when given (pinned by the
 * verifier), else the history's first key (the file itself is the anchor: it came from the
 * installation). A later key is trusted only when it names a trusted key as its predecessor and
 * carries that key's valid signature over its rotation statement; any other key is not trusted.
 *
 * @public
 */
export function trustedKeysOf(
  history: unknown,
  trustKeyId?: string,
): TrustedKeys {
  const checks: VerificationCheck[] = [];
  const keys = new Map<string, string>();
  const ed25519 = new Map<string, string>();
  const h = history as SigningKeyHistory | undefined;
  if (h?.format !== KEY_HISTORY_FORMAT || !Array.isArray(h.items)) {
    checks.push({
      check: 'key history format',
      ok: false,
      detail: `expected ${KEY_HISTORY_FORMAT} with items (what GET /api/infra-change/signing-keys returns)`,
    });
    return { keys, ed25519, checks };
  }
  const anchorId = trustKeyId ?? h.items[0]?.keyId;
  const anchor = h.items.find(k => k?.keyId === anchorId);
  if (!anchor || !publicKeyMatches(anchor.keyId, anchor.publicKey)) {
    checks.push({
      check: `trust anchor ${anchorId ?? '(none)'}`,
      ok: false,
      detail: anchor
        ? 'its public key does not match its id'
        : 'not in the key history',
    });
    return { keys, ed25519, checks };
  }
  keys.set(anchor.keyId, anchor.publicKey);
  checks.push({
    check: `trust anchor ${anchor.keyId}`,
    ok: true,
    detail: trustKeyId ? 'pinned by --trust' : 'first key of the key file',
  });
  // Passes until no key is added: one pass for a history in order (oldest first, as the
  // installation writes it); a shuffled file takes more passes (histories are a few keys long).
  let grew = true;
  while (grew) {
    grew = false;
    for (const k of h.items) {
      if (!k || keys.has(k.keyId) || !k.previousKeyId) continue;
      const previous = keys.get(k.previousKeyId);
      if (!previous || !publicKeyMatches(k.keyId, k.publicKey)) continue;
      let ok = false;
      try {
        ok = verifyPayload(
          rotationStatement(k as SigningKeyRecord & { previousKeyId: string }),
          k.endorsement ?? '',
          fromBase64(previous),
        );
      } catch {
        ok = false;
      }
      checks.push({
        check: `key ${k.keyId} endorsed by ${k.previousKeyId}`,
        ok,
        ...(ok ? {} : { detail: 'the rotation signature does not hold' }),
      });
      if (ok) {
        keys.set(k.keyId, k.publicKey);
        grew = true;
      }
    }
  }
  // A companion is trusted when its trusted ML-DSA-65 key bound it and it proved itself.
  for (const k of h.items) {
    const companion = k?.ed25519;
    const mlDsa = k && keys.get(k.keyId);
    if (!companion || !mlDsa) continue;
    let ok = false;
    try {
      const statement = ed25519BindingStatement(k.keyId, companion);
      ok =
        verifyPayload(statement, companion.binding, fromBase64(mlDsa)) &&
        verifyPayloadEd25519(
          statement,
          companion.proof,
          fromBase64(companion.publicKey),
        );
    } catch {
      ok = false;
    }
    checks.push({
      check: `Ed25519 companion of key ${k.keyId}`,
      ok,
      ...(ok ? {} : { detail: 'its binding or proof signature does not hold' }),
    });
    if (ok) ed25519.set(k.keyId, companion.publicKey);
  }
  return { keys, ed25519, checks };
}

/**
 * Checks a signature made with both algorithms over a payload: the key is trusted, its
 * ML-DSA-65 signature holds, and so does its Ed25519 companion's. Each a check of its own.
 *
 * @public
 */
export function verifyHybridSignature(
  payload: unknown,
  signature: HybridSignature | undefined,
  trusted: Pick<TrustedKeys, 'keys' | 'ed25519'>,
  what: string,
): VerificationCheck[] {
  const keyId = signature?.keyId;
  const mlDsa = keyId ? trusted.keys.get(keyId) : undefined;
  const ed = keyId ? trusted.ed25519.get(keyId) : undefined;
  const holds = (f: () => boolean) => {
    try {
      return f();
    } catch {
      return false;
    }
  };
  const mlOk =
    !!mlDsa &&
    holds(() => verifyPayload(payload, signature!.mlDsa65, fromBase64(mlDsa)));
  const edOk =
    !!ed &&
    holds(() =>
      verifyPayloadEd25519(payload, signature!.ed25519, fromBase64(ed)),
    );
  return [
    {
      check: `${what} is signed with a key of the installation`,
      ok: !!mlDsa,
      ...(mlDsa
        ? { detail: `key ${keyId}` }
        : {
            detail: `key ${
              keyId ?? '(none)'
            } is not in the installation's key history`,
          }),
    },
    {
      check: `${what}: ML-DSA-65 signature`,
      ok: mlOk,
      ...(mlOk ? {} : { detail: 'the signature does not match' }),
    },
    {
      check: `${what}: Ed25519 signature`,
      ok: edOk,
      ...(edOk
        ? {}
        : {
            detail: ed
              ? 'the signature does not match'
              : `key ${keyId ?? '(none)'} has no trusted Ed25519 companion`,
          }),
    },
  ];
}

/** Where a verifier gets the keys it trusts. @public */
export type TrustAnchor = {
  /** The text of the installation's key file (`GET /api/infra-change/signing-keys`). */
  keyFile?: string;
  /** A key id the verifier trusts (the installation's first key, say). */
  trustKeyId?: string;
};

const V1_FIELDS = [
  'format',
  'changeRequest',
  'plan',
  'approvals',
  'publicKeys',
  'manifest',
  'manifestSignature',
];
const V2_FIELDS = [
  'format',
  'changeRequest',
  'plan',
  'approvals',
  'keyHistory',
  'manifest',
  'manifestSignature',
];

const FIELDS_BY_FORMAT = new Map<string, string[]>([
  ['infra-hub-evidence/1', V1_FIELDS],
  [EVIDENCE_FORMAT, V2_FIELDS],
]);

/** What the manifest's content hash covers: for format 2, every field but the manifest's own. */
function contentOf(bundle: Record<string, unknown>): Record<string, unknown> {
  if (bundle.format === 'infra-hub-evidence/1') {
    const { changeRequest, plan, approvals, publicKeys } = bundle;
    return { changeRequest, plan, approvals, publicKeys };
  }
  const { manifest: _m, manifestSignature: _s, ...content } = bundle;
  return content;
}

/** What every bundle verification starts with: the checks so far, and a way to add one. */
type Opened = {
  checks: VerificationCheck[];
  add(check: string, ok: boolean, detail?: string): void;
};

/**
 * The steps every signed bundle of the installation goes through before its own checks: a trust
 * anchor is given; the text is JSON, of a known format, with no field outside it, in canonical
 * form (so no byte changed unnoticed); the trusted keys, walked from the installation's key file
 * or from the bundle's own `keyHistory` pinned to a key id. No bundle when it cannot go on.
 *
 * @public
 */
export function openSignedBundle(
  text: string,
  trust: TrustAnchor,
  fieldsByFormat: ReadonlyMap<string, readonly string[]>,
): Opened & { bundle?: Record<string, unknown>; trusted: TrustedKeys } {
  const checks: VerificationCheck[] = [];
  const add = (check: string, ok: boolean, detail?: string) =>
    checks.push({ check, ok, ...(detail ? { detail } : {}) });
  const none = { keys: new Map(), ed25519: new Map(), checks: [] };
  if (!trust.keyFile && !trust.trustKeyId) {
    add(
      'a trust anchor is given',
      false,
      "nothing is valid without the installation's keys: give a key file or a trusted key id",
    );
    return { checks, add, trusted: none };
  }
  let bundle: Record<string, unknown>;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    add('bundle is JSON', false, (e as Error).message);
    return { checks, add, trusted: none };
  }
  add('bundle is JSON', true);
  const format = (bundle as { format?: unknown })?.format;
  const fields = fieldsByFormat.get(String(format));
  if (!fields || typeof bundle !== 'object' || Array.isArray(bundle)) {
    add(
      `format ${[...fieldsByFormat.keys()].reverse().join(' or ')}`,
      false,
      `format is ${JSON.stringify(format)}`,
    );
    return { checks, add, trusted: none };
  }
  add(`format ${format}`, true);
  const extra = Object.keys(bundle).filter(k => !fields.includes(k));
  add(
    'no field outside the format',
    extra.length === 0,
    extra.length ? `fields outside the format: ${extra.join(', ')}` : undefined,
  );
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
  let trusted: TrustedKeys;
  if (trust.keyFile) {
    let file: unknown;
    try {
      file = JSON.parse(trust.keyFile);
    } catch (e) {
      file = undefined;
      add('key file is JSON', false, (e as Error).message);
    }
    trusted = trustedKeysOf(file, trust.trustKeyId);
  } else {
    trusted = trustedKeysOf(bundle.keyHistory, trust.trustKeyId);
  }
  checks.push(...trusted.checks);
  return { checks, add, bundle, trusted };
}

/**
 * Verifies an evidence bundle offline against the installation's keys, never against keys that
 * came with the data: the keys come from the installation's key file, or from the bundle's own
 * key history walked from a key id the verifier pinned. The bundle must be canonical JSON (so
 * that no byte can change unnoticed), have no field outside its format and none outside what the
 * manifest signature covers; every approval's signature must hold with a trusted key and name
 * this change, plan, tenant, module and risk; the approvers must be distinct and not the
 * requester; there must be as many approvals as required.
 *
 * @public
 */
export function verifyEvidenceBundle(
  text: string,
  trust: TrustAnchor,
): VerificationResult {
  const opened = openSignedBundle(text, trust, FIELDS_BY_FORMAT);
  const { checks, add } = opened;
  if (!opened.bundle) return { valid: false, checks };
  const bundle = opened.bundle as EvidenceBundle & Record<string, unknown>;
  const trusted = opened.trusted;
  const keyOf = (keyId: string) => trusted.keys.get(keyId);
  const trustedCheck = (keyId: string, what: string) =>
    add(
      `${what} is signed with a key of the installation`,
      keyOf(keyId) !== undefined,
      keyOf(keyId) === undefined
        ? `key ${keyId} is not in the installation's key history`
        : undefined,
    );

  const cr = bundle.changeRequest;
  const approvers = new Set<string>();
  for (const approval of bundle.approvals ?? []) {
    const p = approval?.payload ?? ({} as ApprovalPayload);
    trustedCheck(approval?.keyId, `approval of ${p.approver}`);
    checks.push(verifyApproval(approval, keyOf(approval?.keyId)));
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
    contentSha = sha256Hex(canonicalJson(contentOf(bundle)));
  } catch {
    contentSha = '';
  }
  add(
    'manifest hashes the content',
    contentSha !== '' && contentSha === bundle.manifest?.contentSha256,
  );
  const ms = bundle.manifestSignature;
  trustedCheck(ms?.keyId, 'the manifest');
  const manifestCheck = verifyApproval(
    {
      payload: bundle.manifest as unknown as ApprovalPayload,
      algorithm: ms?.algorithm,
      keyId: ms?.keyId,
      signature: ms?.signature,
    } as SignedApproval,
    keyOf(ms?.keyId),
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
 * Seals a bundle: adds the installation's key history, hashes every field into the manifest and
 * has the signer sign the manifest. Returns the bundle's text, canonical JSON.
 *
 * @public
 */
export async function sealEvidenceBundle(
  content: Pick<EvidenceBundle, 'changeRequest' | 'plan' | 'approvals'>,
  keyHistory: SigningKeyHistory,
  createdAt: string,
  signer: PayloadSigner,
): Promise<string> {
  const body = {
    format: EVIDENCE_FORMAT as typeof EVIDENCE_FORMAT,
    changeRequest: content.changeRequest,
    plan: content.plan,
    approvals: content.approvals,
    keyHistory,
  };
  const manifest = {
    contentSha256: sha256Hex(canonicalJson(body)),
    createdAt,
  };
  const bundle: EvidenceBundle = {
    ...body,
    manifest,
    manifestSignature: {
      algorithm: SIGNATURE_ALGORITHM,
      keyId: signer.keyId,
      signature: await signer.sign(manifest),
    },
  };
  return canonicalJson(bundle);
}
