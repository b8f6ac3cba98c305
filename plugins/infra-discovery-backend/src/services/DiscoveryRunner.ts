import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Asset,
  Edge,
  GraphChange,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  credentialsFromVaultValue,
  EgressPolicy,
  lastStderrLines,
  DiscoveryProviderDefinition,
  ProviderMessage,
  runProvider,
  RunLimits,
} from '@infra-hub/plugin-infra-discovery-node';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { GraphStore } from '../database/GraphStore';
import { Job, JobProgress, SourceStore } from '../database/SourceStore';

/** Tells interested browsers that a job changed; carries ids only (they fetch the rest). */
export type JobNotifier = (
  tenantId: string,
  job: Pick<Job, 'id' | 'sourceId' | 'status'>,
) => Promise<void>;

/** How often a running job's progress is written and signalled, at most. */
const PROGRESS_INTERVAL_MS = 1000;

/**
 * Runs a discovery source: starts a job, runs its provider in its own process, and on success
 * replaces the source's view of the graph in one transaction; on failure the previous graph stays
 * as it was and the job records why.
 */
export class DiscoveryRunner {
  constructor(
    private readonly deps: {
      sources: SourceStore;
      graph: GraphStore;
      logger: LoggerService;
      providers: ReadonlyMap<string, DiscoveryProviderDefinition>;
      spine: InfraSecuritySpine;
      notify?: JobNotifier;
      /** Where providers may connect for sources created through the API. */
      egress: EgressPolicy;
      /** Called after a run changed the graph (e.g. to tell the catalog). */
      onGraphChanged?: (change: GraphChange) => Promise<void>;
      limits?: Partial<RunLimits>;
    },
  ) {}

  /** Starts a run and returns its job at once; the run goes on in the background. */
  async start(
    tenantId: string,
    sourceId: string,
    trigger: Job['trigger'],
    actor: string,
  ) {
    const job = await this.deps.sources.startJob(
      tenantId,
      sourceId,
      trigger,
      actor,
    );
    await this.notify(tenantId, job);
    const done = this.execute(tenantId, sourceId, job.id, actor).then(
      async finished => {
        if (finished) await this.notify(tenantId, finished);
        return finished;
      },
    );
    return { job, done };
  }

  private async notify(
    tenantId: string,
    job: Pick<Job, 'id' | 'sourceId' | 'status'>,
  ) {
    try {
      await this.deps.notify?.(tenantId, job);
    } catch (error) {
      this.deps.logger.warn('could not signal a job change', {
        error: String(error),
      });
    }
  }

  private async execute(
    tenantId: string,
    sourceId: string,
    jobId: string,
    actor: string,
  ): Promise<Job | undefined> {
    const { sources, graph, logger, providers, spine } = this.deps;
    const log = logger.child({ tenantId, sourceId, jobId });
    try {
      const source = await sources.getSource(tenantId, sourceId);
      const provider = providers.get(source.provider);
      if (!provider) {
        throw new Error(
          `Provider '${source.provider}' is not installed in this backend`,
        );
      }
      const assets: Asset[] = [];
      const edges: Edge[] = [];
      // What the provider last said; the counts are those of what has arrived.
      const said: Pick<JobProgress, 'message' | 'done' | 'total'> = {};
      let lastReport = 0;
      let reporting: Promise<void> = Promise.resolve();
      const report = (force: boolean) => {
        const now = Date.now();
        if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        const snapshot: JobProgress = {
          ...said,
          assets: assets.length,
          edges: edges.length,
        };
        reporting = reporting
          .then(async () => {
            await sources.reportProgress(tenantId, jobId, snapshot);
            await this.notify(tenantId, {
              id: jobId,
              sourceId,
              status: 'running',
            });
          })
          .catch(error =>
            log.warn('could not record progress', { error: String(error) }),
          );
      };
      const onMessage = (m: ProviderMessage) => {
        if (m.type === 'asset') assets.push(m.asset);
        else if (m.type === 'edge') edges.push(m.edge);
        else if (m.type === 'progress') {
          said.message = m.message;
          said.done = m.done;
          said.total = m.total;
          report(true);
          return;
        }
        report(false);
      };
      const fingerprintSalt = await spine.fingerprintSalt(tenantId);
      const run = (credentials: Record<string, string> | null) =>
        runProvider({
          provider: provider.command(),
          settings: source.settings,
          credentials,
          fingerprintSalt,
          // A tenant chose where an API-created source points: keep it to the egress policy.
          ...(source.origin === 'api' ? { egress: this.deps.egress } : {}),
          onMessage,
          ...(this.deps.limits ? { limits: this.deps.limits } : {}),
        });
      const outcome = source.credentialId
        ? await spine.useCredential(
            {
              tenantId,
              credentialId: source.credentialId,
              actor,
              purpose: `discovery source '${sourceId}', job ${jobId}`,
            },
            async value => run(credentialsFromVaultValue(value)),
          )
        : await run(null);
      await reporting;
      if (outcome.status === 'failed') {
        // What the provider said last on stderr (masked, secrets left out) says why.
        const stderr = lastStderrLines(outcome);
        log.warn('discovery run failed', {
          reason: outcome.reason,
          ...(stderr ? { stderr } : {}),
        });
        return await sources.finishJob(tenantId, jobId, {
          status: 'failed',
          error: `${outcome.reason ?? 'failed'}${
            stderr ? `\nThe provider's last words on stderr:\n${stderr}` : ''
          }`,
          warnings: outcome.warnings,
        });
      }
      const result = await graph.replaceSourceGraph(tenantId, sourceId, {
        assets,
        edges,
      });
      log.info('discovery run succeeded', { ...result });
      if (result.changed > 0 || result.gone > 0) {
        await this.deps
          .onGraphChanged?.({
            tenantId,
            sourceId,
            jobId,
            changed: result.changed,
            gone: result.gone,
          })
          .catch(error =>
            log.warn('could not announce the graph change', {
              error: String(error),
            }),
          );
      }
      return await sources.finishJob(tenantId, jobId, {
        status: 'succeeded',
        counts: {
          assets: assets.length,
          edges: edges.length,
          added: result.added,
          gone: result.gone,
        },
        warnings: outcome.warnings,
      });
    } catch (error) {
      log.error('discovery run failed', {
        error: String(error).slice(0, 2000),
      });
      try {
        return await sources.finishJob(tenantId, jobId, {
          status: 'failed',
          error: (error as Error).message,
          warnings: [],
        });
      } catch (recording) {
        // The job stays "running" until startJob closes it as abandoned.
        log.error('could not record the failed run', {
          error: String(recording),
        });
        return undefined;
      }
    }
  }
}
