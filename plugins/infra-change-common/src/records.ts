import { PlanScan } from '@infra-hub/plugin-infra-compliance-common';
import {
  ChangeState,
  PlanSummary,
  ResourceChangeAnalysis,
  RiskLevel,
  SignedApproval,
} from './types';

/**
 * What the compliance rules say of a plan's changes: the compliance plugin's check, or why there
 * is none (the plugin not installed, or not answering). Refresh-only plans change nothing and
 * are not checked.
 *
 * @public
 */
export type PlanCompliance =
  | ({ status: 'checked' } & PlanScan)
  | { status: 'unavailable'; reason: string };

/**
 * A CI run, as change control records it: the run that uploaded a plan, or that applied an
 * approved change. `provider` is `github`, `gitlab` or `azure-devops`; `repository` as the
 * entity annotations name it; `runId` the provider's run id.
 *
 * @public
 */
export type CiRunRef = {
  provider: string;
  repository: string;
  runId: string;
  url?: string;
};

/** A stored plan, as listed: the history of a module's drift. @public */
export type PlanRecord = {
  tenantId: string;
  id: string;
  moduleId: string;
  kind: 'plan' | 'refresh-only';
  /** SHA-256 (hex) of the plan's canonical JSON. */
  sha256: string;
  formatVersion: string;
  terraformVersion?: string;
  sizeBytes: number;
  risk: RiskLevel;
  drifted: number;
  summary: PlanSummary;
  /**
   * The compliance check of the plan's changes (plans only, not refresh-only ones); in the
   * answer to an upload and in a plan's detail, not in plan lists.
   */
  compliance?: PlanCompliance;
  /** The CI run that uploaded it (`?run=<provider>:<repository>:<runId>` on upload). */
  ciRun?: CiRunRef;
  uploadedBy: string;
  uploadedAt: string;
};

/** A plan with the attribute differences of its drift and changes. @public */
export type PlanDetail = PlanRecord & {
  drift: ResourceChangeAnalysis[];
  changes: ResourceChangeAnalysis[];
};

/** An approval (signed) or a rejection of a change request. @public */
export type Decision = {
  id: string;
  approver: string;
  decision: 'approve' | 'reject';
  comment: string;
  decidedAt: string;
  /** Approvals only. */
  signed?: SignedApproval;
};

/** A change request and its decisions. @public */
export type ChangeRequest = {
  tenantId: string;
  id: string;
  moduleId: string;
  planId: string;
  planHash: string;
  risk: RiskLevel;
  summary: PlanSummary;
  requester: string;
  rollbackNote: string;
  state: ChangeState;
  requiredApprovals: number;
  createdAt: string;
  updatedAt: string;
  decisions: Decision[];
  /** The CI run that applied it, once applied through `POST .../applied`. */
  appliedRun?: CiRunRef;
};

/**
 * The answer to CI's "is exactly this plan approved?" (`GET /tenants/{t}/approvals?planSha256=`):
 * approved only when a change request of the tenant with exactly that plan hash is `approved`
 * and enough of its approvals' signatures verify.
 *
 * @public
 */
export type PlanApproval = {
  planSha256: string;
  approved: boolean;
  /** Why, in a sentence CI can print. */
  message: string;
  changeRequest?: {
    id: string;
    module: string;
    state: ChangeState;
    risk: RiskLevel;
    requiredApprovals: number;
    appliedRun?: CiRunRef;
  };
  approvals: Array<{
    approver: string;
    approvedAt: string;
    keyId: string;
    algorithm: string;
    signatureValid: boolean;
  }>;
};

/**
 * The events topic on which change control announces that a tenant's plans or change requests
 * changed (a plan uploaded, a request opened, moved, approved or rejected); payload
 * `{ tenantId }`. The chat re-indexes drift and change requests on it.
 *
 * @public
 */
export const CHANGE_CONTROL_CHANGED_TOPIC = 'infra-change.changed';
