import { mockServices } from '@backstage/backend-test-utils';
import { describe, expect, it } from 'vitest';
import { readChatConfig } from './config';

const read = (chat: any) =>
  readChatConfig(mockServices.rootConfig({ data: { infra: { chat } } }));

const model = {
  baseUrl: 'https://api.openai.com/v1',
  chatModel: 'gpt-4o-mini',
};

describe('infra.chat config', () => {
  it('has defaults: no model, the local embedder, the schedules', () => {
    expect(read({})).toEqual({
      reindexMinutes: 30,
      catalogReindexMinutes: 5,
      eventDelayMs: 5000,
      initialDelayMs: 15000,
      vectors: true,
      seedPolicies: [],
    });
  });

  it('reads a model with an embedding model, its size and whether to shorten', () => {
    const settings = read({
      model: {
        ...model,
        embeddingModel: 'text-embedding-3-small',
        embeddingDimensions: 256,
        shortenEmbeddings: true,
        prices: { 'text-embedding-3-small': { input: 0.02, output: 0 } },
      },
    });
    expect(settings.model).toMatchObject({
      apiKey: 'none',
      timeoutMs: 60000,
      embedding: {
        model: 'text-embedding-3-small',
        dimensions: 256,
        shorten: true,
      },
    });
    expect(read({ model }).model?.embedding).toBeUndefined();
  });

  it('names the key of a bad value', () => {
    for (const [chat, message] of [
      [{ reindexMinutes: 0 }, /infra\.chat\.reindexMinutes/],
      [{ model: { ...model, baseUrl: 'ftp://x' } }, /model\.baseUrl/],
      [
        { model: { ...model, embeddingModel: 'e' } },
        /embeddingDimensions': required with embeddingModel/,
      ],
      [
        { model: { ...model, embeddingModel: 'e', embeddingDimensions: 1.5 } },
        /embeddingDimensions': a whole number/,
      ],
      [
        { model: { ...model, prices: { m: { input: -1, output: 0 } } } },
        /model\.prices\.m\.input/,
      ],
    ] as const) {
      expect(() => read(chat)).toThrow(message);
    }
  });
});
