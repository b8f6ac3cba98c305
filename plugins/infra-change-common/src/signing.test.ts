import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import {
  ApprovalPayload,
  EvidenceBundle,
  generateSigningKey,
  PayloadSigner,
  sealEvidenceBundle,
  sha256Hex,
  signPayload,
  SIGNATURE_ALGORITHM,
  SignedApproval,
  toBase64,
  verifyEvidenceBundle,
  verifyPayload,
} from './index';

const seed = (n: number) => new Uint8Array(32).fill(n);
const installation = generateSigningKey(seed(1));
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
) {
  return sealEvidenceBundle(
    {
      changeRequest: cr,
      plan: { sha256: planHash, summary: planSummary },
      approvals,
      publicKeys: {},
    },
    '2026-11-25T11:00:00.000Z',
    signer(),
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
  it('accepts a sealed bundle and says what it checked', async () => {
    const text = await bundle();
    const result = verifyEvidenceBundle(text);
    expect(result.checks.filter(c => !c.ok)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.checks.map(c => c.check)).toEqual(
      expect.arrayContaining([
        'bundle is in canonical form (unaltered bytes)',
        'signature of user:default/tomas.novak',
        '2 approval(s) required',
        'manifest signature',
      ]),
    );
  });

  it('reports a bundle altered by one byte, anywhere, as invalid', async () => {
    const text = await bundle();
    // Every 97th byte, and the first and last: flip one bit of it.
    const positions = [0, text.length - 1];
    for (let i = 1; i < text.length; i += 97) positions.push(i);
    for (const at of positions) {
      const altered =
        text.slice(0, at) +
        String.fromCharCode(text.charCodeAt(at) ^ 1) +
        text.slice(at + 1);
      expect({ at, valid: verifyEvidenceBundle(altered).valid }).toEqual({
        at,
        valid: false,
      });
    }
    // A reformatted file holds the same values but is not what was sealed.
    expect(
      verifyEvidenceBundle(JSON.stringify(JSON.parse(text), null, 2)).valid,
    ).toBe(false);
  });

  it('refuses an approval by the requester, a second one by the same approver, too few, or for another plan', async () => {
    const requester = verifyEvidenceBundle(
      await bundle([
        approval('user:default/tomas.novak'),
        approval(changeRequest.requester),
      ]),
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
    );
    expect(otherPlan.checks.find(c => !c.ok)).toEqual({
      check: 'approval of user:default/omar.haddad is for this change',
      ok: false,
      detail: 'differs in plan hash',
    });
  });

  it('refuses a signature made with a key the bundle does not hold, and a swapped public key', async () => {
    const rogue = generateSigningKey(seed(9));
    const foreign = verifyEvidenceBundle(
      await bundle([
        approval('user:default/tomas.novak'),
        approval('user:default/omar.haddad', rogue),
      ]),
    );
    expect(foreign.checks.find(c => !c.ok)?.detail).toBe(
      `no public key ${rogue.keyId}`,
    );

    // Replacing the installation's key by the rogue one under the same id is noticed even when
    // everything is re-sealed with the rogue key.
    const text = await bundle();
    const parsed: EvidenceBundle = JSON.parse(text);
    parsed.publicKeys[installation.keyId] = toBase64(rogue.publicKey);
    const swapped = verifyEvidenceBundle(canonicalJson(parsed));
    expect(swapped.checks.find(c => !c.ok)?.check).toBe(
      `public key ${installation.keyId} matches its id`,
    );
  });
});
