import {
  ChangeState,
  PlanSummary,
  ResourceChangeAnalysis,
  RiskLevel,
  SignedApproval,
} from './types';

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
