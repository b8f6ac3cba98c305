import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AI_DATA_CLASSES,
  AI_FEATURES,
  AiDataClass,
  AiFeature,
  AiPolicy,
  AiPolicyInput,
  AiUsageRecord,
  DEFAULT_AI_TEAM,
} from '@infra-hub/plugin-infra-chat-common';
import {
  actorOf,
  InfraSecuritySpine,
} from '@infra-hub/plugin-infra-security-node';
import { GovernanceStore } from '../database/GovernanceStore';

/** A team: `default`, or a group entity ref. */
const TEAM =
  /^(default|group:[a-z0-9][a-z0-9._-]{0,62}\/[a-z0-9][a-z0-9._-]{0,62})$/i;
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;
const MAX_BUDGET = 1e12;

/** The model a call goes to, as governance sees it: its name and its price. */
export type MeteredModel = {
  readonly model: string;
  cost(model: string, usage: { input: number; output: number }): number;
};

/**
 * One model call under governance: the policy's decision (a refusal already logged), the usage
 * to add to as the call goes, and how to log its end.
 */
export type ModelCall = {
  decision: AiDecision;
  usage: { input: number; output: number };
  /** Logs a refusal decided after the policy (e.g. a data class the call needs). */
  refuse(reason: string): Promise<void>;
  /** Logs the call's end with its usage, cost and latency; never throws. */
  finish(outcome: 'ok' | 'error', detail?: string): Promise<void>;
};

/** What a policy decided about a model call. */
export type AiDecision =
  | { allowed: true; team: string; dataClasses: readonly AiDataClass[] }
  | { allowed: false; team: string; reason: string };

function listOf<T extends string>(
  value: unknown,
  name: string,
  allowed?: readonly T[],
  pattern?: RegExp,
): T[] {
  if (!Array.isArray(value) || value.length > 100) {
    throw new InputError(`'${name}' must be a list of at most 100 strings`);
  }
  for (const item of value) {
    if (typeof item !== 'string' || (allowed && !allowed.includes(item as T))) {
      throw new InputError(
        `'${name}' may only hold ${
          allowed ? allowed.join(', ') : 'strings'
        }; got ${JSON.stringify(item)}`,
      );
    }
    if (pattern && !pattern.test(item)) {
      throw new InputError(
        `'${name}' holds an invalid name ${JSON.stringify(item)}`,
      );
    }
  }
  return [...new Set(value as T[])];
}

/** Checks a policy body; InputError naming the field otherwise. */
export function parsePolicy(body: unknown): AiPolicyInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const unknownKeys = Object.keys(b).filter(
    k =>
      !['features', 'models', 'dataClasses', 'monthlyTokenBudget'].includes(k),
  );
  if (unknownKeys.length) {
    throw new InputError(
      `Unknown field(s) of a policy: ${unknownKeys.join(', ')}`,
    );
  }
  const budget = b.monthlyTokenBudget;
  if (
    budget !== undefined &&
    budget !== null &&
    (typeof budget !== 'number' ||
      !Number.isInteger(budget) ||
      budget < 0 ||
      budget > MAX_BUDGET)
  ) {
    throw new InputError(
      `'monthlyTokenBudget' must be a whole number from 0 to ${MAX_BUDGET}, or null`,
    );
  }
  return {
    features: listOf(b.features, 'features', AI_FEATURES),
    models: listOf(b.models ?? [], 'models', undefined, MODEL),
    dataClasses: listOf(b.dataClasses, 'dataClasses', AI_DATA_CLASSES),
    ...(typeof budget === 'number' ? { monthlyTokenBudget: budget } : {}),
  };
}

/** Checks a team path parameter. */
export function parseTeam(team: string): string {
  if (!TEAM.test(team)) {
    throw new InputError(
      `Invalid team '${team}': 'default' or a group entity ref (group:<namespace>/<name>)`,
    );
  }
  return team.toLowerCase();
}

/**
 * AI governance: which team's policy applies to a person, whether it allows a model call (the
 * feature, the model, the month's token budget) and what data it may carry; the usage log of
 * every call and refusal. A tenant without policies sets no limits.
 */
export class GovernanceService {
  constructor(
    private readonly deps: {
      store: GovernanceStore;
      userInfo: UserInfoService;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** The groups a person belongs to (none for API keys and services). */
  private async groupsOf(credentials: BackstageCredentials): Promise<string[]> {
    if ((credentials.principal as { type?: string }).type !== 'user') return [];
    try {
      const info = await this.deps.userInfo.getUserInfo(credentials);
      return info.ownershipEntityRefs
        .map(r => r.toLowerCase())
        .filter(r => r.startsWith('group:'));
    } catch {
      return [];
    }
  }

  /** The policy that applies to the person: their team's (first by name), else `default`. */
  async policyFor(
    credentials: BackstageCredentials,
    tenantId: string,
  ): Promise<{ team: string; policy?: AiPolicy }> {
    const groups = await this.groupsOf(credentials);
    const policies = await this.deps.store.policies(tenantId);
    const own = policies.find(p => groups.includes(p.team));
    if (own) return { team: own.team, policy: own };
    const fallback = policies.find(p => p.team === DEFAULT_AI_TEAM);
    return { team: DEFAULT_AI_TEAM, ...(fallback ? { policy: fallback } : {}) };
  }

  /** Whether the person's policy lets `feature` call `model` now, and with which data. */
  async decide(
    credentials: BackstageCredentials,
    tenantId: string,
    feature: AiFeature,
    model: string,
  ): Promise<AiDecision> {
    const { team, policy } = await this.policyFor(credentials, tenantId);
    return this.decideBy(tenantId, team, policy, feature, model);
  }

  /** The tenant's own policy: its `default` team's (what the tenant's index may send). */
  async tenantPolicy(tenantId: string): Promise<AiPolicy | undefined> {
    const policies = await this.deps.store.policies(tenantId);
    return policies.find(p => p.team === DEFAULT_AI_TEAM);
  }

  private async decideBy(
    tenantId: string,
    team: string,
    policy: AiPolicy | undefined,
    feature: AiFeature,
    model: string,
  ): Promise<AiDecision> {
    if (!policy) return { allowed: true, team, dataClasses: AI_DATA_CLASSES };
    const name = `the AI policy of ${team}`;
    if (!policy.features.includes(feature)) {
      return {
        allowed: false,
        team,
        reason: `${name} does not allow the feature '${feature}'`,
      };
    }
    if (policy.models.length && !policy.models.includes(model)) {
      return {
        allowed: false,
        team,
        reason: `${name} does not allow the model '${model}' (allowed: ${policy.models.join(
          ', ',
        )})`,
      };
    }
    if (policy.monthlyTokenBudget !== undefined) {
      const used = await this.deps.store.tokensUsed(tenantId, team, this.now());
      if (used >= policy.monthlyTokenBudget) {
        return {
          allowed: false,
          team,
          reason: `${name} has used its monthly budget of ${policy.monthlyTokenBudget} tokens (${used} used)`,
        };
      }
    }
    return { allowed: true, team, dataClasses: policy.dataClasses };
  }

  /**
   * Opens a model call of `feature` for the asker: decides by their team's policy (logging a
   * refusal at once) and returns how to log the call's end.
   */
  async open(
    credentials: BackstageCredentials,
    tenantId: string,
    feature: AiFeature,
    provider: MeteredModel,
  ): Promise<ModelCall> {
    const { team, policy } = await this.policyFor(credentials, tenantId);
    return this.openBy(
      tenantId,
      team,
      policy,
      actorOf(credentials),
      feature,
      provider,
    );
  }

  /**
   * Opens a model call the tenant makes itself (indexing for the chat): decided by the tenant's
   * `default` policy and logged as `actor`.
   */
  async openForTenant(
    tenantId: string,
    actor: string,
    feature: AiFeature,
    provider: MeteredModel,
  ): Promise<ModelCall> {
    return this.openBy(
      tenantId,
      DEFAULT_AI_TEAM,
      await this.tenantPolicy(tenantId),
      actor,
      feature,
      provider,
    );
  }

  private async openBy(
    tenantId: string,
    team: string,
    policy: AiPolicy | undefined,
    actor: string,
    feature: AiFeature,
    provider: MeteredModel,
  ): Promise<ModelCall> {
    const decision = await this.decideBy(
      tenantId,
      team,
      policy,
      feature,
      provider.model,
    );
    const base = { actor, team, feature, model: provider.model };
    const refuse = (reason: string) =>
      this.record(tenantId, {
        ...base,
        tokensIn: 0,
        tokensOut: 0,
        cost: 0,
        latencyMs: 0,
        outcome: 'refused',
        detail: reason,
      });
    if (!decision.allowed) await refuse(decision.reason);
    const started = Date.now();
    const usage = { input: 0, output: 0 };
    return {
      decision,
      usage,
      refuse,
      finish: (outcome, detail) =>
        this.record(tenantId, {
          ...base,
          tokensIn: usage.input,
          tokensOut: usage.output,
          cost: provider.cost(provider.model, usage),
          latencyMs: Date.now() - started,
          outcome,
          ...(detail ? { detail } : {}),
        }).catch(() => undefined),
    };
  }

  record(tenantId: string, record: Omit<AiUsageRecord, 'id' | 'at'>) {
    return this.deps.store.record(tenantId, {
      ...record,
      at: this.now().toISOString(),
    });
  }

  async setPolicy(
    tenantId: string,
    team: string,
    body: unknown,
    actor: string,
  ) {
    const input = parsePolicy(body);
    const id = parseTeam(team);
    const policy = await this.deps.store.setPolicy(tenantId, id, input, actor);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'ai.policy.set',
      subject: id,
      details: { ...input },
    });
    return policy;
  }

  /** Sets a policy from config unless the tenant already has one for the team. */
  async seedPolicy(tenantId: string, team: string, body: unknown) {
    const input = parsePolicy(body);
    const id = parseTeam(team);
    const existing = await this.deps.store.policies(tenantId);
    if (existing.some(p => p.team === id)) return;
    await this.deps.store.setPolicy(
      tenantId,
      id,
      input,
      'config:infra.chat.seedPolicies',
    );
  }

  async deletePolicy(tenantId: string, team: string, actor: string) {
    const id = parseTeam(team);
    if (!(await this.deps.store.deletePolicy(tenantId, id))) {
      throw new NotFoundError(`No AI policy for team '${id}'`);
    }
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'ai.policy.deleted',
      subject: id,
    });
  }
}
