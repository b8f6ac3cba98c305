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
};

/**
 * The events topic on which change control announces that a tenant's plans or change requests
 * changed (a plan uploaded, a request opened, moved, approved or rejected); payload
 * `{ tenantId }`. The chat re-indexes drift and change requests on it.
 *
 * @public
 */
export const CHANGE_CONTROL_CHANGED_TOPIC = 'infra-change.changed';
