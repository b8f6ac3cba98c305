import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Evaluation,
  Finding,
  FindingEvent,
  FindingStatus,
  SEVERITIES,
  Severity,
  Suppression,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  decodeCursor,
  encodeCursor,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';

const EVALUATIONS = 'infra_compliance_evaluations';
const FINDINGS = 'infra_compliance_findings';
const EVENTS = 'infra_compliance_finding_events';
const POSTURE = 'infra_compliance_posture';

/** Where the compliance plugin's migrations live and are recorded. */
export const COMPLIANCE_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-compliance-backend',
  tableName: 'infra_compliance_migrations',
};

/** Rows per statement, under SQLite's bound-variable limit. */
export const CHUNK = 400;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/** A rule failing on an asset, as an evaluation reports it. */
export type FailingResult = {
  id: string;
  ruleId: string;
  title: string;
  severity: Severity;
  resourceId: string;
  resourceType: string;
  resourceName: string;
  system?: string;
  owner?: string;
  controls: Record<string, string[]>;
  message?: string;
  remediation: string;
};

/** Result counts of one framework, control, system and owner. */
export type PostureRow = {
  framework: string;
  control: string;
  system: string;
  owner: string;
  pass: number;
  fail: number;
  unknown: number;
  error: number;
};

export type FindingFilter = {
  status?: FindingStatus;
  severity?: Severity;
  /** Findings of these rules only (a control's rules); an empty list matches none. */
  ruleIds?: string[];
  resourceId?: string;
  system?: string;
  owner?: string;
};

function toFinding(r: any): Finding {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    ruleId: r.rule_id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    resourceId: r.resource_id,
    resourceType: r.resource_type,
    resourceName: r.resource_name,
    ...(r.system ? { system: r.system } : {}),
    ...(r.owner ? { owner: r.owner } : {}),
    controls: JSON.parse(r.controls),
    ...(r.message ? { message: r.message } : {}),
    remediation: r.remediation,
    firstSeenAt: toIso(r.first_seen_at),
    lastSeenAt: toIso(r.last_seen_at),
    ...(r.resolved_at ? { resolvedAt: toIso(r.resolved_at) } : {}),
    ...(r.suppression_reason
      ? {
          suppression: {
            reason: r.suppression_reason,
            expiresAt: toIso(r.suppression_expires_at),
            approver: r.suppression_approver,
            at: toIso(r.suppressed_at),
          },
        }
      : {}),
    evaluationId: r.evaluation_id,
  };
}

function toEvaluation(r: any): Evaluation {
  const summary = r.summary ? JSON.parse(r.summary) : undefined;
  return {
    tenantId: r.tenant_id,
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    actor: r.actor,
    startedAt: toIso(r.started_at),
    ...(r.finished_at ? { finishedAt: toIso(r.finished_at) } : {}),
    ruleSetVersion: r.rule_set_version,
    ...(r.assets !== null && r.assets !== undefined
      ? { assets: Number(r.assets) }
      : {}),
    ...(summary
      ? { counts: summary.counts, frameworks: summary.frameworks }
      : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

const NO_SUPPRESSION = {
  suppression_reason: null,
  suppression_expires_at: null,
  suppression_approver: null,
  suppressed_at: null,
};

/** Findings, their history, evaluations and posture, each row scoped to its tenant. */
export class ComplianceStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new ComplianceStore(
      await migratedClient({ ...options, ...COMPLIANCE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const events = await s.table(EVENTS).delete();
      const findings = await s.table(FINDINGS).delete();
      const posture = await s.table(POSTURE).delete();
      const evaluations = await s.table(EVALUATIONS).delete();
      return { findings, events, posture, evaluations };
    });
  }

  /**
   * The tenants that have been evaluated, for the scheduled re-evaluation: the one query across
   * tenants, on purpose, of ids only.
   */
  async evaluatedTenants(): Promise<string[]> {
    const rows = await this.knex(EVALUATIONS).distinct('tenant_id');
    return rows.map((r: { tenant_id: string }) => r.tenant_id).sort();
  }

  async startEvaluation(
    e: Pick<
      Evaluation,
      'tenantId' | 'id' | 'trigger' | 'actor' | 'ruleSetVersion'
    > & { startedAt: Date },
  ) {
    await TenantScope.of(this.knex, e.tenantId).insert(EVALUATIONS, {
      id: e.id,
      status: 'running',
      trigger: e.trigger,
      actor: e.actor,
      rule_set_version: e.ruleSetVersion,
      started_at: e.startedAt,
    });
  }

  /** Marks a running evaluation failed, with the reason. */
  async failEvaluation(tenantId: string, id: string, error: string) {
    await TenantScope.of(this.knex, tenantId)
      .table(EVALUATIONS)
      .where({ id, status: 'running' })
      .update({ status: 'failed', error, finished_at: new Date() });
  }

  /**
   * Marks evaluations that were running when the backend stopped as failed: nothing will finish
   * them. Across tenants, on purpose, at start.
   */
  async failInterrupted(reason: string) {
    return this.knex(EVALUATIONS)
      .where({ status: 'running' })
      .update({ status: 'failed', error: reason, finished_at: new Date() });
  }

  async evaluation(tenantId: string, id: string): Promise<Evaluation> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(EVALUATIONS)
      .where({ id })
      .first();
    if (!row) throw new NotFoundError(`No evaluation '${id}' in this tenant`);
    return toEvaluation(row);
  }

  /** Evaluations, newest first; `succeededOnly` for the trend. */
  async listEvaluations(
    tenantId: string,
    options: { limit: number; succeededOnly?: boolean },
  ): Promise<Evaluation[]> {
    let q = TenantScope.of(this.knex, tenantId).table(EVALUATIONS);
    if (options.succeededOnly) q = q.where({ status: 'succeeded' });
    const rows = await q
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toEvaluation);
  }

  /**
   * Records a finished evaluation in one transaction: failing results open (or re-open) their
   * findings, findings no longer failing are resolved, expired suppressions open again, and the
   * posture rows are replaced.
   */
  async completeEvaluation(input: {
    tenantId: string;
    evaluationId: string;
    at: Date;
    assets: number;
    summary: Pick<Evaluation, 'counts' | 'frameworks'>;
    failing: FailingResult[];
    posture: PostureRow[];
  }): Promise<{ opened: number; reopened: number; resolved: number }> {
    const { tenantId, evaluationId, at } = input;
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      // What an evaluation may change of a finding that still fails: its message, and what the
      // rules say of it (severity, title, controls; packs and tenant frameworks change).
      const existing = new Map<
        string,
        { status: FindingStatus; expires?: Date; content: string }
      >();
      const contentOf = (r: {
        message: string | null;
        severity: string;
        title: string;
        controls: string;
        remediation: string;
      }) =>
        JSON.stringify([
          r.message ?? null,
          r.severity,
          r.title,
          r.controls,
          r.remediation,
        ]);
      for (const r of await s
        .table(FINDINGS)
        .select(
          'id',
          'status',
          'suppression_expires_at',
          'message',
          'severity',
          'title',
          'controls',
          'remediation',
        )) {
        existing.set(r.id, {
          status: r.status,
          expires: r.suppression_expires_at
            ? new Date(r.suppression_expires_at)
            : undefined,
          content: contentOf(r),
        });
      }
      const events: Array<Record<string, unknown>> = [];
      const event = (findingId: string, kind: FindingEvent['kind']) =>
        events.push({
          finding_id: findingId,
          at,
          kind,
          actor: 'evaluation',
          details: JSON.stringify({ evaluationId }),
        });
      let opened = 0;
      let reopened = 0;
      const stillFailing: string[] = [];
      const inserts: Array<Record<string, unknown>> = [];
      for (const f of input.failing) {
        const row = {
          rule_id: f.ruleId,
          title: f.title.slice(0, 300),
          severity: f.severity,
          severity_rank: SEVERITIES.indexOf(f.severity),
          resource_type: f.resourceType,
          resource_name: f.resourceName.slice(0, 512),
          system: f.system ?? null,
          owner: f.owner ?? null,
          controls: JSON.stringify(f.controls),
          message: f.message ?? null,
          remediation: f.remediation,
          last_seen_at: at,
          evaluation_id: evaluationId,
        };
        const before = existing.get(f.id);
        if (!before) {
          inserts.push({
            id: f.id,
            ...row,
            status: 'open',
            resource_id: f.resourceId,
            first_seen_at: at,
          });
          event(f.id, 'opened');
          opened++;
        } else if (before.status === 'resolved') {
          await s
            .table(FINDINGS)
            .where({ id: f.id })
            .update({ ...row, status: 'open', resolved_at: null });
          event(f.id, 'reopened');
          reopened++;
        } else if (
          before.status === 'suppressed' &&
          before.expires &&
          before.expires <= at
        ) {
          await s
            .table(FINDINGS)
            .where({ id: f.id })
            .update({ ...row, status: 'open', ...NO_SUPPRESSION });
          event(f.id, 'expired');
        } else if (before.content !== contentOf(row)) {
          await s.table(FINDINGS).where({ id: f.id }).update(row);
        } else stillFailing.push(f.id);
      }
      for (const batch of chunks(inserts, 50)) await s.insert(FINDINGS, batch);
      for (const batch of chunks(stillFailing))
        await s
          .table(FINDINGS)
          .whereIn('id', batch)
          .update({ last_seen_at: at, evaluation_id: evaluationId });

      const failingIds = new Set(input.failing.map(f => f.id));
      const resolvedIds = [...existing]
        .filter(([id, e]) => e.status !== 'resolved' && !failingIds.has(id))
        .map(([id]) => id);
      for (const batch of chunks(resolvedIds))
        await s
          .table(FINDINGS)
          .whereIn('id', batch)
          .update({
            status: 'resolved',
            resolved_at: at,
            evaluation_id: evaluationId,
            ...NO_SUPPRESSION,
          });
      for (const id of resolvedIds) event(id, 'resolved');
      for (const batch of chunks(events, 100)) await s.insert(EVENTS, batch);

      await s.table(POSTURE).delete();
      for (const batch of chunks(input.posture, 50))
        await s.insert(POSTURE, batch);

      const done = await s
        .table(EVALUATIONS)
        .where({ id: evaluationId, status: 'running' })
        .update({
          status: 'succeeded',
          finished_at: at,
          assets: input.assets,
          summary: JSON.stringify(input.summary),
        });
      if (done !== 1)
        throw new ConflictError(
          `Evaluation '${evaluationId}' is not running any more`,
        );
      return { opened, reopened, resolved: resolvedIds.length };
    });
  }

  /** Suppressions whose expiry has passed open again (recorded as `expired`). */
  async expireSuppressions(tenantId: string, now: Date): Promise<number> {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const ids: string[] = (
        await s
          .table(FINDINGS)
          .where({ status: 'suppressed' })
          .where('suppression_expires_at', '<=', now)
          .select('id')
      ).map((r: { id: string }) => r.id);
      for (const batch of chunks(ids))
        await s
          .table(FINDINGS)
          .whereIn('id', batch)
          .update({ status: 'open', ...NO_SUPPRESSION });
      for (const batch of chunks(ids, 100))
        await s.insert(
          EVENTS,
          batch.map(id => ({
            finding_id: id,
            at: now,
            kind: 'expired',
            actor: 'expiry',
          })),
        );
      return ids.length;
    });
  }

  async listFindings(
    tenantId: string,
    filter: FindingFilter,
    page: { limit: number; after?: string },
  ): Promise<{ items: Finding[]; total: number; nextAfter?: string }> {
    if (filter.ruleIds && filter.ruleIds.length === 0)
      return { items: [], total: 0 };
    const base = () => {
      let q = TenantScope.of(this.knex, tenantId).table(FINDINGS);
      if (filter.status) q = q.where('status', filter.status);
      if (filter.severity) q = q.where('severity', filter.severity);
      if (filter.ruleIds) q = q.whereIn('rule_id', filter.ruleIds);
      if (filter.resourceId) q = q.where('resource_id', filter.resourceId);
      if (filter.system) q = q.where('system', filter.system);
      if (filter.owner) q = q.where('owner', filter.owner);
      return q;
    };
    let q = base();
    if (page.after) {
      const [rank, id] = decodeCursor(
        page.after,
        ['number', 'string'],
        'findings cursor',
      );
      q = q.where(w =>
        w
          .where('severity_rank', '>', rank)
          .orWhere(w2 => w2.where('severity_rank', rank).where('id', '>', id)),
      );
    }
    const rows = await q
      .orderBy([{ column: 'severity_rank' }, { column: 'id' }])
      .limit(page.limit + 1);
    const [{ n }] = await base().count({ n: '*' });
    const items = rows.slice(0, page.limit).map(toFinding);
    const last = rows[page.limit - 1];
    return {
      items,
      total: Number(n),
      ...(rows.length > page.limit
        ? { nextAfter: encodeCursor(Number(last.severity_rank), last.id) }
        : {}),
    };
  }

  /** The findings with these ids (those that exist). */
  async findingsByIds(tenantId: string, ids: string[]): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const batch of chunks([...new Set(ids)]))
      out.push(
        ...(
          await TenantScope.of(this.knex, tenantId)
            .table(FINDINGS)
            .whereIn('id', batch)
        ).map(toFinding),
      );
    return out;
  }

  /** Finding counts by status and severity. */
  async findingCounts(tenantId: string) {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(FINDINGS)
      .select('status', 'severity')
      .count({ n: '*' })
      .groupBy('status', 'severity');
    return rows.map((r: any) => ({
      status: r.status as FindingStatus,
      severity: r.severity as Severity,
      count: Number(r.n),
    }));
  }

  async finding(
    tenantId: string,
    id: string,
  ): Promise<Finding & { history: FindingEvent[] }> {
    const s = TenantScope.of(this.knex, tenantId);
    const row = await s.table(FINDINGS).where({ id }).first();
    if (!row) throw new NotFoundError(`No finding '${id}' in this tenant`);
    const events = await s
      .table(EVENTS)
      .where({ finding_id: id })
      .orderBy('seq');
    return {
      ...toFinding(row),
      history: events.map((e: any) => ({
        at: toIso(e.at),
        kind: e.kind,
        actor: e.actor,
        ...(e.details ? { details: JSON.parse(e.details) } : {}),
      })),
    };
  }

  /** Suppresses an open finding; a resolved one has nothing to accept (409). */
  async suppress(tenantId: string, id: string, suppression: Suppression) {
    await this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const row = await s.table(FINDINGS).where({ id }).first();
      if (!row) throw new NotFoundError(`No finding '${id}' in this tenant`);
      if (row.status === 'resolved')
        throw new ConflictError(
          `Finding '${id}' is resolved: there is no risk to accept`,
        );
      await s
        .table(FINDINGS)
        .where({ id })
        .update({
          status: 'suppressed',
          suppression_reason: suppression.reason,
          suppression_expires_at: new Date(suppression.expiresAt),
          suppression_approver: suppression.approver,
          suppressed_at: new Date(suppression.at),
        });
      await s.insert(EVENTS, {
        finding_id: id,
        at: new Date(suppression.at),
        kind: 'suppressed',
        actor: suppression.approver,
        details: JSON.stringify({
          reason: suppression.reason,
          expiresAt: suppression.expiresAt,
          ...(row.status === 'suppressed'
            ? { replaces: row.suppression_reason }
            : {}),
        }),
      });
    });
  }

  /** Lifts a suppression: the finding is open again until an evaluation passes it. */
  async unsuppress(tenantId: string, id: string, actor: string, at: Date) {
    await this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const row = await s.table(FINDINGS).where({ id }).first();
      if (!row) throw new NotFoundError(`No finding '${id}' in this tenant`);
      if (row.status !== 'suppressed')
        throw new ConflictError(`Finding '${id}' is not suppressed`);
      await s
        .table(FINDINGS)
        .where({ id })
        .update({ status: 'open', ...NO_SUPPRESSION });
      await s.insert(EVENTS, {
        finding_id: id,
        at,
        kind: 'unsuppressed',
        actor,
      });
    });
  }

  /** The latest posture rows, optionally of one framework. */
  async posture(tenantId: string, framework?: string): Promise<PostureRow[]> {
    let q = TenantScope.of(this.knex, tenantId).table(POSTURE);
    if (framework) q = q.where({ framework });
    const rows = await q.select(
      'framework',
      'control',
      'system',
      'owner',
      'pass',
      'fail',
      'unknown',
      'error',
    );
    return rows.map((r: any) => ({
      framework: r.framework,
      control: r.control,
      system: r.system,
      owner: r.owner,
      pass: Number(r.pass),
      fail: Number(r.fail),
      unknown: Number(r.unknown),
      error: Number(r.error),
    }));
  }
}
