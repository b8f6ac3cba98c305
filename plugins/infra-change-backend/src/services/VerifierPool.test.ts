import {
  ApprovalPayload,
  generateSigningKey,
  signPayload,
  SIGNATURE_ALGORITHM,
  toBase64,
} from '@infra-hub/plugin-infra-change-common';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ApprovalCheck, checkApproval } from './approvalCheck';
import { VerifierPool } from './VerifierPool';

const key = generateSigningKey(crypto.randomBytes(32));
const pool = new VerifierPool({ size: 2 });
afterAll(() => pool.stop());

function check(i: number, tamper?: 'signature' | 'risk'): ApprovalCheck {
  const request = {
    id: `cr-${i}`,
    tenantId: 'cartwheel',
    moduleId: 'storefront-prod',
    risk: 'high' as const,
    planHash: 'ab'.repeat(32),
  };
  const payload: ApprovalPayload = {
    type: 'infra-hub.cab-approval/1',
    changeRequestId: request.id,
    tenant: request.tenantId,
    module: request.moduleId,
    risk: request.risk,
    planHash: request.planHash,
    approver: 'user:default/tomas.novak',
    approvedAt: '2026-12-02T10:00:00.000Z',
  };
  let signature = signPayload(payload, key.secretKey);
  if (tamper === 'signature') {
    signature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
  }
  return {
    request: tamper === 'risk' ? { ...request, risk: 'low' } : request,
    decision: {
      approver: payload.approver,
      signed: {
        payload,
        algorithm: SIGNATURE_ALGORITHM,
        keyId: key.keyId,
        signature,
      },
    },
    publicKey: toBase64(key.publicKey),
  };
}

describe('VerifierPool', () => {
  it('verifies approvals on worker threads, in order, as the event loop would', async () => {
    const checks = Array.from({ length: 600 }, (_, i) =>
      check(i, ([undefined, 'signature', 'risk'] as const)[i % 3]),
    );
    const results = await pool.verifyAll(checks);
    expect(results).toHaveLength(600);
    expect(results).toEqual(checks.map(c => checkApproval(c)));
    expect(results.filter(Boolean)).toHaveLength(200);
    expect(results.slice(0, 3)).toEqual([true, false, false]);
    expect(await pool.verifyAll([])).toEqual([]);
  });

  it('sizes itself to the machine’s cores by default', () => {
    const sized = new VerifierPool();
    expect(sized.size).toBeGreaterThanOrEqual(1);
    sized.stop();
  });
});
