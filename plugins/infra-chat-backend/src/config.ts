import { RootConfigService } from '@backstage/backend-plugin-api';

export type ChatSettings = {
  /** Every tenant is indexed again this often. */
  reindexMinutes: number;
  /** Wait after a change event before indexing its kinds. */
  eventDelayMs: number;
  /** Wait after start before the first full indexing. */
  initialDelayMs: number;
  /** Similarity search over vectors of the local embedder, besides keyword search. */
  vectors: boolean;
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
  };
}
