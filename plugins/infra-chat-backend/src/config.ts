import { RootConfigService } from '@backstage/backend-plugin-api';
import { ModelSettings } from './models/ModelProvider';

export type ChatSettings = {
  /** Every tenant is indexed again this often. */
  reindexMinutes: number;
  /** Every tenant's catalog entities and modules are indexed again this often. */
  catalogReindexMinutes: number;
  /** Wait after a change event before indexing its kinds. */
  eventDelayMs: number;
  /** Wait after start before the first full indexing. */
  initialDelayMs: number;
  /** Similarity search over vectors of the local embedder, besides keyword search. */
  vectors: boolean;
  /** The chat model; absent, answers are extractive. */
  model?: ModelSettings;
  /** AI policies to create at start where a tenant has none for the team. */
  seedPolicies: Array<{ tenantId: string; team: string; policy: unknown }>;
};

function number(
  value: number | undefined,
  key: string,
  fallback: number,
  range: [number, number],
) {
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n < range[0] || n > range[1]) {
    throw new Error(
      `Invalid config at 'infra.chat.${key}': from ${range[0]} to ${range[1]}`,
    );
  }
  return n;
}

/** Reads `infra.chat` once; a bad value throws naming its key. */
export function readChatConfig(config: RootConfigService): ChatSettings {
  const c = config.getOptionalConfig('infra.chat');
  return {
    reindexMinutes: number(
      c?.getOptionalNumber('reindexMinutes'),
      'reindexMinutes',
      30,
      [1, 24 * 60],
    ),
    catalogReindexMinutes: number(
      c?.getOptionalNumber('catalogReindexMinutes'),
      'catalogReindexMinutes',
      5,
      [1, 24 * 60],
    ),
    eventDelayMs:
      number(
        c?.getOptionalNumber('eventDelaySeconds'),
        'eventDelaySeconds',
        5,
        [0, 3600],
      ) * 1000,
    initialDelayMs:
      number(
        c?.getOptionalNumber('initialIndexDelaySeconds'),
        'initialIndexDelaySeconds',
        15,
        [0, 3600],
      ) * 1000,
    vectors: c?.getOptionalBoolean('vectors') ?? true,
    ...(c?.has('model') ? { model: readModel(c.getConfig('model')) } : {}),
    seedPolicies: readSeedPolicies(c?.getOptionalConfig('seedPolicies')),
  };
}

function readSeedPolicies(
  seeds: ReturnType<RootConfigService['getOptionalConfig']>,
): ChatSettings['seedPolicies'] {
  const out: ChatSettings['seedPolicies'] = [];
  for (const tenantId of seeds?.keys() ?? []) {
    const teams = seeds!.getConfig(tenantId);
    for (const team of teams.keys()) {
      out.push({ tenantId, team, policy: teams.getConfig(team).get() });
    }
  }
  return out;
}

function readModel(
  m: ReturnType<RootConfigService['getConfig']>,
): ModelSettings {
  const baseUrl = m.getString('baseUrl');
  try {
    const url = new URL(baseUrl);
    if (!['http:', 'https:'].includes(url.protocol)) throw new Error();
  } catch {
    throw new Error(
      "Invalid config at 'infra.chat.model.baseUrl': an http(s) URL, e.g. https://api.openai.com/v1",
    );
  }
  const prices: ModelSettings['prices'] = {};
  const table = m.getOptionalConfig('prices');
  for (const model of table?.keys() ?? []) {
    const price = table!.getConfig(model);
    prices[model] = {
      input: number(
        price.getNumber('input'),
        `model.prices.${model}.input`,
        0,
        [0, 1e6],
      ),
      output: number(
        price.getNumber('output'),
        `model.prices.${model}.output`,
        0,
        [0, 1e6],
      ),
    };
  }
  return {
    baseUrl,
    // Ollama and vLLM take any key; the SDK needs one.
    apiKey: m.getOptionalString('apiKey') ?? 'none',
    chatModel: m.getString('chatModel'),
    timeoutMs:
      number(
        m.getOptionalNumber('timeoutSeconds'),
        'model.timeoutSeconds',
        60,
        [1, 600],
      ) * 1000,
    ...(m.getOptionalString('azureApiVersion')
      ? { azureApiVersion: m.getString('azureApiVersion') }
      : {}),
    ...(m.has('embeddingModel') ? { embedding: readEmbedding(m) } : {}),
    prices,
  };
}

function readEmbedding(
  m: ReturnType<RootConfigService['getConfig']>,
): NonNullable<ModelSettings['embedding']> {
  if (!m.has('embeddingDimensions')) {
    throw new Error(
      "Invalid config at 'infra.chat.model.embeddingDimensions': required with embeddingModel, the size of its vectors (e.g. 1536 for text-embedding-3-small, 768 for nomic-embed-text)",
    );
  }
  const dimensions = m.getNumber('embeddingDimensions');
  if (!Number.isInteger(dimensions) || dimensions < 2 || dimensions > 16000) {
    throw new Error(
      "Invalid config at 'infra.chat.model.embeddingDimensions': a whole number from 2 to 16000",
    );
  }
  return {
    model: m.getString('embeddingModel'),
    dimensions,
    shorten: m.getOptionalBoolean('shortenEmbeddings') ?? false,
  };
}
