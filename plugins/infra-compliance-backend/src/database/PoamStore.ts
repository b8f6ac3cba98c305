import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Finding,
  POAM_DUE_DAYS,
  POAM_STATES,
  PoamEvent,
  PoamItem,
  PoamMilestone,
  PoamState,
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
import crypto from 'node:crypto';
import { COMPLIANCE_MIGRATIONS } from './ComplianceStore';

const ITEMS = 'infra_compliance_poam_items';
const EVENTS = 'infra_compliance_poam_events';
const FINDINGS = 'infra_compliance_findings';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The milestones of an item: planned, fixed, verified; each done once the state passes it. */
function milestones(
  createdAt: Date,
  dueAt: Date,
  state: PoamState,
): PoamMilestone[] {
  const span = dueAt.getTime() - createdAt.getTime();
  const at = (share: number) =>
    new Date(createdAt.getTime() + span * share).toISOString();
  const reached = (s: PoamState) =>
    POAM_STATES.indexOf(state) >= POAM_STATES.indexOf(s);
  return [
    {
      title: 'Remediation planned and under way',
      due: at(0.25),
      done: reached('in_progress'),
    },
    {
      title: 'Fix deployed, handed to verification',
      due: at(0.75),
      done: reached('verification'),
    },
    {
      title: 'Verified by an evaluation and closed',
      due: at(1),
      done: reached('closed'),
    },
  ];
}

function toItem(r: any): PoamItem {
  const createdAt = new Date(r.created_at);
  const dueAt = new Date(r.due_at);
  return {
    tenantId: r.tenant_id,
    id: r.id,
    findingId: r.finding_id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    controls: JSON.parse(r.controls),
    resourceId: r.resource_id,
    state: r.state,
    dueAt: dueAt.toISOString(),
    milestones: milestones(createdAt, dueAt, r.state),
    createdAt: createdAt.toISOString(),
    updatedAt: toIso(r.updated_at),
    ...(r.closed_at ? { closedAt: toIso(r.closed_at) } : {}),
    ...(r.finding_status ? { findingStatus: r.finding_status } : {}),
  };
}

const COLUMNS = [
  `${ITEMS}.tenant_id`,
  `${ITEMS}.id`,
  `${ITEMS}.finding_id`,
  `${ITEMS}.title`,
  `${ITEMS}.description`,
  `${ITEMS}.severity`,
  `${ITEMS}.controls`,
  `${ITEMS}.resource_id`,
  `${ITEMS}.state`,
  `${ITEMS}.due_at`,
  `${ITEMS}.created_at`,
  `${ITEMS}.updated_at`,
  `${ITEMS}.closed_at`,
  `${FINDINGS}.status as finding_status`,
];

/** The POA&M of each tenant. */
export class PoamStore {
  static async create(options: StoreOptions) {
    return new PoamStore(
      await migratedClient({ ...options, ...COMPLIANCE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const poamEvents = await s.table(EVENTS).delete();
      const poamItems = await s.table(ITEMS).delete();
      return { poamItems, poamEvents };
    });
  }

  /** Items joined with their finding's status, scoped to the tenant. */
  private select(trx: Knex | Knex.Transaction, tenantId: string) {
    return TenantScope.of(trx, tenantId)
      .table(ITEMS)
      .leftJoin(FINDINGS, join =>
        join
          .on(`${FINDINGS}.tenant_id`, `${ITEMS}.tenant_id`)
          .andOn(`${FINDINGS}.id`, `${ITEMS}.finding_id`),
      )
      .select(COLUMNS);
  }

  /**
   * Drafts an item for every open finding that has none that is still being worked on (a finding
   * that fails again after its item closed gets a new one). Returns how many were drafted.
   */
  async draft(tenantId: string, now: Date): Promise<number> {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const covered = new Set(
        (
          await s
            .table(ITEMS)
            .whereNot({ state: 'closed' })
            .select('finding_id')
        ).map((r: { finding_id: string }) => r.finding_id),
      );
      const open = (
        await s
          .table(FINDINGS)
          .where({ status: 'open' })
          .select(
            'id',
            'rule_id',
            'title',
            'severity',
            'controls',
            'resource_id',
            'resource_name',
            'message',
            'remediation',
          )
      ).filter((f: { id: string }) => !covered.has(f.id));
      const rows = open.map((f: any) => {
        const due = new Date(
          now.getTime() +
            POAM_DUE_DAYS[f.severity as Finding['severity']] * DAY_MS,
        );
        return {
          id: crypto.randomUUID(),
          finding_id: f.id,
          title: `${f.title}: ${f.resource_name}`.slice(0, 600),
          description: [
            `Rule ${f.rule_id} fails on ${f.resource_id}.`,
            f.message ?? '',
            `Remediation: ${f.remediation}`,
          ]
            .filter(Boolean)
            .join(' '),
          severity: f.severity,
          controls: f.controls,
          resource_id: f.resource_id,
          state: 'open',
          due_at: due,
          created_at: now,
          updated_at: now,
        };
      });
      for (let i = 0; i < rows.length; i += 50) {
        const batch = rows.slice(i, i + 50);
        await s.insert(ITEMS, batch);
        await s.insert(
          EVENTS,
          batch.map((r: { id: string }) => ({
            item_id: r.id,
            at: now,
            to_state: 'open',
            actor: 'evaluation',
            comment: 'Drafted from an open finding',
          })),
        );
      }
      return rows.length;
    });
  }

  async list(
    tenantId: string,
    filter: { state?: PoamState; findingIds?: string[] },
    page: { limit: number; after?: string },
  ): Promise<{ items: PoamItem[]; nextAfter?: string }> {
    let q = this.select(this.knex, tenantId);
    if (filter.state) q = q.where(`${ITEMS}.state`, filter.state);
    if (filter.findingIds)
      q = q.whereIn(`${ITEMS}.finding_id`, filter.findingIds);
    if (page.after) {
      const [due, id] = decodeCursor(
        page.after,
        ['number', 'string'],
        'POA&M cursor',
      );
      q = q.where(w =>
        w
          .where(`${ITEMS}.due_at`, '>', new Date(due))
          .orWhere(w2 =>
            w2
              .where(`${ITEMS}.due_at`, new Date(due))
              .where(`${ITEMS}.id`, '>', id),
          ),
      );
    }
    const rows = await q
      .orderBy([{ column: `${ITEMS}.due_at` }, { column: `${ITEMS}.id` }])
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit).map(toItem);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > page.limit
        ? { nextAfter: encodeCursor(new Date(last.dueAt).getTime(), last.id) }
        : {}),
    };
  }

  async get(
    tenantId: string,
    id: string,
  ): Promise<PoamItem & { history: PoamEvent[] }> {
    const row = await this.select(this.knex, tenantId)
      .where(`${ITEMS}.id`, id)
      .first();
    if (!row) throw new NotFoundError(`No POA&M item '${id}' in this tenant`);
    const events = await TenantScope.of(this.knex, tenantId)
      .table(EVENTS)
      .where({ item_id: id })
      .orderBy('seq');
    return {
      ...toItem(row),
      history: events.map((e: any) => ({
        at: toIso(e.at),
        ...(e.from_state ? { from: e.from_state } : {}),
        to: e.to_state,
        actor: e.actor,
        ...(e.comment ? { comment: e.comment } : {}),
      })),
    };
  }

  /**
   * Moves an item from the state it is in (checked again inside the transaction, so two people
   * moving it at once cannot both succeed) to `to`.
   */
  async transition(
    tenantId: string,
    id: string,
    from: PoamState,
    to: PoamState,
    event: { actor: string; comment?: string; at: Date },
  ) {
    await this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const moved = await s
        .table(ITEMS)
        .where({ id, state: from })
        .update({
          state: to,
          updated_at: event.at,
          closed_at: to === 'closed' ? event.at : null,
        });
      if (moved !== 1)
        throw new ConflictError(
          `POA&M item '${id}' is no longer ${from}; reload it and try again`,
        );
      await s.insert(EVENTS, {
        item_id: id,
        at: event.at,
        from_state: from,
        to_state: to,
        actor: event.actor,
        comment: event.comment ?? null,
      });
    });
  }
}
