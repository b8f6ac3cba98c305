import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import {
  ApprovalPayload,
  generateSigningKey,
  PayloadSigner,
  sealEvidenceBundle,
  sha256Hex,
  signPayload,
  SIGNATURE_ALGORITHM,
  SignedApproval,
  SigningKeyHistory,
  KEY_HISTORY_FORMAT,
  rotationStatement,
  toBase64,
  verifyEvidenceBundle,
  verifyPayload,
} from './index';

const seed = (n: number) => new Uint8Array(32).fill(n);
const installation = generateSigningKey(seed(1));
const rotated = generateSigningKey(seed(3));
const at = '2026-11-20T08:00:00.000Z';

/** The installation's history: its first key, and the key that replaced it, endorsed. */
function keyHistory(endorser = installation): SigningKeyHistory {
  const second = {
    keyId: rotated.keyId,
    algorithm: SIGNATURE_ALGORITHM as typeof SIGNATURE_ALGORITHM,
    publicKey: toBase64(rotated.publicKey),
    createdAt: '2026-11-24T08:00:00.000Z',
    previousKeyId: installation.keyId,
  };
  return {
    format: KEY_HISTORY_FORMAT,
    items: [
      {
        keyId: installation.keyId,
        algorithm: SIGNATURE_ALGORITHM,
        publicKey: toBase64(installation.publicKey),
        createdAt: at,
        retiredAt: second.createdAt,
      },
      {
        ...second,
        endorsement: signPayload(rotationStatement(second), endorser.secretKey),
      },
    ],
  };
}
const keyFile = JSON.stringify(keyHistory());
const signer = (key = installation): PayloadSigner => ({
  keyId: key.keyId,
  publicKey: toBase64(key.publicKey),
  sign: async payload => signPayload(payload, key.secretKey),
});

const planSummary = {
  formatVersion: '1.2',
  counts: { create: 0, update: 2, delete: 0, replace: 0, read: 0, noop: 29 },
  drifted: 3,
  risk: 'high' as const,
  reasons: ['opens 22/tcp to 0.0.0.0/0'],
  resources: [],
  text: 'Plan: 2 to update.',
};
const changeRequest = {
  id: '7d2c9a1e-4b8f-4e0a-9c6d-1f2e3a4b5c6d',
  tenant: 'cartwheel',
  module: 'storefront-prod',
  state: 'approved' as const,
  risk: 'high' as const,
  requester: 'user:default/priya.shah',
  rollbackNote: 'Re-apply the previous plan.',
  requiredApprovals: 2,
  createdAt: '2026-11-25T09:00:00.000Z',
};
const planHash = sha256Hex('{"format_version":"1.2"}');

function approval(
  approver: string,
  key = installation,
  overrides = {},
): SignedApproval {
  const payload: ApprovalPayload = {
    type: 'infra-hub.cab-approval/1',
    changeRequestId: changeRequest.id,
    tenant: 'cartwheel',
    module: 'storefront-prod',
    risk: 'high',
    planHash,
    approver,
    approvedAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
  return {
    payload,
    algorithm: SIGNATURE_ALGORITHM,
    keyId: key.keyId,
    signature: signPayload(payload, key.secretKey),
  };
}

async function bundle(
  approvals = [
    approval('user:default/tomas.novak'),
    approval('user:default/omar.haddad'),
  ],
  cr = changeRequest,
  sealer = signer(),
  history = keyHistory(),
) {
  return sealEvidenceBundle(
    {
      changeRequest: cr,
      plan: { sha256: planHash, summary: planSummary },
      approvals,
    },
    history,
    '2026-11-25T11:00:00.000Z',
    sealer,
  );
}

describe('ML-DSA-65 signatures', () => {
  it('signs the canonical JSON of a payload, whatever the key order', () => {
    const a = { b: 1, a: [1, { d: 2, c: 3 }] };
    const sig = signPayload(a, installation.secretKey);
    expect(
      verifyPayload(
        { a: [1, { c: 3, d: 2 }], b: 1 },
        sig,
        installation.publicKey,
      ),
    ).toBe(true);
    expect(verifyPayload({ ...a, b: 2 }, sig, installation.publicKey)).toBe(
      false,
    );
    expect(verifyPayload(a, sig, generateSigningKey(seed(2)).publicKey)).toBe(
      false,
    );
    expect(verifyPayload(a, 'not base64!', installation.publicKey)).toBe(false);
    expect(installation.keyId).toMatch(/^mldsa65:[0-9a-f]{32}$/);
  });
});

describe('verifyEvidenceBundle', () => {
  const withKeys = { keyFile };

  it('accepts a sealed bundle against the key file, or from a pinned first key, and says what it checked', async () => {
    const text = await bundle(undefined, undefined, signer(rotated));
    for (const trust of [withKeys, { trustKeyId: installation.keyId }]) {
      const result = verifyEvidenceBundle(text, trust);
      expect(result.checks.filter(c => !c.ok)).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.checks.map(c => c.check)).toEqual(
        expect.arrayContaining([
          'bundle is in canonical form (unaltered bytes)',
          'no field outside the format',
          `key ${rotated.keyId} endorsed by ${installation.keyId}`,
          'signature of user:default/tomas.novak',
          '2 approval(s) required',
          'manifest signature',
        ]),
      );
    }
  });

  it('calls nothing valid without a trust anchor', async () => {
    const result = verifyEvidenceBundle(await bundle(), {});
    expect(result.valid).toBe(false);
    expect(result.checks).toEqual([
      expect.objectContaining({ check: 'a trust anchor is given', ok: false }),
    ]);
  });

  it('refuses a bundle forged with a fresh key, naming invented approvers, whatever keys it carries', async () => {
    const forger = generateSigningKey(seed(7));
    const forgedHistory: SigningKeyHistory = {
      format: KEY_HISTORY_FORMAT,
      items: [
        {
          keyId: forger.keyId,
          algorithm: SIGNATURE_ALGORITHM,
          publicKey: toBase64(forger.publicKey),
          createdAt: at,
        },
      ],
    };
    const forged = await bundle(
      [
        approval('user:default/invented-1', forger),
        approval('user:default/invented-2', forger),
      ],
      changeRequest,
      signer(forger),
      forgedHistory,
    );
    const againstFile = verifyEvidenceBundle(forged, withKeys);
    expect(againstFile.valid).toBe(false);
    expect(againstFile.checks.find(c => !c.ok)).toEqual({
      check:
        'approval of user:default/invented-1 is signed with a key of the installation',
      ok: false,
      detail: `key ${forger.keyId} is not in the installation's key history`,
    });
    const pinned = verifyEvidenceBundle(forged, {
      trustKeyId: installation.keyId,
    });
    expect(pinned.valid).toBe(false);
    expect(pinned.checks.find(c => !c.ok)).toMatchObject({
      check: `trust anchor ${installation.keyId}`,
      detail: 'not in the key history',
    });
  });

  it('trusts no key whose rotation the previous key did not sign', async () => {
    const rogue = generateSigningKey(seed(8));
    const history = keyHistory(rogue);
    const text = await bundle(undefined, undefined, signer(rotated), history);
    const result = verifyEvidenceBundle(text, {
      keyFile: JSON.stringify(history),
    });
    expect(result.valid).toBe(false);
    expect(result.checks.filter(c => !c.ok).map(c => c.check)).toEqual([
      `key ${rotated.keyId} endorsed by ${installation.keyId}`,
      'the manifest is signed with a key of the installation',
      'manifest signature',
    ]);
  });

  it('refuses a field the manifest does not cover', async () => {
    const parsed = JSON.parse(await bundle());
    parsed.approvedBy = 'the board';
    const result = verifyEvidenceBundle(canonicalJson(parsed), withKeys);
    expect(result.valid).toBe(false);
    expect(result.checks.find(c => !c.ok)).toEqual({
      check: 'no field outside the format',
      ok: false,
      detail: 'fields outside the format: approvedBy',
    });
  });

  it('reports a bundle altered by one byte, anywhere, as invalid', async () => {
    const text = await bundle();
    // Every 97th byte, and the first and last: flip one bit of it.
    const positions = [0, text.length - 1];
    for (let i = 1; i < text.length; i += 97) positions.push(i);
    for (const pos of positions) {
      const altered =
        text.slice(0, pos) +
        String.fromCharCode(text.charCodeAt(pos) ^ 1) +
        text.slice(pos + 1);
      expect({
        pos,
        valid: verifyEvidenceBundle(altered, withKeys).valid,
      }).toEqual({ pos, valid: false });
    }
    // A reformatted file holds the same values but is not what was sealed.
    expect(
      verifyEvidenceBundle(JSON.stringify(JSON.parse(text), null, 2), withKeys)
        .valid,
    ).toBe(false);
  });

  it('refuses an approval by the requester, a second one by the same approver, too few, or for another plan', async () => {
    const requester = verifyEvidenceBundle(
      await bundle([
        approval('user:default/tomas.novak'),
        approval(changeRequest.requester),
      ]),
      withKeys,
    );
    expect(requester.valid).toBe(false);
    expect(requester.checks.find(c => !c.ok)?.check).toBe(
      "approval of user:default/priya.shah is not the requester's",
    );
    const twice = verifyEvidenceBundle(
      await bundle([
        approval('user:default/tomas.novak'),
        approval('user:default/tomas.novak'),
      ]),
      withKeys,
    );
    expect(twice.checks.filter(c => !c.ok).map(c => c.check)).toEqual([
      "approval of user:default/tomas.novak is the approver's only one",
      '2 approval(s) required',
    ]);
    const otherPlan = verifyEvidenceBundle(
      await bundle([
        approval('user:default/tomas.novak'),
        approval('user:default/omar.haddad', installation, {
          planHash: sha256Hex('other'),
        }),
      ]),
      withKeys,
    );
    expect(otherPlan.checks.find(c => !c.ok)).toEqual({
      check: 'approval of user:default/omar.haddad is for this change',
      ok: false,
      detail: 'differs in plan hash',
    });
  });
});
