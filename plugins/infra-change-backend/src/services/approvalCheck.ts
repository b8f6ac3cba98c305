import {
  ChangeRequest,
  Decision,
  sha256Hex,
  VerificationResult,
  verifyApproval,
} from '@infra-hub/plugin-infra-change-common';
import { canonicalJson } from '@infra-hub/plugin-infra-security-common';

/** What one stored approval is checked against: its request as stored, and the key it names. */
export type ApprovalCheck = {
  request: Pick<
    ChangeRequest,
    'id' | 'tenantId' | 'moduleId' | 'risk' | 'planHash'
  >;
  decision: Pick<Decision, 'approver' | 'signed'>;
  publicKey?: string;
};

/**
 * One stored approval checked: its signature with the key it names, and that the signed payload
 * is about the change request as stored (tenant, module, risk, plan hash, approver).
 */
export function checkDecision(check: ApprovalCheck): VerificationResult {
  const { request, decision, publicKey } = check;
  const signed = decision.signed!;
  const checks = [verifyApproval(signed, publicKey)];
  const p = signed.payload;
  const mismatches = [
    p.changeRequestId !== request.id && 'change request',
    p.tenant !== request.tenantId && 'tenant',
    p.module !== request.moduleId && 'module',
    p.risk !== request.risk && 'risk',
    p.planHash !== request.planHash && 'plan hash',
    p.approver !== decision.approver && 'approver',
  ].filter(Boolean);
  checks.push({
    check: 'payload is about this change request',
    ok: mismatches.length === 0,
    ...(mismatches.length
      ? { detail: `differs in ${mismatches.join(', ')}` }
      : {}),
  });
  return { valid: checks.every(c => c.ok), checks };
}

/** Whether the approval holds (see `checkDecision`). */
export function checkApproval(check: ApprovalCheck): boolean {
  return checkDecision(check).valid;
}

/**
 * The key of a check's outcome: a hash of everything checked (request fields, approver, payload,
 * signature, key). Altering any of them in the database gives another key, so a remembered
 * outcome never hides tampering.
 */
export function approvalCheckKey(check: ApprovalCheck): string {
  const { request: r, decision: d } = check;
  return sha256Hex(
    canonicalJson([
      r.id,
      r.tenantId,
      r.moduleId,
      r.risk,
      r.planHash,
      d.approver,
      d.signed ?? null,
      check.publicKey ?? null,
    ]),
  );
}
