import {
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Asset, Edge } from '@infra-hub/plugin-infra-discovery-common';
import {
  ProviderCommand,
  runProvider,
} from '@infra-hub/plugin-infra-discovery-node';
import path from 'node:path';
import { GraphStore } from '../database/GraphStore';
import { Job, SourceStore } from '../database/SourceStore';

/** The program of each provider type. */
function providerCommand(provider: string): ProviderCommand {
  if (provider !== 'terraform')
    throw new Error(`No provider program for '${provider}'`);
  const dir = resolvePackagePath(
    '@infra-hub/plugin-infra-discovery-backend-module-terraform',
  );
  return {
    command: process.execPath,
    args: [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(dir, 'src/provider/main.ts'),
    ],
    cwd: dir,
  };
}

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
    const done = this.execute(tenantId, sourceId, job.id);
    return { job, done };
  }

  private async execute(
    tenantId: string,
    sourceId: string,
    jobId: string,
  ): Promise<Job | undefined> {
    const { sources, graph, logger } = this.deps;
    const log = logger.child({ tenantId, sourceId, jobId });
    try {
      const source = await sources.getSource(tenantId, sourceId);
      const assets: Asset[] = [];
      const edges: Edge[] = [];
      const outcome = await runProvider({
        provider: providerCommand(source.provider),
        settings: source.settings,
        credentials: null,
        onMessage: m => {
          if (m.type === 'asset') assets.push(m.asset);
          if (m.type === 'edge') edges.push(m.edge);
        },
      });
      if (outcome.status === 'failed') {
        log.warn('discovery run failed', { reason: outcome.reason });
        return await sources.finishJob(tenantId, jobId, {
          status: 'failed',
          error: outcome.reason ?? 'failed',
          warnings: outcome.warnings,
        });
      }
      const result = await graph.replaceSourceGraph(tenantId, sourceId, {
        assets,
        edges,
      });
      log.info('discovery run succeeded', { ...result });
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
      log.error('discovery run failed', { error: String(error) });
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
