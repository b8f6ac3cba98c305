import { InputError } from '@backstage/errors';
import { Worker } from 'node:worker_threads';
import { workerSource } from './workerSource';
import { PlanFormatError } from '@infra-hub/plugin-infra-change-common';
import { AnalysedPlan, analyzePlanText } from './planAnalysis';

type Pending = {
  resolve(value: AnalysedPlan): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
};

/**
 * Analyses uploaded plans in a worker thread, so that a large or hostile plan never holds the
 * event loop: every other request keeps being answered meanwhile. One worker, started on first
 * use and restarted after a crash or a plan that takes longer than `timeoutMs` (that plan is
 * refused with 400). The analysis itself is linear in the plan's size.
 */
export class PlanAnalyzer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly source = workerSource('plan-worker');

  constructor(
    private readonly options: {
      timeoutMs: number;
      /** Told once when plans are analysed on the event loop for want of a worker program. */
      onNoWorker?: () => void;
    },
  ) {}

  analyze(text: string): Promise<AnalysedPlan> {
    if (!this.source) {
      // Still linear in the plan's size, only not off the event loop.
      this.options.onNoWorker?.();
      try {
        return Promise.resolve(analyzePlanText(text));
      } catch (e) {
        return Promise.reject(
          e instanceof PlanFormatError ? new InputError(e.message) : e,
        );
      }
    }
    const worker = this.start(this.source);
    const id = this.nextId++;
    return new Promise<AnalysedPlan>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new InputError(
            `The plan could not be analysed within ${Math.round(
              this.options.timeoutMs / 1000,
            )} s`,
          ),
        );
        this.stop();
      }, this.options.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, text });
    });
  }

  /** Ends the worker; plans still being analysed are refused. */
  stop() {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The plan analyser stopped'));
    worker?.terminate().catch(() => {});
  }

  private failAll(error: Error) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }

  private start(source: string): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', (message: any) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.error) {
        p.reject(
          message.error.name === PlanFormatError.name
            ? new InputError(message.error.message)
            : new Error(`Plan analysis failed: ${message.error.message}`),
        );
      } else p.resolve(message.result);
    });
    worker.on('error', error => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(`The plan analyser failed: ${error.message}`));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error('The plan analyser exited'));
    });
    this.worker = worker;
    return worker;
  }
}
