import {
  PipelineConnection,
  PipelineDayStats,
  PipelineJob,
  PipelineProvider,
  PipelineRun,
  PipelineRunDetail,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';
import {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { JobUpdate, RunUpdate } from '../providers';

export const PIPELINE_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-pipelines-backend',
  tableName: 'infra_pipelines_knex_migrations',
};

const CONNECTIONS = 'infra_pipeline_connections';
const RUNS = 'infra_pipeline_runs';
const RUN_ENTITIES = 'infra_pipeline_run_entities';
const JOBS = 'infra_pipeline_jobs';
const DELIVERIES = 'infra_pipeline_deliveries';

/** A connection as stored (secrets from config are kept by the service, never here). */
export type StoredConnection = Omit<
  PipelineConnection,
  'webhookSecret' | 'token' | 'webhookPath'
> & { pullAfter?: string };

/** Where a run belongs in the tenant. */
export type RunLinks = {
  entityRefs: string[];
  module?: string;
  environment?: string;
};

/** Filters of the runs list. */
export type RunFilter = {
  status?: RunStatus;
  module?: string;
  environment?: string;
  entityRef?: string;
  provider?: PipelineProvider;
  /** Failed runs first, then the newest. */
  failedFirst?: boolean;
  cursor?: string;
  limit: number;
};

const ms = (from?: string, to?: string) =>
  from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null;

function toRun(row: any): PipelineRun {
  return {
    id: row.id,
    provider: row.provider,
    connectionId: row.connection_id,
    repository: row.repository,
    pipeline: row.pipeline,
    ...(row.pipeline_id ? { pipelineId: row.pipeline_id } : {}),
    externalId: row.external_id,
    ...(row.number !== null && row.number !== undefined
      ? { number: Number(row.number) }
      : {}),
    ...(row.attempt ? { attempt: Number(row.attempt) } : {}),
    status: row.status,
    ...(row.branch ? { branch: row.branch } : {}),
    ...(row.commit_sha ? { commitSha: row.commit_sha } : {}),
    ...(row.actor ? { actor: row.actor } : {}),
    ...(row.event ? { event: row.event } : {}),
    ...(row.url ? { url: row.url } : {}),
    entityRefs: JSON.parse(row.entity_refs),
    ...(row.module ? { module: row.module } : {}),
    ...(row.environment ? { environment: row.environment } : {}),
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
    ...(row.duration_ms !== null && row.duration_ms !== undefined
      ? { durationMs: Number(row.duration_ms) }
      : {}),
    updatedAt: toIso(row.updated_at),
    receivedVia: row.received_via,
  };
}

function toJob(row: any): PipelineJob {
  return {
    id: row.external_id,
    name: row.name,
    status: row.status,
    ...(row.started_at ? { startedAt: toIso(row.started_at) } : {}),
    ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
    ...(row.duration_ms !== null && row.duration_ms !== undefined
      ? { durationMs: Number(row.duration_ms) }
      : {}),
    ...(row.url ? { url: row.url } : {}),
    ...(row.log_excerpt ? { logExcerpt: row.log_excerpt } : {}),
    ...(row.log_truncated ? { logTruncated: true } : {}),
  };
}

function toConnection(row: any): StoredConnection {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    baseUrl: row.base_url,
    ...(row.token_credential_id
      ? { tokenCredentialId: row.token_credential_id }
      : {}),
    ...(row.webhook_secret_credential_id
      ? { webhookSecretCredentialId: row.webhook_secret_credential_id }
      : {}),
    origin: row.origin,
    pullMinutes: Number(row.pull_minutes),
    ...(row.last_pulled_at ? { lastPulledAt: toIso(row.last_pulled_at) } : {}),
    ...(row.last_pull_error ? { lastPullError: row.last_pull_error } : {}),
    ...(row.pull_after ? { pullAfter: toIso(row.pull_after) } : {}),
  };
}

/** Each tenant's connections, runs, jobs and webhook deliveries. */
export class PipelineStore {
  static async create(options: StoreOptions): Promise<PipelineStore> {
    return new PipelineStore(
      await migratedClient({ ...options, ...PIPELINE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  // --- connections

  async connections(tenantId: string): Promise<StoredConnection[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(CONNECTIONS)
      .orderBy('id');
    return rows.map(toConnection);
  }

  async connection(
    tenantId: string,
    id: string,
  ): Promise<StoredConnection | undefined> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(CONNECTIONS)
      .where({ id })
      .first();
    return row ? toConnection(row) : undefined;
  }

  /** Every connection due for a pull (the scheduled sweep spans tenants on purpose). */
  async dueForPull(
    now: Date,
  ): Promise<Array<StoredConnection & { tenantId: string }>> {
    const rows = await this.knex(CONNECTIONS)
      .where('pull_minutes', '>', 0)
      .where(q => q.whereNull('pull_after').orWhere('pull_after', '<=', now));
    return rows
      .filter(
        (r: any) =>
          !r.last_pulled_at ||
          Date.parse(toIso(r.last_pulled_at)) + r.pull_minutes * 60_000 <=
            now.getTime(),
      )
      .map((r: any) => ({ ...toConnection(r), tenantId: r.tenant_id }));
  }

  async putConnection(
    tenantId: string,
    connection: Omit<
      StoredConnection,
      'lastPulledAt' | 'lastPullError' | 'pullAfter'
    >,
  ): Promise<{ created: boolean }> {
    const now = new Date();
    const row = {
      provider: connection.provider,
      name: connection.name,
      base_url: connection.baseUrl,
      token_credential_id: connection.tokenCredentialId ?? null,
      webhook_secret_credential_id:
        connection.webhookSecretCredentialId ?? null,
      origin: connection.origin,
      pull_minutes: connection.pullMinutes,
      updated_at: now,
    };
    const scope = TenantScope.of(this.knex, tenantId);
    const updated = await scope
      .table(CONNECTIONS)
      .where({ id: connection.id })
      .update(row);
    if (updated) return { created: false };
    await scope.insert(CONNECTIONS, {
      ...row,
      id: connection.id,
      created_at: now,
    });
    return { created: true };
  }

  async deleteConnection(tenantId: string, id: string): Promise<boolean> {
    return (
      (await TenantScope.of(this.knex, tenantId)
        .table(CONNECTIONS)
        .where({ id })
        .delete()) > 0
    );
  }

  /** Config connections of every tenant not in `keep` (they left the config). */
  async removeConfigConnectionsExcept(
    keep: Array<{ tenantId: string; id: string }>,
  ): Promise<number> {
    // Spans tenants on purpose: config names connections of any tenant.
    const rows = await this.knex(CONNECTIONS)
      .where({ origin: 'config' })
      .select('tenant_id', 'id');
    let removed = 0;
    for (const row of rows) {
      if (!keep.some(k => k.tenantId === row.tenant_id && k.id === row.id)) {
        removed += await this.knex(CONNECTIONS)
          .where({ tenant_id: row.tenant_id, id: row.id })
          .delete();
      }
    }
    return removed;
  }

  async recordPull(
    tenantId: string,
    id: string,
    outcome: { at: Date; error?: string; pullAfter?: Date },
  ) {
    await TenantScope.of(this.knex, tenantId)
      .table(CONNECTIONS)
      .where({ id })
      .update({
        last_pulled_at: outcome.at,
        last_pull_error: outcome.error ?? null,
        pull_after: outcome.pullAfter ?? null,
      });
  }

  // --- deliveries

  /**
   * Records a delivery; false when the connection already received one with this id (a replay).
   */
  async recordDelivery(
    tenantId: string,
    connectionId: string,
    delivery: { id: string; event: string; outcome: string },
  ): Promise<boolean> {
    try {
      await TenantScope.of(this.knex, tenantId).insert(DELIVERIES, {
        connection_id: connectionId,
        delivery_id: delivery.id,
        event: delivery.event.slice(0, 200),
        outcome: delivery.outcome.slice(0, 300),
        received_at: new Date(),
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async setDeliveryOutcome(
    tenantId: string,
    connectionId: string,
    deliveryId: string,
    outcome: string,
  ) {
    await TenantScope.of(this.knex, tenantId)
      .table(DELIVERIES)
      .where({ connection_id: connectionId, delivery_id: deliveryId })
      .update({ outcome: outcome.slice(0, 300) });
  }

  async forgetDelivery(
    tenantId: string,
    connectionId: string,
    deliveryId: string,
  ) {
    await TenantScope.of(this.knex, tenantId)
      .table(DELIVERIES)
      .where({ connection_id: connectionId, delivery_id: deliveryId })
      .delete();
  }

  // --- runs

  /**
   * Stores a run as the provider reported it: created, or updated when the report is not older
   * than what is stored (webhooks arrive out of order). Returns the run and whether it changed.
   */
  async upsertRun(
    tenantId: string,
    connection: { id: string; provider: PipelineProvider },
    run: RunUpdate,
    links: RunLinks,
    via: PipelineRun['receivedVia'],
  ): Promise<{ run: PipelineRun; changed: boolean }> {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      const existing = await scope
        .table(RUNS)
        .where({ connection_id: connection.id, external_id: run.externalId })
        .first();
      const now = new Date();
      const startedAt =
        run.startedAt ?? (existing ? toIso(existing.started_at) : undefined);
      const row = {
        repository: run.repository,
        pipeline: run.pipeline,
        pipeline_id: run.pipelineId ?? existing?.pipeline_id ?? null,
        number: run.number ?? existing?.number ?? null,
        attempt: run.attempt ?? existing?.attempt ?? null,
        status: run.status,
        attention: run.status === 'failed' ? 0 : 1,
        branch: run.branch ?? existing?.branch ?? null,
        commit_sha: run.commitSha ?? existing?.commit_sha ?? null,
        actor: run.actor ?? existing?.actor ?? null,
        event: run.event ?? existing?.event ?? null,
        url: run.url ?? existing?.url ?? null,
        entity_refs: JSON.stringify(links.entityRefs),
        module: links.module ?? null,
        environment: links.environment ?? null,
        started_at: startedAt ? new Date(startedAt) : null,
        finished_at: run.finishedAt ? new Date(run.finishedAt) : null,
        duration_ms: ms(startedAt, run.finishedAt),
        updated_at: new Date(run.updatedAt),
      };
      let id: string;
      if (existing) {
        id = existing.id;
        if (
          Date.parse(toIso(existing.updated_at)) > Date.parse(run.updatedAt)
        ) {
          return { run: toRun(existing), changed: false };
        }
        await scope.table(RUNS).where({ id }).update(row);
      } else {
        id = crypto.randomUUID();
        const queuedAt = new Date(
          run.queuedAt ?? run.startedAt ?? run.updatedAt,
        );
        await scope.insert(RUNS, {
          ...row,
          id,
          connection_id: connection.id,
          provider: connection.provider,
          external_id: run.externalId,
          queued_at: queuedAt,
          received_via: via,
          received_at: now,
        });
        if (links.entityRefs.length) {
          await scope.insert(
            RUN_ENTITIES,
            links.entityRefs.map(ref => ({
              run_id: id,
              entity_ref: ref,
              queued_at: queuedAt,
            })),
          );
        }
      }
      if (run.jobs) await this.writeJobs(scope, id, run.jobs);
      const stored = await scope.table(RUNS).where({ id }).first();
      return { run: toRun(stored), changed: true };
    });
  }

  private async writeJobs(
    scope: TenantScope,
    runId: string,
    jobs: JobUpdate[],
  ) {
    for (const job of jobs) {
      const row = {
        name: job.name,
        status: job.status,
        started_at: job.startedAt ? new Date(job.startedAt) : null,
        finished_at: job.finishedAt ? new Date(job.finishedAt) : null,
        duration_ms: ms(job.startedAt, job.finishedAt),
        url: job.url ?? null,
        log_id: job.logId ?? null,
      };
      const updated = await scope
        .table(JOBS)
        .where({ run_id: runId, external_id: job.externalId })
        .update(row);
      if (!updated) {
        await scope.insert(JOBS, {
          ...row,
          run_id: runId,
          external_id: job.externalId,
          log_truncated: false,
        });
      }
    }
  }

  /** Stores jobs of a stored run. */
  async upsertJobs(tenantId: string, runId: string, jobs: JobUpdate[]) {
    await this.knex.transaction(trx =>
      this.writeJobs(TenantScope.of(trx, tenantId), runId, jobs),
    );
  }

  async setJobLog(
    tenantId: string,
    runId: string,
    jobId: string,
    log: { excerpt: string; truncated: boolean },
  ) {
    await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ run_id: runId, external_id: jobId })
      .update({ log_excerpt: log.excerpt, log_truncated: log.truncated });
  }

  async runByExternalId(
    tenantId: string,
    connectionId: string,
    externalId: string,
  ): Promise<PipelineRun | undefined> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(RUNS)
      .where({ connection_id: connectionId, external_id: externalId })
      .first();
    return row ? toRun(row) : undefined;
  }

  /** Jobs of the run with their log state (for fetching logs of failed ones). */
  async jobsOf(
    tenantId: string,
    runId: string,
  ): Promise<Array<PipelineJob & { logId?: string; hasLog: boolean }>> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(JOBS)
      .where({ run_id: runId })
      .orderBy([
        { column: 'started_at', order: 'asc' },
        { column: 'external_id', order: 'asc' },
      ]);
    return rows.map((r: any) => ({
      ...toJob(r),
      ...(r.log_id ? { logId: r.log_id } : {}),
      hasLog: r.log_excerpt !== null && r.log_excerpt !== undefined,
    }));
  }

  async run(
    tenantId: string,
    id: string,
  ): Promise<PipelineRunDetail | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const scope = TenantScope.of(this.knex, tenantId);
    const row = await scope.table(RUNS).where({ id }).first();
    if (!row) return undefined;
    const jobs = await this.jobsOf(tenantId, id);
    return {
      ...toRun(row),
      jobs: jobs.map(({ logId: _l, hasLog: _h, ...job }) => job),
    };
  }

  /** A page of runs, newest first (failed first when asked), keyset-paged. */
  async listRuns(
    tenantId: string,
    filter: RunFilter,
  ): Promise<{ items: PipelineRun[]; nextCursor?: string }> {
    const scope = TenantScope.of(this.knex, tenantId);
    const query = scope.table(RUNS);
    if (filter.entityRef) {
      query.whereIn(
        `${RUNS}.id`,
        scope
          .table(RUN_ENTITIES)
          .where('entity_ref', filter.entityRef)
          .select('run_id'),
      );
    }
    if (filter.status) query.where(`${RUNS}.status`, filter.status);
    if (filter.module) query.where(`${RUNS}.module`, filter.module);
    if (filter.environment)
      query.where(`${RUNS}.environment`, filter.environment);
    if (filter.provider) query.where(`${RUNS}.provider`, filter.provider);
    if (filter.cursor) {
      if (filter.failedFirst) {
        const [attention, at, id] = decodeCursor(filter.cursor, [
          'number',
          'number',
          'string',
        ] as const);
        query.where(q =>
          q
            .where('attention', '>', attention)
            .orWhere(q2 =>
              q2
                .where('attention', attention)
                .andWhere(q3 =>
                  q3
                    .where('queued_at', '<', new Date(at))
                    .orWhere(q4 =>
                      q4
                        .where('queued_at', new Date(at))
                        .andWhere('id', '<', id),
                    ),
                ),
            ),
        );
      } else {
        const [at, id] = decodeCursor(filter.cursor, [
          'number',
          'string',
        ] as const);
        query.where(q =>
          q
            .where('queued_at', '<', new Date(at))
            .orWhere(q2 =>
              q2.where('queued_at', new Date(at)).andWhere('id', '<', id),
            ),
        );
      }
    }
    const order = [
      ...(filter.failedFirst
        ? [{ column: 'attention', order: 'asc' as const }]
        : []),
      { column: 'queued_at', order: 'desc' as const },
      { column: 'id', order: 'desc' as const },
    ];
    const rows = await query.orderBy(order).limit(filter.limit + 1);
    const items = rows.slice(0, filter.limit).map(toRun);
    const last = rows[filter.limit - 1];
    const more = rows.length > filter.limit;
    return {
      items,
      ...(more
        ? {
            nextCursor: filter.failedFirst
              ? encodeCursor(
                  Number(last.attention),
                  Date.parse(toIso(last.queued_at)),
                  last.id,
                )
              : encodeCursor(Date.parse(toIso(last.queued_at)), last.id),
          }
        : {}),
    };
  }

  /** Runs per day (UTC) over `days`, with failures and duration percentiles. */
  async stats(
    tenantId: string,
    options: { days: number; now: Date; entityRef?: string; module?: string },
  ): Promise<PipelineDayStats[]> {
    const since = new Date(options.now.getTime() - options.days * 86_400_000);
    const scope = TenantScope.of(this.knex, tenantId);
    const query = scope
      .table(RUNS)
      .where('queued_at', '>=', since)
      .select('queued_at', 'status', 'duration_ms');
    if (options.module) query.where('module', options.module);
    if (options.entityRef) {
      query.whereIn(
        'id',
        scope
          .table(RUN_ENTITIES)
          .where('entity_ref', options.entityRef)
          .select('run_id'),
      );
    }
    const rows = await query;
    const byDay = new Map<
      string,
      { runs: number; failed: number; durations: number[] }
    >();
    for (const row of rows) {
      const day = toIso(row.queued_at).slice(0, 10);
      const entry = byDay.get(day) ?? { runs: 0, failed: 0, durations: [] };
      entry.runs++;
      if (row.status === 'failed') entry.failed++;
      if (row.duration_ms !== null && row.duration_ms !== undefined) {
        entry.durations.push(Number(row.duration_ms));
      }
      byDay.set(day, entry);
    }
    const pct = (sorted: number[], p: number) =>
      sorted[
        Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
      ];
    return [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, e]) => {
        const sorted = e.durations.sort((a, b) => a - b);
        return {
          day,
          runs: e.runs,
          failed: e.failed,
          ...(sorted.length
            ? { p50DurationMs: pct(sorted, 50), p95DurationMs: pct(sorted, 95) }
            : {}),
        };
      });
  }

  /** Deletes runs (with their jobs) and deliveries older than `before`, every tenant. */
  async expire(before: Date): Promise<{ runs: number; deliveries: number }> {
    // Retention spans tenants on purpose: one setting for the installation.
    let runs = 0;
    for (;;) {
      const ids: string[] = (
        await this.knex(RUNS)
          .where('queued_at', '<', before)
          .select('id')
          .limit(500)
      ).map((r: any) => r.id);
      if (!ids.length) break;
      const removed: number = await this.knex.transaction(async trx => {
        await trx(JOBS).whereIn('run_id', ids).delete();
        await trx(RUN_ENTITIES).whereIn('run_id', ids).delete();
        return Number(await trx(RUNS).whereIn('id', ids).delete());
      });
      runs += removed;
    }
    const deliveries = await this.knex(DELIVERIES)
      .where('received_at', '<', before)
      .delete();
    return { runs, deliveries };
  }

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      return {
        pipelineJobs: await scope.table(JOBS).delete(),
        pipelineRunEntities: await scope.table(RUN_ENTITIES).delete(),
        pipelineRuns: await scope.table(RUNS).delete(),
        pipelineDeliveries: await scope.table(DELIVERIES).delete(),
        pipelineConnections: await scope.table(CONNECTIONS).delete(),
      };
    });
  }
}
