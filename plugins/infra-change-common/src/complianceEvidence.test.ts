import {
  COMPLIANCE_EVIDENCE_MANIFEST_TYPE,
  COMPLIANCE_RULE_RESULTS_TYPE,
  EvidenceManifest,
  RuleResultsSnapshot,
} from '@infra-hub/plugin-infra-compliance-common';
import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import { runInfraVerify } from './cli';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ED25519_ALGORITHM,
  ed25519BindingStatement,
  generateEd25519Key,
  generateSigningKey,
  HybridSignature,
  KEY_HISTORY_FORMAT,
  rotationStatement,
  evidenceSealOf,
  evidenceSha256,
  SIGNATURE_ALGORITHM,
  signPayload,
  signPayloadEd25519,
  SigningKeyHistory,
  SigningKeyRecord,
  toBase64,
  verifyComplianceEvidence,
  writeComplianceEvidenceBundle,
} from './index';

const seed = (n: number) => new Uint8Array(32).fill(n);
type Key = ReturnType<typeof generateSigningKey> & {
  ed: ReturnType<typeof generateEd25519Key>;
};
const keyOf = (n: number): Key => ({
  ...generateSigningKey(seed(n)),
  ed: generateEd25519Key(seed(n + 100)),
});
const first = keyOf(1);
const second = keyOf(2);
const attacker = keyOf(9);

/** A key's record with its companion bound (by `binder`, the key itself unless a test lies). */
function record(
  key: Key,
  createdAt: string,
  extra: Partial<SigningKeyRecord> = {},
  binder: Key = key,
): SigningKeyRecord {
  const companion = {
    publicKey: toBase64(key.ed.publicKey),
    createdAt,
  };
  const statement = ed25519BindingStatement(key.keyId, companion);
  return {
    keyId: key.keyId,
    algorithm: SIGNATURE_ALGORITHM,
    publicKey: toBase64(key.publicKey),
    createdAt,
    ...extra,
    ed25519: {
      ...companion,
      binding: signPayload(statement, binder.secretKey),
      proof: signPayloadEd25519(statement, key.ed.secretKey),
    },
  };
}

/** The installation's history: the first key, retired, and the second it endorsed. */
function history(): SigningKeyHistory {
  const next = {
    keyId: second.keyId,
    publicKey: toBase64(second.publicKey),
    createdAt: '2026-11-24T08:00:00.000Z',
    previousKeyId: first.keyId,
  };
  return {
    format: KEY_HISTORY_FORMAT,
    items: [
      record(first, '2026-11-20T08:00:00.000Z', {
        retiredAt: next.createdAt,
      }),
      record(second, next.createdAt, {
        previousKeyId: first.keyId,
        endorsement: signPayload(rotationStatement(next), first.secretKey),
      }),
    ],
  };
}
const keyFile = JSON.stringify(history());

const snapshot = (
  id: string,
  statuses: Array<'pass' | 'fail' | 'unknown'>,
): RuleResultsSnapshot => ({
  type: COMPLIANCE_RULE_RESULTS_TYPE,
  rule: {
    id,
    title: `rule ${id}`,
    severity: 'high',
    resourceTypes: ['aws_s3_bucket'],
    condition: 'resource.encrypted == true',
    remediation: 'Encrypt it.',
  },
  results: statuses.map((status, i) => ({
    resource: `aws_s3_bucket.b${i}`,
    resourceType: 'aws_s3_bucket',
    name: `b${i}`,
    status,
  })),
});
const encryption = snapshot('aws-s3-encryption', ['pass', 'fail', 'unknown']);
const logging = snapshot('aws-s3-logging', ['pass', 'pass']);
const snapshots = new Map(
  [encryption, logging].map(s => [evidenceSha256(s), s]),
);
const ref = (s: RuleResultsSnapshot) => ({
  id: s.rule.id,
  sha256: evidenceSha256(s),
});

const manifest: EvidenceManifest = {
  type: COMPLIANCE_EVIDENCE_MANIFEST_TYPE,
  tenant: 'cartwheel',
  evaluation: {
    id: '0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f',
    trigger: 'schedule',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:02.000Z',
    ruleSetVersion: 'abc123',
    assets: 5,
  },
  frameworks: [{ id: 'nist-800-53-r5', title: 'NIST SP 800-53 rev 5' }],
  controls: [
    {
      framework: 'nist-800-53-r5',
      control: 'SC-28',
      status: 'failing',
      counts: { pass: 1, fail: 1, unknown: 1, error: 0 },
      rules: [ref(encryption)],
    },
    {
      framework: 'nist-800-53-r5',
      control: 'AU-2',
      status: 'passing',
      counts: { pass: 2, fail: 0, unknown: 0, error: 0 },
      rules: [ref(logging)],
    },
    {
      framework: 'nist-800-53-r5',
      control: 'AC-1',
      status: 'not-assessed',
      counts: { pass: 0, fail: 0, unknown: 0, error: 0 },
      rules: [],
    },
  ],
};

const sign = (payload: unknown, key: Key = second): HybridSignature => ({
  keyId: key.keyId,
  algorithms: [SIGNATURE_ALGORITHM, ED25519_ALGORITHM],
  mlDsa65: signPayload(payload, key.secretKey),
  ed25519: signPayloadEd25519(payload, key.ed.secretKey),
});

function bundle(
  options: {
    manifest?: EvidenceManifest;
    signature?: HybridSignature;
    keyHistory?: SigningKeyHistory;
    control?: string;
  } = {},
) {
  const m = options.manifest ?? manifest;
  const seal = evidenceSealOf(m);
  return writeComplianceEvidenceBundle(
    {
      scope: {
        framework: 'nist-800-53-r5',
        ...(options.control ? { control: options.control } : {}),
      },
      seal,
      manifest: m,
      signature: options.signature ?? sign(seal),
      keyHistory: options.keyHistory ?? history(),
    },
    snapshots,
  );
}

const failed = (r: ReturnType<typeof verifyComplianceEvidence>) =>
  r.checks.filter(c => !c.ok).map(c => c.check);
/** Re-writes a bundle after `change` (canonical again: the tamperer is careful). */
const tampered = (text: string, change: (b: any) => void) => {
  const b = JSON.parse(text);
  change(b);
  return canonicalJson(b);
};

describe('compliance evidence bundles', () => {
  it('verify against the key file, or the bundle history pinned to the first key', () => {
    for (const trust of [{ keyFile }, { trustKeyId: first.keyId }]) {
      const result = verifyComplianceEvidence(bundle(), trust);
      expect(failed(result)).toEqual([]);
      expect(result.valid).toBe(true);
    }
    const one = verifyComplianceEvidence(bundle({ control: 'SC-28' }), {
      keyFile,
    });
    expect(one.valid).toBe(true);
    expect(JSON.parse(bundle({ control: 'SC-28' })).ruleResults).toHaveLength(
      1,
    );
    expect(one.checks.at(-1)?.detail).toBe(
      'SC-28: failing, 1 pass, 1 fail, 1 unknown, 0 error',
    );
  });

  it('need a trust anchor: the bundle alone proves nothing', () => {
    const result = verifyComplianceEvidence(bundle(), {});
    expect(result.valid).toBe(false);
    expect(failed(result)).toEqual(['a trust anchor is given']);
  });

  it('refuse altered results, counts, statuses and extra content', () => {
    const flipped = tampered(bundle(), b => {
      b.ruleResults[0].results[1].status = 'pass';
    });
    expect(failed(verifyComplianceEvidence(flipped, { keyFile }))).toEqual([
      'every rule result the controls rest on is in the bundle, unaltered',
      'the bundle holds nothing the manifest does not name',
      "the results add up to each control's signed counts and status",
    ]);

    const recounted = tampered(bundle(), b => {
      b.manifest.controls[0].status = 'passing';
    });
    expect(failed(verifyComplianceEvidence(recounted, { keyFile }))).toEqual([
      'the manifest is the one sealed',
      "the results add up to each control's signed counts and status",
    ]);

    const extra = tampered(bundle({ control: 'SC-28' }), b => {
      b.ruleResults.push(logging);
    });
    expect(failed(verifyComplianceEvidence(extra, { keyFile }))).toEqual([
      'the bundle holds nothing the manifest does not name',
    ]);

    const unsignedField = tampered(bundle(), b => {
      b.note = 'all good';
    });
    expect(
      failed(verifyComplianceEvidence(unsignedField, { keyFile })),
    ).toEqual(['no field outside the format']);

    const reformatted = JSON.stringify(JSON.parse(bundle()), null, 2);
    expect(failed(verifyComplianceEvidence(reformatted, { keyFile }))).toEqual([
      'bundle is in canonical form (unaltered bytes)',
    ]);
  });

  it('refuse a consistent manifest that a signed one did not say (a lie that adds up)', () => {
    // The attacker rewrites the result and the counts so that everything adds up: only the
    // signatures catch it.
    const lie = structuredClone(manifest);
    const fixed = structuredClone(encryption);
    fixed.results[1].status = 'pass';
    lie.controls[0] = {
      ...lie.controls[0],
      status: 'passing',
      counts: { pass: 2, fail: 0, unknown: 1, error: 0 },
      rules: [ref(fixed)],
    };
    const lying = (seal: ReturnType<typeof evidenceSealOf>) =>
      writeComplianceEvidenceBundle(
        {
          scope: { framework: 'nist-800-53-r5', control: 'SC-28' },
          seal,
          manifest: lie,
          signature: sign(evidenceSealOf(manifest)),
          keyHistory: history(),
        },
        new Map([[evidenceSha256(fixed), fixed]]),
      );
    // With the real seal: the manifest is not the one sealed.
    expect(
      failed(
        verifyComplianceEvidence(lying(evidenceSealOf(manifest)), { keyFile }),
      ),
    ).toEqual(['the manifest is the one sealed']);
    // With a seal of the lie: the signatures do not hold.
    expect(
      failed(verifyComplianceEvidence(lying(evidenceSealOf(lie)), { keyFile })),
    ).toEqual(['the seal: ML-DSA-65 signature', 'the seal: Ed25519 signature']);
  });

  it('need both signatures: one alone, or a swapped pair, is not enough', () => {
    const good = sign(evidenceSealOf(manifest));
    const noEd = bundle({ signature: { ...good, ed25519: '' } });
    expect(failed(verifyComplianceEvidence(noEd, { keyFile }))).toEqual([
      'the seal: Ed25519 signature',
    ]);
    const noMl = bundle({
      signature: { ...good, mlDsa65: sign({ other: 1 }).mlDsa65 },
    });
    expect(failed(verifyComplianceEvidence(noMl, { keyFile }))).toEqual([
      'the seal: ML-DSA-65 signature',
    ]);
  });

  it("refuse keys that are not the installation's, and companions it did not bind", () => {
    // Signed by the attacker's own key, with a history of their own anchored on it.
    const forged = bundle({
      signature: sign(evidenceSealOf(manifest), attacker),
      keyHistory: {
        format: KEY_HISTORY_FORMAT,
        items: [record(attacker, '2026-11-20T08:00:00.000Z')],
      },
    });
    for (const trust of [{ keyFile }, { trustKeyId: first.keyId }]) {
      const result = verifyComplianceEvidence(forged, trust);
      expect(result.valid).toBe(false);
      expect(failed(result)).toContain(
        'the seal is signed with a key of the installation',
      );
    }
    // The installation's ML-DSA-65 key, with the attacker's Ed25519 key passed off as its
    // companion: the binding was not signed by the installation's key.
    const h = history();
    const swapped = {
      ...second,
      ed: attacker.ed,
    };
    h.items[1] = record(
      swapped,
      h.items[1].createdAt,
      {
        previousKeyId: first.keyId,
        endorsement: h.items[1].endorsement,
      },
      attacker,
    );
    const withSwapped = bundle({
      signature: sign(evidenceSealOf(manifest), swapped),
      keyHistory: h,
    });
    const result = verifyComplianceEvidence(withSwapped, {
      trustKeyId: first.keyId,
    });
    expect(failed(result)).toEqual([
      `Ed25519 companion of key ${second.keyId}`,
      'the seal: Ed25519 signature',
    ]);
  });

  it('refuse a key without a companion (made before companions) for Ed25519', () => {
    const h = history();
    delete h.items[1].ed25519;
    const result = verifyComplianceEvidence(bundle({ keyHistory: h }), {
      trustKeyId: first.keyId,
    });
    expect(failed(result)).toEqual(['the seal: Ed25519 signature']);
    expect(result.checks.find(c => !c.ok)?.detail).toMatch(
      /has no trusted Ed25519 companion/,
    );
  });

  it('refuse a signature of something else passed off as a seal, and a scope outside it', () => {
    // A CAB approval signed by the installation's key, its payload put where the seal goes.
    const approval = {
      type: 'infra-hub.cab-approval/1',
      changeRequestId: manifest.evaluation.id,
    };
    const text = tampered(bundle(), b => {
      b.seal = approval;
      b.signature = sign(approval);
    });
    expect(failed(verifyComplianceEvidence(text, { keyFile }))).toEqual([
      'the seal is of compliance evidence',
      'the manifest is the one sealed',
    ]);
    const elsewhere = tampered(bundle(), b => {
      b.scope = { framework: 'pci-dss-4.0' };
      b.ruleResults = [];
    });
    expect(failed(verifyComplianceEvidence(elsewhere, { keyFile }))).toEqual([
      'the scope names controls of the evaluation',
    ]);
  });

  it('are what infra-verify checks, by their format', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-evidence-'));
    fs.writeFileSync(path.join(dir, 'keys.json'), keyFile);
    fs.writeFileSync(path.join(dir, 'good.json'), bundle());
    fs.writeFileSync(
      path.join(dir, 'bad.json'),
      tampered(bundle(), b => {
        b.ruleResults[0].results.pop();
      }),
    );
    const run = (file: string) => {
      let out = '';
      const code = runInfraVerify(['--keys', 'keys.json', file], {
        stdout: t => {
          out += t;
        },
        stderr: t => {
          out += t;
        },
        cwd: dir,
      });
      return { code, out };
    };
    const good = run('good.json');
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/ok {4}the seal: Ed25519 signature/);
    expect(good.out).toMatch(/VALID: /);
    const bad = run('bad.json');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INVALID: /);
  });
});
