import {
  COMPLIANCE_EVIDENCE_MANIFEST_TYPE,
  COMPLIANCE_EVIDENCE_TYPE,
  COMPLIANCE_RULE_RESULTS_TYPE,
  controlStatusOf,
  countResults,
  EvidenceControl,
  EvidenceManifest,
  EvidenceSeal,
  RuleResultsSnapshot,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  canonicalJson,
  sha256Hex,
} from '@infra-hub/plugin-infra-security-common';
import {
  openSignedBundle,
  TrustAnchor,
  VerificationResult,
  verifyHybridSignature,
} from './signing';
import { HybridSignature, SigningKeyHistory } from './types';

/** The format of a compliance evidence bundle. @public */
export const COMPLIANCE_EVIDENCE_BUNDLE_FORMAT =
  'infra-hub-compliance-evidence/1';

/**
 * The evidence of one evaluation of a tenant for one framework (or one of its controls): the
 * seal (the manifest's hash) and the installation's signature of it with both algorithms, the
 * manifest of the whole evaluation, the key history, and the rule results the controls in scope
 * rest on. Written as canonical JSON; `infra-verify` checks it offline.
 *
 * @public
 */
export type ComplianceEvidenceBundle = {
  format: typeof COMPLIANCE_EVIDENCE_BUNDLE_FORMAT;
  /** What the bundle is the evidence of (not signed: it selects what the verifier checks). */
  scope: { framework: string; control?: string };
  seal: EvidenceSeal;
  signature: HybridSignature;
  manifest: EvidenceManifest;
  keyHistory: SigningKeyHistory;
  /** The rule results snapshots the controls in scope reference, in the manifest's order. */
  ruleResults: RuleResultsSnapshot[];
};

const FIELDS = new Map<string, string[]>([
  [
    COMPLIANCE_EVIDENCE_BUNDLE_FORMAT,
    [
      'format',
      'scope',
      'seal',
      'signature',
      'manifest',
      'keyHistory',
      'ruleResults',
    ],
  ],
]);

/**
 * The SHA-256 (hex) of a document's canonical JSON: what names a rule results snapshot, and what
 * a seal says of a manifest.
 *
 * @public
 */
export function evidenceSha256(
  document: RuleResultsSnapshot | EvidenceManifest,
): string {
  return sha256Hex(canonicalJson(document));
}

/** The seal of an evaluation's manifest: what the installation's keys sign. @public */
export function evidenceSealOf(manifest: EvidenceManifest): EvidenceSeal {
  return {
    type: COMPLIANCE_EVIDENCE_TYPE,
    tenant: manifest.tenant,
    evaluationId: manifest.evaluation.id,
    finishedAt: manifest.evaluation.finishedAt,
    manifestSha256: evidenceSha256(manifest),
  };
}

/** The controls of a manifest a scope selects. @public */
export function controlsInScope(
  manifest: Pick<EvidenceManifest, 'controls'>,
  scope: { framework: string; control?: string },
): EvidenceControl[] {
  return (manifest.controls ?? []).filter(
    c =>
      c?.framework === scope.framework &&
      (scope.control === undefined || c.control === scope.control),
  );
}

/**
 * Writes a bundle (canonical JSON) for the controls a scope selects, with the snapshots they
 * reference, looked up by hash in `snapshots`.
 *
 * @public
 */
export function writeComplianceEvidenceBundle(
  parts: Omit<ComplianceEvidenceBundle, 'format' | 'ruleResults'>,
  snapshots: ReadonlyMap<string, RuleResultsSnapshot>,
): string {
  const shas = new Set<string>();
  for (const c of controlsInScope(parts.manifest, parts.scope)) {
    for (const r of c.rules) shas.add(r.sha256);
  }
  const bundle: ComplianceEvidenceBundle = {
    format: COMPLIANCE_EVIDENCE_BUNDLE_FORMAT,
    ...parts,
    ruleResults: [...shas].map(sha => {
      const snapshot = snapshots.get(sha);
      if (!snapshot) throw new Error(`rule results ${sha} are missing`);
      return snapshot;
    }),
  };
  return canonicalJson(bundle);
}

const sameCounts = (
  a: EvidenceControl['counts'] | undefined,
  b: EvidenceControl['counts'],
) =>
  !!a &&
  a.pass === b.pass &&
  a.fail === b.fail &&
  a.unknown === b.unknown &&
  a.error === b.error;

/**
 * Verifies a compliance evidence bundle offline, against the installation's keys (its key file,
 * or the bundle's key history walked from a pinned key id): canonical bytes and known fields;
 * the manifest signed by a trusted key with both ML-DSA-65 and its Ed25519 companion; the scope
 * names controls of the manifest; every rule result the controls rest on is in the bundle,
 * unaltered (its SHA-256 is the one signed), of the rule it is named for, and nothing else is;
 * and the results add up to each control's signed counts and status.
 *
 * @public
 */
export function verifyComplianceEvidence(
  text: string,
  trust: TrustAnchor,
): VerificationResult {
  const opened = openSignedBundle(text, trust, FIELDS);
  const { checks, add } = opened;
  if (!opened.bundle) return { valid: false, checks };
  const bundle = opened.bundle as Partial<ComplianceEvidenceBundle>;
  const { seal, scope } = bundle;
  const manifest = bundle.manifest as EvidenceManifest | undefined;
  add(
    'the seal is of compliance evidence',
    seal?.type === COMPLIANCE_EVIDENCE_TYPE,
    seal?.type === COMPLIANCE_EVIDENCE_TYPE
      ? `tenant ${seal.tenant}, evaluation ${seal.evaluationId} finished ${seal.finishedAt}`
      : `type is ${JSON.stringify(seal?.type)}`,
  );
  checks.push(
    ...verifyHybridSignature(
      seal,
      bundle.signature,
      opened.trusted,
      'the seal',
    ),
  );
  let manifestSha = '';
  try {
    manifestSha = manifest ? evidenceSha256(manifest) : '';
  } catch {
    manifestSha = '';
  }
  const manifestOk =
    manifest?.type === COMPLIANCE_EVIDENCE_MANIFEST_TYPE &&
    Array.isArray(manifest.controls);
  add(
    'the manifest is the one sealed',
    manifestOk &&
      manifestSha === seal?.manifestSha256 &&
      manifest.tenant === seal?.tenant &&
      manifest.evaluation?.id === seal?.evaluationId &&
      manifest.evaluation?.finishedAt === seal?.finishedAt,
    manifestOk ? undefined : `type is ${JSON.stringify(manifest?.type)}`,
  );
  if (!manifestOk) return { valid: false, checks };

  const controls =
    typeof scope?.framework === 'string'
      ? controlsInScope(manifest, scope)
      : [];
  add(
    `the scope names controls of the evaluation`,
    controls.length > 0,
    `${scope?.framework ?? '(no framework)'}${
      scope?.control ? ` ${scope.control}` : ''
    }: ${controls.length} control(s)`,
  );

  const snapshots = new Map<string, RuleResultsSnapshot>();
  for (const s of Array.isArray(bundle.ruleResults) ? bundle.ruleResults : []) {
    let sha = '';
    try {
      sha = evidenceSha256(s);
    } catch {
      sha = '';
    }
    snapshots.set(sha, s);
  }
  const referenced = new Set<string>();
  const missing: string[] = [];
  const wrongRule: string[] = [];
  const disagreeing: string[] = [];
  for (const c of controls) {
    const used: RuleResultsSnapshot[] = [];
    for (const r of c.rules ?? []) {
      referenced.add(r.sha256);
      const s = snapshots.get(r.sha256);
      if (!s) {
        missing.push(`${c.control}/${r.id}`);
        continue;
      }
      if (s.type !== COMPLIANCE_RULE_RESULTS_TYPE || s.rule?.id !== r.id) {
        wrongRule.push(`${c.control}/${r.id}`);
      }
      used.push(s);
    }
    let counts;
    try {
      counts = countResults(used);
    } catch {
      counts = undefined;
    }
    if (
      !counts ||
      !sameCounts(c.counts, counts) ||
      c.status !== controlStatusOf(counts)
    ) {
      disagreeing.push(c.control);
    }
  }
  const list = (items: string[]) =>
    items.slice(0, 10).join(', ') + (items.length > 10 ? ', …' : '');
  add(
    'every rule result the controls rest on is in the bundle, unaltered',
    missing.length === 0,
    missing.length
      ? `missing or altered: ${list(missing)}`
      : `${referenced.size} rule result snapshot(s)`,
  );
  add(
    'each rule result is of the rule the manifest names',
    wrongRule.length === 0,
    wrongRule.length ? list(wrongRule) : undefined,
  );
  const unreferenced = [...snapshots.keys()].filter(k => !referenced.has(k));
  add(
    'the bundle holds nothing the manifest does not name',
    unreferenced.length === 0,
    unreferenced.length
      ? `${unreferenced.length} rule result snapshot(s) not in the manifest`
      : undefined,
  );
  add(
    "the results add up to each control's signed counts and status",
    disagreeing.length === 0,
    disagreeing.length
      ? `differs for ${list(disagreeing)}`
      : controls
          .slice(0, 1)
          .map(c =>
            controls.length === 1
              ? `${c.control}: ${c.status}, ${c.counts.pass} pass, ${c.counts.fail} fail, ${c.counts.unknown} unknown, ${c.counts.error} error`
              : `${controls.length} controls`,
          )
          .join(''),
  );
  return { valid: checks.every(c => c.ok), checks };
}
