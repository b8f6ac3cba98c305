/*
 * A worker thread of VerifierPool: checks approvals' ML-DSA-65 signatures and payloads off the
 * event loop. Each message is { id, items }; each answer { id, results }.
 */
import { parentPort } from 'node:worker_threads';
import { ApprovalCheck, checkApproval } from './approvalCheck';

parentPort!.on(
  'message',
  ({ id, items }: { id: number; items: ApprovalCheck[] }) => {
    parentPort!.postMessage({
      id,
      results: items.map(item => {
        try {
          return checkApproval(item);
        } catch {
          return false;
        }
      }),
    });
  },
);
