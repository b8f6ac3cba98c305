import type { ModelProvider } from '../models/ModelProvider';
import { localEmbedding, LOCAL_EMBEDDING_DIMENSIONS } from './text';

/** Turns texts into vectors for similarity search. */
export interface Embedder {
  /**
   * What made the vectors, with their size: stored vectors of another embedder are never
   * compared, and items embedded by another are embedded again.
   */
  readonly id: string;
  readonly dimensions: number;
  /**
   * The model the texts are sent to, when they leave the process (each call then goes through
   * AI governance and the usage log); absent for the local embedder.
   */
  readonly model?: {
    readonly model: string;
    cost(model: string, usage: { input: number; output: number }): number;
  };
  embed(texts: string[]): Promise<{ vectors: Float32Array[]; tokens: number }>;
}

/** The deterministic local embedder (no model, no network): see `localEmbedding`. */
export class LocalEmbedder implements Embedder {
  readonly id = `local-hash-${LOCAL_EMBEDDING_DIMENSIONS}`;
  readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS;

  async embed(texts: string[]) {
    return { vectors: texts.map(t => localEmbedding(t)), tokens: 0 };
  }
}

/** The configured embedding model (`infra.chat.model.embeddingModel`) behind the `openai` SDK. */
export class ModelEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly model: Embedder['model'];

  constructor(private readonly provider: ModelProvider) {
    const embedding = provider.settings.embedding;
    if (!embedding) throw new Error('No embedding model is configured');
    this.id = `model:${embedding.model}:${embedding.dimensions}`.slice(0, 200);
    this.dimensions = embedding.dimensions;
    this.model = {
      model: embedding.model,
      cost: (model, usage) => provider.cost(model, usage),
    };
  }

  embed(texts: string[]) {
    return this.provider.embed(texts);
  }
}
