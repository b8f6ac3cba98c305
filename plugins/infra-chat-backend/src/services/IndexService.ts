import { LoggerService } from '@backstage/backend-plugin-api';
import { ChatSourceKind } from '@infra-hub/plugin-infra-chat-common';
import { ChatIndexStore } from '../database/ChatIndexStore';
import { IndexRun, IndexSources } from './IndexSources';
import { Vectors } from './Vectors';

/**
 * Keeps the chat index of each tenant in step with the suite: a whole tenant on start and on a
 * schedule, the kinds an event names soon after it (events of one tenant arriving together are
 * indexed once). Runs of one tenant never overlap.
 */
export class IndexService {
  private readonly running = new Map<string, Promise<void>>();
  private readonly pending = new Map<
    string,
    { kinds: Set<ChatSourceKind>; timer: NodeJS.Timeout }
  >();
  private stopped = false;

  constructor(
    private readonly deps: {
      store: ChatIndexStore;
      sources: IndexSources;
      /** How items get their vectors; absent, they get none (keyword search only). */
      vectors?: Vectors;
      logger: LoggerService;
      /** How long to wait after an event before indexing, in milliseconds. */
      eventDelayMs: number;
    },
  ) {}

  /** Indexes `kinds` (all by default) of every tenant of the installation, one after the other. */
  async indexAll(kinds?: readonly ChatSourceKind[]): Promise<void> {
    const tenants = await this.deps.sources.tenants();
    for (const tenantId of tenants) {
      if (this.stopped) return;
      await this.index(tenantId, kinds);
    }
  }

  /**
   * Indexes the tenant's `kinds` (all by default), after any run of the tenant in progress. A
   * kind whose source fails keeps what was indexed before; the error is logged and recorded.
   */
  index(
    tenantId: string,
    kinds: readonly ChatSourceKind[] = this.deps.sources.kinds,
  ): Promise<void> {
    const previous = this.running.get(tenantId) ?? Promise.resolve();
    const run = previous.then(() => this.run(tenantId, kinds));
    this.running.set(tenantId, run);
    const clear = () => {
      if (this.running.get(tenantId) === run) this.running.delete(tenantId);
    };
    run.then(clear, clear);
    return run;
  }

  /** Indexes `kinds` of the tenant after the event delay, merging events that arrive meanwhile. */
  changed(tenantId: string, kinds: readonly ChatSourceKind[]) {
    if (this.stopped) return;
    const waiting = this.pending.get(tenantId);
    if (waiting) {
      kinds.forEach(k => waiting.kinds.add(k));
      return;
    }
    const entry = {
      kinds: new Set(kinds),
      timer: setTimeout(() => {
        this.pending.delete(tenantId);
        this.index(tenantId, [...entry.kinds]).catch(() => undefined);
      }, this.deps.eventDelayMs),
    };
    this.pending.set(tenantId, entry);
  }

  /** Waits for the runs in progress and cancels the scheduled ones. */
  async stop() {
    this.stopped = true;
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Resolves when the tenant has no run in progress or scheduled (tests, benchmarks). */
  async settled(tenantId: string) {
    while (this.pending.has(tenantId) || this.running.has(tenantId)) {
      await (this.running.get(tenantId) ?? new Promise(r => setTimeout(r, 20)));
    }
  }

  private async run(tenantId: string, kinds: readonly ChatSourceKind[]) {
    const { store, sources, vectors, logger } = this.deps;
    const done = new Set<ChatSourceKind>();
    const shared: IndexRun = {};
    for (const kind of kinds) {
      if (this.stopped || done.has(kind)) continue;
      try {
        const read = await sources.read(tenantId, kind, shared);
        for (const [k, docs] of read) {
          const embed = await vectors?.forIndexing(tenantId, k);
          const outcome = await store.replaceKind(tenantId, k, docs, embed);
          if (embed) await store.embedPending(tenantId, k, embed);
          else if (vectors) await store.clearVectors(tenantId, k);
          await store.recordState(tenantId, k, { documents: docs.length });
          done.add(k);
          if (outcome.added || outcome.changed || outcome.removed) {
            logger.info('chat index updated', {
              tenantId,
              kind: k,
              ...outcome,
            });
          }
        }
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        logger.warn('could not index for the chat', {
          tenantId,
          kind,
          error: message,
        });
        const { documents } = await store.status(tenantId);
        await store
          .recordState(tenantId, kind, {
            documents: documents[kind] ?? 0,
            error: message.slice(0, 500),
          })
          .catch(() => undefined);
      }
    }
  }
}
