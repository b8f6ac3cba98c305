import { ChatSourceKind } from './types';

/**
 * The features of the suite that may call a model. `embeddings`: the configured embedding model
 * turns the tenant's indexed items (under the `default` policy and its data classes) and
 * people's questions into vectors for similarity search.
 *
 * @public
 */
export const AI_FEATURES = [
  'chat',
  'plan-summary',
  'risk-assessment',
  'rollback-plan',
  'failure-diagnosis',
  'module-scaffold',
  'embeddings',
] as const;

/** @public */
export type AiFeature = (typeof AI_FEATURES)[number];

/**
 * What may be sent to a model, by kind of data: catalog entities and modules, the asset graph,
 * change control (plans, drift, change requests), compliance findings. Secrets are never sent,
 * whatever a policy says.
 *
 * @public
 */
export const AI_DATA_CLASSES = [
  'catalog',
  'assets',
  'changes',
  'findings',
] as const;

/** @public */
export type AiDataClass = (typeof AI_DATA_CLASSES)[number];

/** The data class of each indexed kind. @public */
export const SOURCE_DATA_CLASS: Record<ChatSourceKind, AiDataClass> = {
  entity: 'catalog',
  module: 'catalog',
  asset: 'assets',
  'attack-path': 'assets',
  drift: 'changes',
  'change-request': 'changes',
  finding: 'findings',
};

/** The team of people no other policy names. @public */
export const DEFAULT_AI_TEAM = 'default';

/** A team's AI policy in a tenant. @public */
export type AiPolicy = {
  /** A group entity ref, or `default`. */
  team: string;
  features: AiFeature[];
  /** Models the team may use; empty: any. */
  models: string[];
  /** Tokens (in and out) per calendar month (UTC); absent: no budget. */
  monthlyTokenBudget?: number;
  dataClasses: AiDataClass[];
  updatedBy: string;
  updatedAt: string;
};

/** What `PUT /tenants/{t}/ai/policies/{team}` takes. @public */
export type AiPolicyInput = Pick<
  AiPolicy,
  'features' | 'models' | 'dataClasses'
> & { monthlyTokenBudget?: number | null };

/** One model call (or refused call) of the usage log. @public */
export type AiUsageRecord = {
  id: string;
  at: string;
  actor: string;
  team: string;
  feature: AiFeature;
  model: string;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  latencyMs: number;
  outcome: 'ok' | 'refused' | 'error';
  /** The policy that refused, or the error. */
  detail?: string;
};

/** Usage of one team in one month. @public */
export type AiUsageSummary = {
  month: string;
  team: string;
  calls: number;
  refused: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
};
