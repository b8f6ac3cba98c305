import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  DiscoveryProviderKind,
  DiscoverySource,
  DiscoverySourceInput,
  DiscoverySourcePatch,
  GraphChange,
} from '@infra-hub/plugin-infra-discovery-common';
import { DiscoveryProviderDefinition } from '@infra-hub/plugin-infra-discovery-node';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { ConfiguredSource } from '../config';
import { GraphStore } from '../database/GraphStore';
import { SourceStore } from '../database/SourceStore';
import { DiscoveryRunner } from './DiscoveryRunner';
import { checkSourceInput, scheduleIntervalMs } from './sourceInput';

/** Who runs what the plugin itself starts (config schedules, the sweep). */
const PLUGIN_ACTOR = 'plugin:infra-discovery';
/** Who is recorded as creating the sources of app-config. */
const CONFIG_ACTOR = 'config:infra.discovery.sources';

/**
 * Discovery sources through their life: created, changed and deleted through the API (checked
 * against the installed providers and the tenant's credentials and workspaces, audited), kept in
 * line with app-config, started when due, and forgotten with their tenant.
 */
export class SourceService {
  constructor(
    private readonly deps: {
      sources: SourceStore;
      graph: GraphStore;
      runner: DiscoveryRunner;
      providers: ReadonlyMap<string, DiscoveryProviderDefinition>;
      spine: InfraSecuritySpine;
      logger: LoggerService;
      /** Tells listeners (the catalog) that a tenant's graph changed. */
      announce: (change: GraphChange) => Promise<void>;
    },
  ) {}

  list(tenantId: string): Promise<DiscoverySource[]> {
    return this.deps.sources.listSources([tenantId]);
  }

  get(tenantId: string, sourceId: string): Promise<DiscoverySource> {
    return this.deps.sources.getSource(tenantId, sourceId);
  }

  /** The installed providers, as a source form offers them. */
  providers(): DiscoveryProviderKind[] {
    return [...this.deps.providers.values()].map(p => ({
      id: p.id,
      title: p.title,
      credentialHint: p.credentialHint,
    }));
  }

  async create(
    tenantId: string,
    input: DiscoverySourceInput,
    actor: string,
  ): Promise<DiscoverySource> {
    const { settings } = await checkSourceInput(this.deps, tenantId, input);
    const created = await this.deps.sources.createSource(
      tenantId,
      {
        id: input.id,
        name: input.name,
        provider: input.provider,
        settings: settings!,
        ...(input.credentialId ? { credentialId: input.credentialId } : {}),
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        ...(input.schedule ? { schedule: input.schedule } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      },
      actor,
    );
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'discovery.source.created',
      subject: created.id,
      details: {
        provider: created.provider,
        credentialId: created.credentialId ?? null,
      },
    });
    return created;
  }

  async update(
    tenantId: string,
    sourceId: string,
    patch: DiscoverySourcePatch,
    actor: string,
  ): Promise<DiscoverySource> {
    const current = await this.apiSource(tenantId, sourceId);
    const { settings } = await checkSourceInput(this.deps, tenantId, {
      ...patch,
      provider: current.provider,
    });
    const updated = await this.deps.sources.updateSource(tenantId, sourceId, {
      ...patch,
      ...(settings ? { settings } : {}),
    });
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'discovery.source.updated',
      subject: sourceId,
      details: { fields: Object.keys(patch).sort() },
    });
    return updated;
  }

  /**
   * Deletes a source that is not running, with its jobs, and marks its assets gone (not
   * deleted, so that readers of the changes feed such as the catalog see them leave; assets
   * other sources report stay), all in one transaction.
   */
  async delete(tenantId: string, sourceId: string, actor: string) {
    await this.apiSource(tenantId, sourceId);
    const gone = await this.deps.sources.transaction(async stores => {
      const result = await stores.graph.replaceSourceGraph(tenantId, sourceId, {
        assets: [],
        edges: [],
      });
      await stores.sources.deleteSource(tenantId, sourceId);
      return result.gone;
    });
    if (gone > 0) {
      await this.deps.announce({
        tenantId,
        sourceId,
        jobId: '',
        changed: 0,
        gone,
      });
    }
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'discovery.source.deleted',
      subject: sourceId,
    });
  }

  /** Starts a run of a source by hand. */
  async run(tenantId: string, sourceId: string, actor: string) {
    const { job } = await this.deps.runner.start(
      tenantId,
      sourceId,
      'manual',
      actor,
    );
    return job;
  }

  /**
   * Brings the stored sources in line with app-config (creating or updating each; never
   * deleting). Returns, for each source with a schedule, the function its scheduled task runs.
   */
  async syncFromConfig(configured: ConfiguredSource[]) {
    const scheduled: Array<{
      source: ConfiguredSource;
      run: () => Promise<void>;
    }> = [];
    for (const source of configured) {
      await this.deps.sources.upsertSource(
        source.tenantId,
        {
          id: source.id,
          name: source.name,
          provider: source.provider,
          settings: source.settings,
          ...(source.credentialId ? { credentialId: source.credentialId } : {}),
          ...(source.workspaceId ? { workspaceId: source.workspaceId } : {}),
          // What the list shows of the schedule; the scheduler has the real definition.
          ...(source.schedule
            ? {
                schedule: JSON.stringify(source.schedule.frequency).slice(
                  0,
                  64,
                ),
              }
            : {}),
        },
        CONFIG_ACTOR,
      );
      if (source.schedule) {
        scheduled.push({
          source,
          run: async () => {
            const { done } = await this.deps.runner.start(
              source.tenantId,
              source.id,
              'schedule',
              PLUGIN_ACTOR,
            );
            await done;
          },
        });
      }
    }
    return scheduled;
  }

  /**
   * Starts every enabled API source whose interval has passed since its latest run; returns how
   * many were started. A source already running, or deleted meanwhile, waits for the next sweep.
   */
  async startDue(now = Date.now()): Promise<number> {
    let started = 0;
    for (const {
      source,
      lastStartedAt,
    } of await this.deps.sources.listScheduledApiSources()) {
      let interval: number;
      try {
        interval = scheduleIntervalMs(source.schedule!);
      } catch {
        continue;
      }
      if (lastStartedAt && Date.parse(lastStartedAt) + interval > now) continue;
      try {
        await this.deps.runner.start(
          source.tenantId,
          source.id,
          'schedule',
          PLUGIN_ACTOR,
        );
        started += 1;
      } catch (error) {
        this.deps.logger.debug('scheduled source not started', {
          tenantId: source.tenantId,
          sourceId: source.id,
          error: String(error),
        });
      }
    }
    return started;
  }

  /** Forgets a deleted tenant's sources, jobs and graph; the catalog is told its assets left. */
  async purgeTenant(tenantId: string) {
    const removed = {
      ...(await this.deps.graph.purgeTenant(tenantId)),
      ...(await this.deps.sources.purgeTenant(tenantId)),
    };
    if (removed.assets > 0)
      await this.deps.announce({
        tenantId,
        sourceId: '',
        jobId: '',
        changed: 0,
        gone: removed.assets,
        purged: true,
      });
    return removed;
  }

  /** Sources from app-config are changed there, not through the API. */
  private async apiSource(tenantId: string, sourceId: string) {
    const source = await this.deps.sources.getSource(tenantId, sourceId);
    if (source.origin === 'config') {
      throw new ConflictError(
        `Discovery source '${sourceId}' is defined in app-config (infra.discovery.sources.${tenantId}.${sourceId}); change it there`,
      );
    }
    return source;
  }
}
