import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AuditEvent,
  AuditRecord,
  canonicalJson,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import { TenantScope } from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
const TABLE = 'infra_audit_events';

export type { AuditRecord };

export interface AuditQuery {
  action?: string;
  actor?: string;
  outcome?: string;
  from?: string;
  to?: string;
  /** Events with seq below this (paging backwards from the newest). */
  before?: number;
  limit: number;
}

export type ChainVerification = {
  scope: string;
  valid: boolean;
  checked: number;
  /** The first event whose hash or link does not hold. */
  brokenAt?: { seq: number; reason: string };
};

type Row = {
  seq: number | string;
  id: string;
  tenant_id: string;
  occurred_at: Date | string | number;
  actor: string;
  action: string;
  outcome: AuditEvent['outcome'];
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
};

function eventHash(
  prevHash: string,
  e: Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>,
) {
  const body = canonicalJson({
    id: e.id,
    scope: e.scope,
    occurredAt: e.occurredAt,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    subject: e.subject,
    details: e.details,
  });
  return crypto
    .createHash('sha256')
    .update(`${prevHash}\n${body}`)
    .digest('hex');
}

function toEvent(row: Row): AuditEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    scope: row.tenant_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    subject: row.subject ?? undefined,
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The append-only audit log. Each scope (tenant or system) has its own hash chain: an event's
 * hash covers the previous event's hash and the event itself, so a changed, removed or
 * reordered entry breaks every link after it. The database refuses UPDATE and DELETE on the
 * table outright; the chain shows whether anything got past that.
 */
/** Events anyone can cause at will: repeats are counted, not written one by one. */
const NOISY_ACTIONS = new Set(['permission.denied', 'user.sign-in-failed']);

export class AuditLog {
  /** Open windows of noisy events, by what they are about (see recordNoisy). */
  private readonly noisy = new Map<
    string,
    { entry: AuditRecord; repeated: number; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly knex: Knex,
    private readonly logger: LoggerService,
    /** Backstage's auditor: every event is also handed to it, for the installation's log pipeline. */
    private readonly auditor?: AuditorService,
    private readonly noise: { windowMs: number; maxOpen: number } = {
      windowMs: 60_000,
      maxOpen: 100,
    },
  ) {}

  /**
   * Records an event as it should be: counted (see recordNoisy) when it is one anyone can cause
   * at will (a permission denial, a refused sign-in), written otherwise. A counted event about a
   * tenant that does not exist goes to the system scope: no chain is started for a made-up id.
   * Returns the event when one was written now.
   */
  async recordEvent(entry: AuditRecord): Promise<AuditEvent | undefined> {
    if (!NOISY_ACTIONS.has(entry.action)) return this.record(entry);
    if (entry.scope !== SYSTEM_SCOPE) {
      const known = await this.knex('infra_tenants')
        .where({ id: entry.scope })
        .first('id');
      if (!known)
        return this.recordNoisy({
          ...entry,
          scope: SYSTEM_SCOPE,
          details: { ...(entry.details ?? {}), tenant: entry.scope },
        });
    }
    return this.recordNoisy(entry);
  }

  /**
   * Records events anyone can cause at will (permission denials, refused sign-ins) without
   * letting them grow the log without bound: the first of a kind (same scope, actor, action,
   * outcome and details) is recorded at once; repeats within the window are counted and written
   * as one event with `repeated: n` when the window closes. At most `maxOpen` kinds are open at
   * a time; beyond that, repeats of an action are counted together in the system scope.
   * Returns the event when one was written now.
   */
  async recordNoisy(entry: AuditRecord): Promise<AuditEvent | undefined> {
    const key = canonicalJson([
      entry.scope,
      entry.actor,
      entry.action,
      entry.outcome ?? 'success',
      entry.subject ?? null,
      entry.details ?? {},
    ]);
    const open = this.noisy.get(key);
    if (open) {
      open.repeated += 1;
      return undefined;
    }
    if (this.noisy.size >= this.noise.maxOpen) {
      const overflow = `overflow:${entry.action}`;
      const bucket = this.noisy.get(overflow);
      if (bucket) bucket.repeated += 1;
      else
        this.open(overflow, {
          scope: SYSTEM_SCOPE,
          actor: 'many',
          action: entry.action,
          outcome: entry.outcome,
          details: { note: 'more of these than are counted one by one' },
        }).repeated = 1;
      return undefined;
    }
    this.open(key, entry);
    return this.record(entry);
  }

  private open(key: string, entry: AuditRecord) {
    const window = {
      entry,
      repeated: 0,
      timer: setTimeout(() => {
        this.flushNoisy(key).catch(error =>
          this.logger.error('could not record repeated audit events', {
            error: String(error),
          }),
        );
      }, this.noise.windowMs),
    };
    window.timer.unref?.();
    this.noisy.set(key, window);
    return window;
  }

  /** Writes the counts of the open windows (all, or one) and closes them. */
  async flushNoisy(only?: string): Promise<void> {
    const keys = only ? [only] : [...this.noisy.keys()];
    for (const key of keys) {
      const window = this.noisy.get(key);
      if (!window) continue;
      this.noisy.delete(key);
      clearTimeout(window.timer);
      if (window.repeated === 0) continue;
      await this.record({
        ...window.entry,
        details: {
          ...(window.entry.details ?? {}),
          repeated: window.repeated,
          windowSeconds: Math.round(this.noise.windowMs / 1000),
        },
      });
    }
  }

  async record(entry: AuditRecord): Promise<AuditEvent> {
    const event = {
      id: crypto.randomUUID(),
      scope: entry.scope,
      occurredAt: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      subject: entry.subject,
      details: entry.details ?? {},
    };
    const stored = await this.knex.transaction(async trx => {
      if (trx.client.config.client === 'pg') {
        // One writer per chain at a time.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `infra_audit:${event.scope}`,
        ]);
      }
      const scope = TenantScope.of(trx, event.scope);
      const last = await scope
        .table(TABLE)
        .orderBy('seq', 'desc')
        .first('hash');
      const prevHash: string = last?.hash ?? GENESIS_HASH;
      const hash = eventHash(prevHash, event);
      await scope.insert(TABLE, {
        id: event.id,
        occurred_at: new Date(event.occurredAt),
        actor: event.actor,
        action: event.action,
        outcome: event.outcome,
        subject: event.subject ?? null,
        details: JSON.stringify(event.details),
        prev_hash: prevHash,
        hash,
      });
      return scope.table(TABLE).where({ id: event.id }).first();
    });
    await this.forward(toEvent(stored));
    this.logger.info('audit event recorded', {
      scope: event.scope,
      action: event.action,
      outcome: event.outcome,
      actor: event.actor,
    });
    return toEvent(stored);
  }

  private async forward(event: AuditEvent) {
    if (!this.auditor) return;
    const forwarded = await this.auditor.createEvent({
      eventId: event.action.replace(/[^a-z0-9]+/g, '-'),
      severityLevel: event.outcome === 'success' ? 'low' : 'medium',
      meta: {
        scope: event.scope,
        actor: event.actor,
        ...(event.subject ? { subject: event.subject } : {}),
        seq: event.seq,
        hash: event.hash,
      },
    });
    if (event.outcome === 'success') await forwarded.success();
    else
      await forwarded.fail({
        error: new Error(`${event.action}: ${event.outcome}`),
      });
  }

  async list(
    scopeId: string,
    query: AuditQuery,
  ): Promise<{ events: AuditEvent[]; nextBefore?: number }> {
    let q = TenantScope.of(this.knex, scopeId).table(TABLE);
    // A tenant id that was deleted and created again starts a new history: its readers see the
    // log from the latest creation on (what came before stays, immutable, in the chain).
    if (scopeId !== SYSTEM_SCOPE) {
      const created = await TenantScope.of(this.knex, scopeId)
        .table(TABLE)
        .where('action', 'tenant.created')
        .max({ seq: 'seq' })
        .first();
      if (created?.seq) q = q.where('seq', '>=', created.seq);
    }
    if (query.action) q = q.where('action', query.action);
    if (query.actor) q = q.where('actor', query.actor);
    if (query.outcome) q = q.where('outcome', query.outcome);
    if (query.from) q = q.where('occurred_at', '>=', new Date(query.from));
    if (query.to) q = q.where('occurred_at', '<', new Date(query.to));
    if (query.before !== undefined) q = q.where('seq', '<', query.before);
    const rows: Row[] = await q.orderBy('seq', 'desc').limit(query.limit + 1);
    const events = rows.slice(0, query.limit).map(toEvent);
    return {
      events,
      nextBefore:
        rows.length > query.limit ? events[events.length - 1].seq : undefined,
    };
  }

  async verify(scopeId: string): Promise<ChainVerification> {
    const scope = TenantScope.of(this.knex, scopeId);
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let after = 0;
    for (;;) {
      const rows: Row[] = await scope
        .table(TABLE)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(1000);
      if (rows.length === 0) break;
      for (const row of rows) {
        const event = toEvent(row);
        if (event.prevHash !== prevHash) {
          return {
            scope: scopeId,
            valid: false,
            checked,
            brokenAt: {
              seq: event.seq,
              reason: 'link to the previous event does not match',
            },
          };
        }
        if (eventHash(prevHash, event) !== event.hash) {
          return {
            scope: scopeId,
            valid: false,
            checked,
            brokenAt: {
              seq: event.seq,
              reason: 'content does not match its hash',
            },
          };
        }
        prevHash = event.hash;
        checked += 1;
        after = event.seq;
      }
    }
    return { scope: scopeId, valid: true, checked };
  }
}
