import { RuleResult, RuleStatus, Severity } from './types';

/**
 * Where a finding stands: `open` while the last evaluation fails it, `resolved` once an
 * evaluation passes it (or its resource is gone), `suppressed` while an accepted risk with a
 * reason, an approver and an expiry covers it (it opens again when the expiry passes).
 *
 * @public
 */
export const FINDING_STATUSES = ['open', 'resolved', 'suppressed'] as const;

/** @public */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** An accepted risk on a finding. @public */
export type Suppression = {
  reason: string;
  /** ISO 8601; after it the finding is open again. */
  expiresAt: string;
  /** The signed-in person who accepted the risk. */
  approver: string;
  at: string;
};

/**
 * A rule failing on one discovered asset of a tenant, kept across evaluations: its id is stable
 * for the tenant, rule and asset.
 *
 * @public
 */
export type Finding = {
  tenantId: string;
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  /** The asset id. */
  resourceId: string;
  resourceType: string;
  resourceName: string;
  /** From the asset's `System`/`Owner` tags, when it has them. */
  system?: string;
  owner?: string;
  /** Control ids by framework id. */
  controls: Record<string, string[]>;
  message?: string;
  remediation: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  suppression?: Suppression;
  /** The evaluation that last saw it fail (or resolved it). */
  evaluationId: string;
};

/** What happened to a finding, oldest first. @public */
export type FindingEvent = {
  at: string;
  kind:
    | 'opened'
    | 'reopened'
    | 'resolved'
    | 'suppressed'
    | 'unsuppressed'
    | 'expired';
  actor: string;
  details?: Record<string, unknown>;
};

/** Result counts of rules on resources. @public */
export type ResultCounts = Record<RuleStatus, number>;

/** A control as evaluated: `failing` when any result fails, `passing` when some pass and none fail. @public */
export type ControlPosture = {
  id: string;
  title?: string;
  status: 'passing' | 'failing' | 'not-assessed';
  counts: ResultCounts;
};

/** The posture of a tenant on one framework after an evaluation. @public */
export type FrameworkPosture = {
  framework: string;
  title: string;
  /** Results that passed, of those that passed or failed (0 to 1); none when nothing was assessed. */
  passRate?: number;
  counts: ResultCounts;
  controls: { passing: number; failing: number; notAssessed: number };
};

/** One evaluation of a tenant's discovered assets against the active rules. @public */
export type Evaluation = {
  tenantId: string;
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'graph-changed' | 'schedule' | 'rules-changed';
  actor: string;
  startedAt: string;
  finishedAt?: string;
  /** The rule set it ran (a digest of the packs). */
  ruleSetVersion: string;
  assets?: number;
  counts?: ResultCounts;
  /** Per framework, when it succeeded. */
  frameworks?: FrameworkPosture[];
  error?: string;
};

/**
 * A plan's results as the compliance backend returns them to change control: each failing or
 * unknown result with its rule's title, severity and controls.
 *
 * @public
 */
export type PlanFinding = Pick<
  RuleResult,
  'ruleId' | 'severity' | 'status' | 'resourceType' | 'address' | 'message'
> & { title: string; controls: Record<string, string[]>; remediation: string };

/** @public */
export type PlanScan = {
  ruleSetVersion: string;
  resources: number;
  counts: ResultCounts;
  /** Failing and unknown results, worst first. */
  findings: PlanFinding[];
};

/**
 * The signal channel on which the compliance backend says that an evaluation of a tenant
 * finished; browsers then fetch it through the API, which checks their permission.
 *
 * @public
 */
export function complianceEvaluationsChannel(tenantId: string): string {
  return `infra-compliance:evaluations:${tenantId}`;
}

/**
 * A framework a tenant defines for itself: its controls, and which of the installation's rules
 * support which of them. It applies to the tenant's evaluations only.
 *
 * @public
 */
export type CustomFramework = {
  id: string;
  title: string;
  version?: string;
  controls: Array<{ id: string; title?: string }>;
  /** Rule id → the ids of the controls it supports. */
  mappings: Record<string, string[]>;
};

/** A tenant's framework as stored. @public */
export type TenantFramework = CustomFramework & {
  tenantId: string;
  updatedBy: string;
  updatedAt: string;
};
