import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  DiscoveryJob,
  DiscoverySource,
  DiscoverySourcePatch,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { GraphStore } from './GraphStore';
import { DISCOVERY_MIGRATIONS } from './migrations';
import { Knex } from 'knex';
import crypto from 'node:crypto';

const SOURCES = 'infra_discovery_sources';
const JOBS = 'infra_discovery_jobs';

export type Source = DiscoverySource;
export type Job = DiscoveryJob;

export type JobProgress = NonNullable<Job['progress']>;

const truncate = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function toSource(r: any): Source {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    ...(r.workspace_id ? { workspaceId: r.workspace_id } : {}),
    name: r.name,
    provider: r.provider,
    settings: JSON.parse(r.settings),
    ...(r.credential_id ? { credentialId: r.credential_id } : {}),
    ...(r.schedule ? { schedule: r.schedule } : {}),
    enabled: Boolean(r.enabled),
    origin: r.origin === 'config' ? 'config' : 'api',
    createdBy: r.created_by,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

function toJob(r: any): Job {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    sourceId: r.source_id,
    trigger: r.trigger,
    status: r.status,
    requestedBy: r.requested_by,
    startedAt: toIso(r.started_at),
    ...(r.finished_at ? { finishedAt: toIso(r.finished_at) } : {}),
    ...(r.assets !== null && r.assets !== undefined
      ? {
          counts: {
            assets: r.assets,
            edges: r.edges,
            added: r.added,
            gone: r.gone,
          },
        }
      : {}),
    warnings: JSON.parse(r.warnings),
    ...(r.error ? { error: r.error } : {}),
    ...(r.status === 'running' &&
    r.progress_assets !== null &&
    r.progress_assets !== undefined
      ? {
          progress: {
            ...(r.progress_message ? { message: r.progress_message } : {}),
            ...(r.progress_done !== null ? { done: r.progress_done } : {}),
            ...(r.progress_total !== null ? { total: r.progress_total } : {}),
            assets: r.progress_assets,
            edges: r.progress_edges ?? 0,
          },
        }
      : {}),
  };
}

/** Discovery sources and their jobs, per tenant. */
export class SourceStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions & { abandonAfterMs?: number }) {
    return new SourceStore(
      await migratedClient({ ...options, ...DISCOVERY_MIGRATIONS }),
      options.abandonAfterMs,
    );
  }

  constructor(
    private readonly knex: Knex,
    /** After how long a running job counts as abandoned (longer than any run may take). */
    private readonly abandonAfterMs = 20 * 60_000,
  ) {}

  async createSource(
    tenantId: string,
    input: Omit<
      Source,
      | 'tenantId'
      | 'createdBy'
      | 'createdAt'
      | 'updatedAt'
      | 'enabled'
      | 'origin'
    > & { enabled?: boolean },
    actor: string,
    origin: Source['origin'] = 'api',
  ): Promise<Source> {
    const scope = TenantScope.of(this.knex, tenantId);
    if (await scope.table(SOURCES).where({ id: input.id }).first()) {
      throw new ConflictError(
        `Tenant '${tenantId}' already has a discovery source '${input.id}'`,
      );
    }
    const now = new Date();
    await scope.insert(SOURCES, {
      id: input.id,
      workspace_id: input.workspaceId ?? null,
      name: input.name,
      provider: input.provider,
      settings: JSON.stringify(input.settings),
      credential_id: input.credentialId ?? null,
      schedule: input.schedule ?? null,
      enabled: input.enabled ?? true,
      origin,
      created_by: actor,
      created_at: now,
      updated_at: now,
    });
    return this.getSource(tenantId, input.id);
  }

  /** Creates a source defined in app-config, or brings the stored one in line with it. */
  async upsertSource(
    tenantId: string,
    input: Omit<
      Source,
      | 'tenantId'
      | 'createdBy'
      | 'createdAt'
      | 'updatedAt'
      | 'enabled'
      | 'origin'
    >,
    actor: string,
  ): Promise<Source> {
    const scope = TenantScope.of(this.knex, tenantId);
    if (!(await scope.table(SOURCES).where({ id: input.id }).first())) {
      return this.createSource(tenantId, input, actor, 'config');
    }
    await scope
      .table(SOURCES)
      .where({ id: input.id })
      .update({
        name: input.name,
        provider: input.provider,
        settings: JSON.stringify(input.settings),
        credential_id: input.credentialId ?? null,
        workspace_id: input.workspaceId ?? null,
        schedule: input.schedule ?? null,
        origin: 'config',
        updated_at: new Date(),
      });
    return this.getSource(tenantId, input.id);
  }

  /** Changes the given fields of a source; `null` clears an optional one. */
  async updateSource(
    tenantId: string,
    id: string,
    patch: DiscoverySourcePatch,
  ): Promise<Source> {
    await this.getSource(tenantId, id);
    const row: Record<string, unknown> = { updated_at: new Date() };
    if (patch.name !== undefined) row.name = patch.name;
    if (patch.settings !== undefined)
      row.settings = JSON.stringify(patch.settings);
    if (patch.credentialId !== undefined)
      row.credential_id = patch.credentialId;
    if (patch.workspaceId !== undefined) row.workspace_id = patch.workspaceId;
    if (patch.schedule !== undefined) row.schedule = patch.schedule;
    if (patch.enabled !== undefined) row.enabled = patch.enabled;
    await TenantScope.of(this.knex, tenantId)
      .table(SOURCES)
      .where({ id })
      .update(row);
    return this.getSource(tenantId, id);
  }

  /**
   * Sources created through the API that have an interval schedule and are enabled, in every
   * tenant, each with when its latest job started. Used by the scheduler's sweep only.
   */
  async listScheduledApiSources(): Promise<
    Array<{ source: Source; lastStartedAt?: string }>
  > {
    const rows = await this.knex(SOURCES)
      .whereNotNull('schedule')
      .where('enabled', true)
      .where('origin', 'api');
    // The latest start of every source's jobs, in one grouped query.
    const latest = new Map<string, unknown>();
    const grouped: Array<{
      tenant_id: string;
      source_id: string;
      at: unknown;
    }> = await this.knex(JOBS)
      .select('tenant_id', 'source_id')
      .max({ at: 'started_at' })
      .groupBy('tenant_id', 'source_id');
    for (const r of grouped) {
      latest.set(`${r.tenant_id}/${r.source_id}`, r.at);
    }
    return rows.map((row: any) => {
      const at = latest.get(`${row.tenant_id}/${row.id}`);
      return {
        source: toSource(row),
        ...(at ? { lastStartedAt: toIso(at as string) } : {}),
      };
    });
  }

  async getSource(tenantId: string, id: string): Promise<Source> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(SOURCES)
      .where({ id })
      .first();
    if (!row)
      throw new NotFoundError(
        `No discovery source '${id}' in tenant '${tenantId}'`,
      );
    return toSource(row);
  }

  async listSources(tenantIds: string[]): Promise<Source[]> {
    const rows = await TenantScope.ofMany(this.knex, tenantIds)
      .table(SOURCES)
      .orderBy(['tenant_id', 'id']);
    return rows.map(toSource);
  }

  /**
   * Deletes a source and its jobs; a ConflictError while one of its jobs is running (checked in
   * the same transaction as the delete when called inside `transaction`).
   */
  async deleteSource(tenantId: string, id: string): Promise<void> {
    await this.getSource(tenantId, id);
    await this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const running = await s
        .table(JOBS)
        .where({ source_id: id, status: 'running' })
        .where('started_at', '>=', new Date(Date.now() - this.abandonAfterMs))
        .first('id');
      if (running) {
        throw new ConflictError(
          `Discovery source '${id}' is running; delete it when the job has finished`,
        );
      }
      await s.table(JOBS).where({ source_id: id }).delete();
      await s.table(SOURCES).where({ id }).delete();
    });
  }

  /**
   * Runs `work` in one transaction over this plugin's stores: all of it is written, or nothing.
   */
  transaction<T>(
    work: (stores: { sources: SourceStore; graph: GraphStore }) => Promise<T>,
  ): Promise<T> {
    return this.knex.transaction(trx =>
      work({
        sources: new SourceStore(trx, this.abandonAfterMs),
        graph: new GraphStore(trx),
      }),
    );
  }

  /** Deletes every source and job of a tenant (the tenant was deleted); returns the counts. */
  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const jobs = await s.table(JOBS).delete();
      const sources = await s.table(SOURCES).delete();
      return { sources, jobs };
    });
  }

  /** Starts a job; refused while another job of the same source is running. */
  async startJob(
    tenantId: string,
    sourceId: string,
    trigger: Job['trigger'],
    requestedBy: string,
  ): Promise<Job> {
    await this.getSource(tenantId, sourceId);
    // A job still "running" long after any run could last was left by a backend that stopped
    // during it; close it so that it does not block its source forever.
    await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ source_id: sourceId, status: 'running' })
      .where('started_at', '<', new Date(Date.now() - this.abandonAfterMs))
      .update({
        status: 'failed',
        finished_at: new Date(),
        error: 'Abandoned: the backend stopped while the run was going on',
      });
    const id = crypto.randomUUID();
    try {
      await TenantScope.of(this.knex, tenantId).insert(JOBS, {
        id,
        source_id: sourceId,
        trigger,
        status: 'running',
        requested_by: requestedBy,
        started_at: new Date(),
        warnings: '[]',
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `Discovery source '${sourceId}' is already running`,
        );
      }
      throw e;
    }
    return this.getJob(tenantId, id);
  }

  /** Records a running job's progress; ignored once the job has finished. */
  async reportProgress(
    tenantId: string,
    id: string,
    progress: JobProgress,
  ): Promise<void> {
    await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ id, status: 'running' })
      .update({
        progress_message: progress.message?.slice(0, 1000) ?? null,
        progress_done: progress.done ?? null,
        progress_total: progress.total ?? null,
        progress_assets: progress.assets,
        progress_edges: progress.edges,
      });
  }

  async finishJob(
    tenantId: string,
    id: string,
    outcome:
      | {
          status: 'succeeded';
          counts: NonNullable<Job['counts']>;
          warnings: string[];
        }
      | {
          status: 'failed';
          error: string;
          warnings: string[];
          counts?: Job['counts'];
        },
  ): Promise<Job> {
    const updated = await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ id, status: 'running' })
      .update({
        status: outcome.status,
        finished_at: new Date(),
        assets: outcome.counts?.assets ?? null,
        edges: outcome.counts?.edges ?? null,
        added: outcome.counts?.added ?? null,
        gone: outcome.counts?.gone ?? null,
        warnings: JSON.stringify(outcome.warnings),
        // Errors from deep down (a database driver quoting its statement) can be huge.
        error:
          outcome.status === 'failed' ? truncate(outcome.error, 4000) : null,
      });
    if (!updated) throw new ConflictError(`Job '${id}' is not running`);
    return this.getJob(tenantId, id);
  }

  async getJob(tenantId: string, id: string): Promise<Job> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ id })
      .first();
    if (!row)
      throw new NotFoundError(
        `No discovery job '${id}' in tenant '${tenantId}'`,
      );
    return toJob(row);
  }

  /** Jobs newest first, optionally of one source, with keyset paging on the start time. */
  async listJobs(
    tenantId: string,
    options: { sourceId?: string; limit: number; before?: string },
  ): Promise<{ items: Job[]; nextBefore?: string }> {
    let q = TenantScope.of(this.knex, tenantId).table(JOBS);
    if (options.sourceId) q = q.where({ source_id: options.sourceId });
    if (options.before) {
      const [at, id] = decodeCursor(options.before, ['number', 'string']);
      const t = new Date(at);
      q = q.where(w =>
        w
          .where('started_at', '<', t)
          .orWhere(w2 => w2.where('started_at', t).where('id', '>', id)),
      );
    }
    const rows = await q
      .orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id' }])
      .limit(options.limit + 1);
    const items = rows.slice(0, options.limit).map(toJob);
    return {
      items,
      ...(rows.length > options.limit
        ? {
            nextBefore: encodeCursor(
              Date.parse(items[items.length - 1].startedAt),
              items[items.length - 1].id,
            ),
          }
        : {}),
    };
  }
}
