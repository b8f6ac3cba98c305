import {
  AuditEvent,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { SECURITY_MIGRATIONS } from './migrations';

const EVENTS = 'infra_audit_events';
const CHECKPOINTS = 'infra_audit_checkpoints';
const KEYS = 'infra_audit_keys';

/** The hash the first event of every chain links to. */
export const GENESIS_HASH = '0'.repeat(64);

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

/** An event about to be appended, before the chain gives it its place. */
export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'prevHash' | 'hash'>;

/** A signed checkpoint: the head of one scope's chain at a moment. */
export type StoredCheckpoint = {
  scope: string;
  headSeq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
};

/** The installation's audit-checkpoint key: its public half, and the credential of its secret. */
export type AuditKey = { id: string; publicKey: string; credentialId: string };

const toKey = (r: any): AuditKey => ({
  id: r.id,
  publicKey: r.public_key,
  credentialId: r.credential_id,
});

/**
 * The audit log's tables: the append-only hash chains (`infra_audit_events`, one chain per
 * scope; the database refuses UPDATE and DELETE), their signed checkpoints and the keys that
 * signed them.
 */
export class AuditStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new AuditStore(
      await migratedClient({ ...options, ...SECURITY_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Appends an event to its scope's chain, one writer per chain at a time: `link` is given the
   * hash of the chain's head (GENESIS_HASH for a new chain) and returns the event's own hash.
   */
  async append(
    event: NewAuditEvent,
    link: (prevHash: string) => string,
  ): Promise<AuditEvent> {
    const row = await this.knex.transaction(async trx => {
      if (trx.client.config.client === 'pg') {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
          `infra_audit:${event.scope}`,
        ]);
      }
      const scope = TenantScope.of(trx, event.scope);
      const last = await scope
        .table(EVENTS)
        .orderBy('seq', 'desc')
        .first('hash');
      const prevHash: string = last?.hash ?? GENESIS_HASH;
      await scope.insert(EVENTS, {
        id: event.id,
        occurred_at: new Date(event.occurredAt),
        actor: event.actor,
        action: event.action,
        outcome: event.outcome,
        subject: event.subject ?? null,
        details: JSON.stringify(event.details),
        prev_hash: prevHash,
        hash: link(prevHash),
      });
      return scope.table(EVENTS).where({ id: event.id }).first();
    });
    return toEvent(row);
  }

  /**
   * A scope's events, newest first, filtered, one page (`limit`) and whether more follow. A
   * tenant id that was deleted and created again starts a new history: its readers see the log
   * from the latest creation on (what came before stays, immutable, in the chain).
   */
  async list(
    scopeId: string,
    query: AuditQuery,
  ): Promise<{ events: AuditEvent[]; more: boolean }> {
    const scope = TenantScope.of(this.knex, scopeId);
    let q = scope.table(EVENTS);
    if (scopeId !== SYSTEM_SCOPE) {
      const created = await scope
        .table(EVENTS)
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
    return {
      events: rows.slice(0, query.limit).map(toEvent),
      more: rows.length > query.limit,
    };
  }

  /** Up to `limit` events of a scope's chain after `afterSeq`, oldest first. */
  async chainAfter(
    scopeId: string,
    afterSeq: number,
    limit: number,
  ): Promise<AuditEvent[]> {
    const rows: Row[] = await TenantScope.of(this.knex, scopeId)
      .table(EVENTS)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit);
    return rows.map(toEvent);
  }

  /** The hash of a scope's event at `seq`, if the chain holds one. */
  async hashAt(scopeId: string, seq: number): Promise<string | undefined> {
    const row = await TenantScope.of(this.knex, scopeId)
      .table(EVENTS)
      .where({ seq })
      .first('hash');
    return row?.hash;
  }

  /** The seq of a scope's newest event (0 for an empty chain). */
  async headSeq(scopeId: string): Promise<number> {
    const head = await TenantScope.of(this.knex, scopeId)
      .table(EVENTS)
      .max({ seq: 'seq' })
      .first();
    return Number(head?.seq ?? 0);
  }

  /**
   * The heads of every chain whose head moved since its last checkpoint (across every scope on
   * purpose: one run signs them all).
   */
  async headsMovedSinceCheckpoint(): Promise<
    Array<{ scope: string; seq: number; hash: string }>
  > {
    const heads: Array<{ tenant_id: string; seq: number | string }> =
      await this.knex(EVENTS)
        .select('tenant_id')
        .max({ seq: 'seq' })
        .groupBy('tenant_id');
    const last: Array<{ tenant_id: string; seq: number | string }> =
      await this.knex(CHECKPOINTS)
        .select('tenant_id')
        .max({ seq: 'head_seq' })
        .groupBy('tenant_id');
    const signed = new Map(last.map(r => [r.tenant_id, Number(r.seq)]));
    const moved = [];
    for (const head of heads) {
      const seq = Number(head.seq);
      if ((signed.get(head.tenant_id) ?? -1) >= seq) continue;
      moved.push({
        scope: head.tenant_id,
        seq,
        hash: (await this.hashAt(head.tenant_id, seq))!,
      });
    }
    return moved;
  }

  async insertCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await TenantScope.of(this.knex, checkpoint.scope).insert(CHECKPOINTS, {
      head_seq: checkpoint.headSeq,
      head_hash: checkpoint.headHash,
      signed_at: new Date(checkpoint.signedAt),
      key_id: checkpoint.keyId,
      signature: checkpoint.signature,
    });
  }

  async latestCheckpoint(
    scopeId: string,
  ): Promise<StoredCheckpoint | undefined> {
    const r = await TenantScope.of(this.knex, scopeId)
      .table(CHECKPOINTS)
      .orderBy('id', 'desc')
      .first();
    return (
      r && {
        scope: r.tenant_id,
        headSeq: Number(r.head_seq),
        headHash: r.head_hash,
        signedAt: new Date(r.signed_at).toISOString(),
        keyId: r.key_id,
        signature: r.signature,
      }
    );
  }

  /** The newest audit-checkpoint key. */
  async latestKey(): Promise<AuditKey | undefined> {
    const row = await this.knex(KEYS).orderBy('created_at', 'desc').first();
    return row && toKey(row);
  }

  async key(id: string): Promise<AuditKey | undefined> {
    const row = await this.knex(KEYS).where({ id }).first();
    return row && toKey(row);
  }

  async insertKey(key: AuditKey): Promise<void> {
    await this.knex(KEYS).insert({
      id: key.id,
      public_key: key.publicKey,
      credential_id: key.credentialId,
      created_at: new Date(),
    });
  }
}
