import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
/** How risky a change or a drift is. @public */
export const RISK_LEVELS = [
  'none',
  'low',
  'medium',
  'high',
  'critical',
] as const;

/** @public */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The higher of two risk levels. @public */
export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;
}

/**
 * One attribute that differs, at a path such as `ingress[0].cidr_blocks[1]`. Values marked
 * sensitive by Terraform, and values that look like secrets, are `(sensitive)`; values Terraform
 * only knows after apply are `(known after apply)`.
 *
 * @public
 */
export type AttributeChange = {
  path: string;
  before?: unknown;
  after?: unknown;
  sensitive?: boolean;
};

/** A resource that a plan changes, or that drifted from its state. @public */
export type ResourceChangeAnalysis = {
  address: string;
  type: string;
  /** Terraform's actions: create, update, delete, read, no-op; replace is delete + create. */
  action: 'create' | 'update' | 'delete' | 'replace' | 'read' | 'no-op';
  changes: AttributeChange[];
  risk: RiskLevel;
  reasons: string[];
};

/**
 * A deterministic, human-readable account of a plan: the same plan gives the same summary.
 *
 * @public
 */
export type PlanSummary = {
  formatVersion: string;
  terraformVersion?: string;
  counts: {
    create: number;
    update: number;
    delete: number;
    replace: number;
    read: number;
    noop: number;
  };
  /** Resources changed outside Terraform since the last apply (`resource_drift`). */
  drifted: number;
  risk: RiskLevel;
  /** Why the plan has its risk, worst first. */
  reasons: string[];
  /** The resources that matter: every change and drift, riskiest first (at most 200). */
  resources: Array<
    Pick<
      ResourceChangeAnalysis,
      'address' | 'type' | 'action' | 'risk' | 'reasons'
    > & {
      drift: boolean;
    }
  >;
  /** The summary as text, one line per fact. */
  text: string;
};

/** The states of a change request. @public */
export const CHANGE_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'rejected',
  'applied',
  'cancelled',
] as const;

/** @public */
export type ChangeState = (typeof CHANGE_STATES)[number];

/**
 * Which state may follow which, by what. Everything else is refused. Approval and rejection move
 * `pending_approval` on through approvals (the last required approval, or any rejection).
 *
 * @public
 */
export const CHANGE_TRANSITIONS: Record<
  ChangeState,
  Partial<
    Record<ChangeState, 'submit' | 'approve' | 'reject' | 'apply' | 'cancel'>
  >
> = {
  draft: { pending_approval: 'submit', cancelled: 'cancel' },
  pending_approval: {
    approved: 'approve',
    rejected: 'reject',
    cancelled: 'cancel',
  },
  approved: { applied: 'apply', cancelled: 'cancel' },
  rejected: {},
  applied: {},
  cancelled: {},
};

/**
 * What an approver signs, as canonical JSON (RFC 8785 style: keys sorted, no whitespace).
 *
 * @public
 */
export type ApprovalPayload = {
  /** Fixed: what this payload is. */
  type: 'infra-hub.cab-approval/1';
  changeRequestId: string;
  tenant: string;
  module: string;
  risk: RiskLevel;
  /** SHA-256 (hex) of the plan's canonical JSON. */
  planHash: string;
  approver: string;
  /** ISO 8601 time of the approval. */
  approvedAt: string;
};

/** The signature algorithm of approvals and manifests. @public */
export const SIGNATURE_ALGORITHM = 'ML-DSA-65';

/** An approval as stored and shipped: its payload, signature and key id. @public */
export type SignedApproval = {
  payload: ApprovalPayload;
  algorithm: typeof SIGNATURE_ALGORITHM;
  keyId: string;
  /** Base64 of the ML-DSA-65 signature over the payload's canonical JSON. */
  signature: string;
};

/**
 * Everything an auditor needs to check a change without our database: what was planned, who
 * approved it when, the signatures and the public keys, and a manifest over all of it signed by
 * the installation. Written as canonical JSON, so that any altered byte is noticed.
 *
 * @public
 */
export type EvidenceBundle = {
  format: typeof EVIDENCE_FORMAT;
  changeRequest: {
    id: string;
    tenant: string;
    module: string;
    state: ChangeState;
    risk: RiskLevel;
    requester: string;
    rollbackNote: string;
    requiredApprovals: number;
    createdAt: string;
  };
  plan: { sha256: string; summary: PlanSummary };
  approvals: SignedApproval[];
  /**
   * The installation's signing key history when the bundle was sealed, for `--trust <keyId>`;
   * a verifier trusts it only from a pinned key onwards.
   */
  keyHistory: SigningKeyHistory;
  manifest: {
    /** SHA-256 (hex) of the canonical JSON of every other field but `manifestSignature`. */
    contentSha256: string;
    createdAt: string;
  };
  /** The installation's signature over the manifest's canonical JSON. */
  manifestSignature: {
    algorithm: typeof SIGNATURE_ALGORITHM;
    keyId: string;
    signature: string;
  };
};

/** The evidence bundle format written now; `infra-hub-evidence/1` is still read. @public */
export const EVIDENCE_FORMAT = 'infra-hub-evidence/2';

/** The format of a signing key history (`GET /api/infra-change/signing-keys`). @public */
export const KEY_HISTORY_FORMAT = 'infra-hub-signing-keys/1';

/**
 * One key of the installation's history. Every key but the first names the key it replaced
 * and carries that key's signature (`endorsement`) over a {@link KeyRotationStatement}, so that
 * trusting the first key id is enough to trust every later key.
 *
 * @public
 */
export type SigningKeyRecord = {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  /** base64 */
  publicKey: string;
  createdAt: string;
  retiredAt?: string;
  previousKeyId?: string;
  /** The previous key's ML-DSA-65 signature (base64) over the rotation statement. */
  endorsement?: string;
  /**
   * The key's Ed25519 companion, for what is signed with both algorithms (compliance evidence).
   * Keys made before companions existed get one the first time they sign such a thing.
   */
  ed25519?: Ed25519Companion;
};

/**
 * An Ed25519 key bound to an ML-DSA-65 key of the history: the ML-DSA-65 key signs the
 * {@link Ed25519BindingStatement} (`binding`) and the Ed25519 key signs it too (`proof`, proving
 * it was held), so the companion is trusted exactly when its ML-DSA-65 key is.
 *
 * @public
 */
export type Ed25519Companion = {
  /** base64, 32 bytes */
  publicKey: string;
  createdAt: string;
  /** The ML-DSA-65 key's signature over the binding statement (base64). */
  binding: string;
  /** The Ed25519 key's signature over the binding statement (base64). */
  proof: string;
};

/** What binds an Ed25519 companion to its ML-DSA-65 key. @public */
export type Ed25519BindingStatement = {
  type: 'infra-hub.signing-key-ed25519/1';
  keyId: string;
  ed25519PublicKey: string;
  createdAt: string;
};

/** The name of the Ed25519 algorithm, as signatures state it. @public */
export const ED25519_ALGORITHM = 'Ed25519';

/**
 * One payload signed by one key of the history with both algorithms: ML-DSA-65 (FIPS 204) and
 * its Ed25519 companion (RFC 8032). Both must hold.
 *
 * @public
 */
export type HybridSignature = {
  keyId: string;
  algorithms: [typeof SIGNATURE_ALGORITHM, typeof ED25519_ALGORITHM];
  /** base64 */
  mlDsa65: string;
  /** base64 */
  ed25519: string;
};

/** What the previous key signs when a new key replaces it. @public */
export type KeyRotationStatement = {
  type: 'infra-hub.signing-key-rotation/1';
  keyId: string;
  publicKey: string;
  previousKeyId: string;
  createdAt: string;
};

/** The installation's signing keys, oldest first. @public */
export type SigningKeyHistory = {
  format: typeof KEY_HISTORY_FORMAT;
  items: SigningKeyRecord[];
};

/** The annotation naming the Terraform module (as its plans are uploaded) of an entity. @public */
export const CHANGE_MODULE_ANNOTATION = 'infra-hub.io/change-module';

/** True for Terraform module entities whose plans Infra Hub receives (the Changes tab). @public */
export function isInfraChangeAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(a[CHANGE_MODULE_ANNOTATION] && a[INFRA_TENANT_ANNOTATION]);
}

/** One row of the compliance report: a change request and its decisions, each checked. @public */
export type ComplianceReportRow = {
  id: string;
  module: string;
  risk: RiskLevel;
  state: ChangeState;
  requester: string;
  createdAt: string;
  requiredApprovals: number;
  planHash: string;
  approvals: Array<{
    approver: string;
    decision: string;
    decidedAt: string;
    keyId?: string;
    /** `valid`, `INVALID`, or `unsigned (rejection)`. */
    signature: string;
  }>;
};
