import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AuditEvent,
  AuditRecord,
  canonicalJson,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import crypto from 'node:crypto';
import {
  AuditQuery,
  AuditStore,
  GENESIS_HASH,
  NewAuditEvent,
} from '../database/AuditStore';

export { GENESIS_HASH };
export type { AuditQuery, AuditRecord };

export type ChainVerification = {
  scope: string;
  valid: boolean;
  checked: number;
  /** The first event whose hash or link does not hold. */
  brokenAt?: { seq: number; reason: string };
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

/** Events anyone can cause at will: repeats are counted, not written one by one. */
const NOISY_ACTIONS = new Set(['permission.denied', 'user.sign-in-failed']);

/**
 * The append-only audit log. Each scope (tenant or system) has its own hash chain: an event's
 * hash covers the previous event's hash and the event itself, so a changed, removed or
 * reordered entry breaks every link after it. The database refuses UPDATE and DELETE on the
 * table outright; the chain shows whether anything got past that.
 */
export class AuditLog {
  /** Open windows of noisy events, by what they are about (see recordNoisy). */
  private readonly noisy = new Map<
    string,
    { entry: AuditRecord; repeated: number; timer: NodeJS.Timeout }
  >();

  private readonly logger: LoggerService;
  private readonly auditor?: AuditorService;
  private readonly noise: { windowMs: number; maxOpen: number };
  private readonly tenantExists: (id: string) => Promise<boolean>;

  constructor(
    private readonly store: AuditStore,
    options: {
      logger: LoggerService;
      /** Whether a tenant exists (a counted event about an unknown one goes to the system scope). */
      tenantExists(id: string): Promise<boolean>;
      /** Backstage's auditor: every event is also handed to it, for the installation's log pipeline. */
      auditor?: AuditorService;
      noise?: { windowMs: number; maxOpen: number };
    },
  ) {
    this.logger = options.logger;
    this.auditor = options.auditor;
    this.tenantExists = options.tenantExists;
    this.noise = options.noise ?? { windowMs: 60_000, maxOpen: 100 };
  }

  /**
   * Records an event as it should be: counted (see recordNoisy) when it is one anyone can cause
   * at will (a permission denial, a refused sign-in), written otherwise. A counted event about a
   * tenant that does not exist goes to the system scope: no chain is started for a made-up id.
   * Returns the event when one was written now.
   */
  async recordEvent(entry: AuditRecord): Promise<AuditEvent | undefined> {
    if (!NOISY_ACTIONS.has(entry.action)) return this.record(entry);
    if (entry.scope !== SYSTEM_SCOPE) {
      if (!(await this.tenantExists(entry.scope)))
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
    const event: NewAuditEvent = {
      id: crypto.randomUUID(),
      scope: entry.scope,
      occurredAt: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      subject: entry.subject,
      details: entry.details ?? {},
    };
    const stored = await this.store.append(event, prevHash =>
      eventHash(prevHash, event),
    );
    await this.forward(stored);
    this.logger.info('audit event recorded', {
      scope: event.scope,
      action: event.action,
      outcome: event.outcome,
      actor: event.actor,
    });
    return stored;
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
    const { events, more } = await this.store.list(scopeId, query);
    return {
      events,
      nextBefore: more ? events[events.length - 1].seq : undefined,
    };
  }

  async verify(scopeId: string): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let after = 0;
    for (;;) {
      const events = await this.store.chainAfter(scopeId, after, 1000);
      if (events.length === 0) break;
      for (const event of events) {
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
