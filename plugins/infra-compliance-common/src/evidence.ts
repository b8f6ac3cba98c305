import { ControlPosture, ResultCounts } from './api';
import { Rule, RuleStatus } from './types';

/**
 * The `type` of what the installation's keys sign for one evaluation of a tenant (an
 * {@link EvidenceSeal}); nothing else signed by those keys carries it.
 *
 * @public
 */
export const COMPLIANCE_EVIDENCE_TYPE = 'infra-hub.compliance-evidence/1';

/** The `type` of the manifest of one evaluation's evidence. @public */
export const COMPLIANCE_EVIDENCE_MANIFEST_TYPE =
  'infra-hub.compliance-evidence-manifest/1';

/** The `type` of one rule's results in one evaluation. @public */
export const COMPLIANCE_RULE_RESULTS_TYPE =
  'infra-hub.compliance-rule-results/1';

/** One resource as a rule checked it. @public */
export type CheckedResource = {
  /** The asset id (what the asset graph calls it). */
  resource: string;
  resourceType: string;
  name?: string;
  status: RuleStatus;
  message?: string;
};

/**
 * What one rule checked in one evaluation and what came of it: the rule as it was evaluated
 * (its condition, severity, the resource types it applies to) and every resource it was
 * evaluated on, by resource id. Stored once per distinct content (its SHA-256 over canonical
 * JSON names it), so an unchanged estate does not store it again.
 *
 * @public
 */
export type RuleResultsSnapshot = {
  type: typeof COMPLIANCE_RULE_RESULTS_TYPE;
  rule: Pick<
    Rule,
    | 'id'
    | 'title'
    | 'severity'
    | 'resourceTypes'
    | 'condition'
    | 'related'
    | 'remediation'
    | 'equivalents'
  >;
  results: CheckedResource[];
};

/** One control as an evaluation found it, with the rule results it rests on. @public */
export type EvidenceControl = {
  framework: string;
  control: string;
  title?: string;
  status: ControlPosture['status'];
  counts: ResultCounts;
  /** The rules mapped to the control, each with the SHA-256 of its results snapshot. */
  rules: Array<{ id: string; sha256: string }>;
};

/**
 * The evidence of one evaluation of a tenant: which evaluation, the frameworks, and every control
 * with its status, counts and the hashes of the rule results it rests on. Its SHA-256 is sealed.
 *
 * @public
 */
export type EvidenceManifest = {
  type: typeof COMPLIANCE_EVIDENCE_MANIFEST_TYPE;
  tenant: string;
  evaluation: {
    id: string;
    trigger: string;
    startedAt: string;
    finishedAt: string;
    ruleSetVersion: string;
    assets: number;
  };
  frameworks: Array<{ id: string; title: string; version?: string }>;
  controls: EvidenceControl[];
};

/**
 * What the installation signs (ML-DSA-65 and Ed25519) for one evaluation: the SHA-256 of its
 * manifest's canonical JSON, and what it is of.
 *
 * @public
 */
export type EvidenceSeal = {
  type: typeof COMPLIANCE_EVIDENCE_TYPE;
  tenant: string;
  evaluationId: string;
  finishedAt: string;
  manifestSha256: string;
};

/** The evidence of one evaluation, as the list of evidence shows it. @public */
export type EvidenceRecord = {
  evaluationId: string;
  evaluatedAt: string;
  ruleSetVersion: string;
  controls: number;
  frameworks: string[];
  /** Signed by the installation's keys. */
  sealed: boolean;
  keyId?: string;
  sealedAt?: string;
  /** Why it is not sealed yet (it is tried again after the next evaluation). */
  sealError?: string;
};

/** Counts of nothing. @public */
export const zeroCounts = (): ResultCounts => ({
  pass: 0,
  fail: 0,
  unknown: 0,
  error: 0,
});

/** A control's status from its counts: failing when any result fails, passing when some pass. @public */
export function controlStatusOf(c: ResultCounts): ControlPosture['status'] {
  if (c.fail > 0) return 'failing';
  return c.pass > 0 ? 'passing' : 'not-assessed';
}

/** The results of snapshots counted by status. @public */
export function countResults(
  snapshots: Iterable<Pick<RuleResultsSnapshot, 'results'>>,
): ResultCounts {
  const counts = zeroCounts();
  for (const s of snapshots) for (const r of s.results) counts[r.status]++;
  return counts;
}
