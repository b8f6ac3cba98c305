import {
  AiPolicy,
  AiPolicyInput,
  AiUsageRecord,
  AiUsageSummary,
} from '@infra-hub/plugin-infra-chat-common';
import {
  decodeCursor,
  encodeCursor,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { CHAT_MIGRATIONS } from './ChatIndexStore';

const USAGE = 'infra_chat_ai_usage';
const POLICIES = 'infra_chat_ai_policies';

function toPolicy(row: any): AiPolicy {
  return {
    team: row.team,
    features: JSON.parse(row.features),
    models: JSON.parse(row.models),
    ...(row.monthly_token_budget !== null &&
    row.monthly_token_budget !== undefined
      ? { monthlyTokenBudget: Number(row.monthly_token_budget) }
      : {}),
    dataClasses: JSON.parse(row.data_classes),
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
  };
}

function toRecord(row: any): AiUsageRecord {
  return {
    id: String(row.id),
    at: toIso(row.at),
    actor: row.actor,
    team: row.team,
    feature: row.feature,
    model: row.model,
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    cost: Number(row.cost),
    latencyMs: Number(row.latency_ms),
    outcome: row.outcome,
    ...(row.detail ? { detail: row.detail } : {}),
  };
}

/** The first instant of the UTC month of `date`, and of the next. */
export function monthRange(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number);
  return {
    from: new Date(Date.UTC(y, m - 1, 1)),
    to: new Date(Date.UTC(y, m, 1)),
  };
}

/** The usage log and the policies of each tenant. */
export class GovernanceStore {
  static async create(options: StoreOptions): Promise<GovernanceStore> {
    return new GovernanceStore(
      await migratedClient({ ...options, ...CHAT_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async record(tenantId: string, record: Omit<AiUsageRecord, 'id'>) {
    await TenantScope.of(this.knex, tenantId).insert(USAGE, {
      at: new Date(record.at),
      actor: record.actor,
      team: record.team,
      feature: record.feature,
      model: record.model,
      tokens_in: record.tokensIn,
      tokens_out: record.tokensOut,
      cost: record.cost,
      latency_ms: record.latencyMs,
      outcome: record.outcome,
      detail: record.detail?.slice(0, 1000) ?? null,
    });
  }

  /** Tokens (in and out) the team used in the month of `at`. */
  async tokensUsed(tenantId: string, team: string, at: Date): Promise<number> {
    const month = `${at.getUTCFullYear()}-${String(
      at.getUTCMonth() + 1,
    ).padStart(2, '0')}`;
    const { from, to } = monthRange(month);
    const row = await TenantScope.of(this.knex, tenantId)
      .table(USAGE)
      .where({ team })
      .where('at', '>=', from)
      .where('at', '<', to)
      .sum({ tokens_in: 'tokens_in', tokens_out: 'tokens_out' })
      .first();
    return Number(row?.tokens_in ?? 0) + Number(row?.tokens_out ?? 0);
  }

  /** The log, newest first, optionally of one month (`YYYY-MM`). */
  async list(
    tenantId: string,
    options: { month?: string; limit: number; after?: string },
  ): Promise<{ items: AiUsageRecord[]; nextAfter?: string }> {
    let query = TenantScope.of(this.knex, tenantId).table(USAGE);
    if (options.month) {
      const { from, to } = monthRange(options.month);
      query = query.where('at', '>=', from).where('at', '<', to);
    }
    if (options.after) {
      const [id] = decodeCursor(options.after, ['number']);
      query = query.where('id', '<', id);
    }
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .select();
    const items = rows.slice(0, options.limit).map(toRecord);
    return {
      items,
      ...(rows.length > options.limit
        ? { nextAfter: encodeCursor(Number(items[items.length - 1].id)) }
        : {}),
    };
  }

  /** Usage per team and month since `from`, newest month first. */
  async summary(tenantId: string, from: Date): Promise<AiUsageSummary[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(USAGE)
      .where('at', '>=', from)
      .select('at', 'team', 'outcome', 'tokens_in', 'tokens_out', 'cost');
    const byKey = new Map<string, AiUsageSummary>();
    for (const row of rows) {
      const at = new Date(toIso(row.at));
      const month = `${at.getUTCFullYear()}-${String(
        at.getUTCMonth() + 1,
      ).padStart(2, '0')}`;
      const key = `${month}\n${row.team}`;
      const s = byKey.get(key) ?? {
        month,
        team: row.team,
        calls: 0,
        refused: 0,
        errors: 0,
        tokensIn: 0,
        tokensOut: 0,
        cost: 0,
      };
      if (row.outcome === 'ok') s.calls++;
      else if (row.outcome === 'refused') s.refused++;
      else s.errors++;
      s.tokensIn += Number(row.tokens_in);
      s.tokensOut += Number(row.tokens_out);
      s.cost += Number(row.cost);
      byKey.set(key, s);
    }
    return [...byKey.values()].sort(
      (a, b) => b.month.localeCompare(a.month) || a.team.localeCompare(b.team),
    );
  }

  async policies(tenantId: string): Promise<AiPolicy[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(POLICIES)
      .orderBy('team')
      .select();
    return rows.map(toPolicy);
  }

  async setPolicy(
    tenantId: string,
    team: string,
    input: AiPolicyInput,
    actor: string,
  ): Promise<AiPolicy> {
    const row = {
      tenant_id: tenantId,
      team,
      features: JSON.stringify(input.features),
      models: JSON.stringify(input.models),
      monthly_token_budget: input.monthlyTokenBudget ?? null,
      data_classes: JSON.stringify(input.dataClasses),
      updated_by: actor,
      updated_at: new Date(),
    };
    await this.knex(POLICIES)
      .insert(row)
      .onConflict(['tenant_id', 'team'])
      .merge();
    return toPolicy(row);
  }

  async deletePolicy(tenantId: string, team: string): Promise<boolean> {
    return (
      (await TenantScope.of(this.knex, tenantId)
        .table(POLICIES)
        .where({ team })
        .delete()) > 0
    );
  }

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      return {
        aiUsage: await scope.table(USAGE).delete(),
        aiPolicies: await scope.table(POLICIES).delete(),
      };
    });
  }
}
