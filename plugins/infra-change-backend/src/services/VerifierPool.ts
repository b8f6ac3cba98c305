import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerSource } from './workerSource';
import { ApprovalCheck, checkApproval } from './approvalCheck';

/** Approvals per message: enough to amortise the copy, small enough to spread over workers. */
const CHUNK = 250;

/**
 * ML-DSA-65 verification of many approvals on a pool of worker threads sized to the machine's
 * cores, so that a first report over thousands of approvals uses them all and the event loop
 * keeps answering. Workers start on first use and stop when idle for `idleMs`.
 */
export class VerifierPool {
  private workers: Worker[] = [];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: boolean[]): void; reject(e: Error): void }
  >();
  private idleTimer?: NodeJS.Timeout;
  private readonly source = workerSource('verify-worker');
  readonly size: number;

  constructor(
    private readonly options: { size?: number; idleMs?: number } = {},
  ) {
    this.size = Math.max(1, options.size ?? os.availableParallelism());
  }

  /** Whether each check holds, in order. */
  async verifyAll(checks: ApprovalCheck[]): Promise<boolean[]> {
    if (!checks.length) return [];
    if (!this.source) return checks.map(c => checkApproval(c));
    const workers = this.start(this.source);
    const chunks: Array<Promise<boolean[]>> = [];
    for (let i = 0, n = 0; i < checks.length; i += CHUNK, n++) {
      const id = this.nextId++;
      const items = checks.slice(i, i + CHUNK);
      chunks.push(
        new Promise<boolean[]>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          workers[n % workers.length].postMessage({ id, items });
        }),
      );
    }
    try {
      return (await Promise.all(chunks)).flat();
    } finally {
      this.scheduleIdle();
    }
  }

  stop() {
    clearTimeout(this.idleTimer);
    const workers = this.workers;
    this.workers = [];
    for (const [id, p] of this.pending) {
      p.reject(new Error('The signature verifiers stopped'));
      this.pending.delete(id);
    }
    for (const w of workers) w.terminate().catch(() => {});
  }

  private scheduleIdle() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.pending.size) this.stop();
    }, this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }

  private start(source: string): Worker[] {
    clearTimeout(this.idleTimer);
    if (this.workers.length) return this.workers;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(source, { eval: true });
      worker.unref();
      worker.on('message', (message: { id: number; results: boolean[] }) => {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        p.resolve(message.results);
      });
      worker.on('error', error => this.fail(error));
      worker.on('exit', code => {
        if (code !== 0) this.fail(new Error(`A verifier exited with ${code}`));
      });
      this.workers.push(worker);
    }
    return this.workers;
  }

  private fail(error: Error) {
    this.stop();
    for (const [id, p] of this.pending) {
      p.reject(error);
      this.pending.delete(id);
    }
  }
}
