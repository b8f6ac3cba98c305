import { localEmbedding, LOCAL_EMBEDDING_DIMENSIONS } from './text';

/** Turns texts into vectors for similarity search. */
export interface Embedder {
  /** What made the vectors (stored vectors of another embedder are not compared). */
  readonly id: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** The deterministic local embedder (no model, no network): see `localEmbedding`. */
export class LocalEmbedder implements Embedder {
  readonly id = `local-hash-${LOCAL_EMBEDDING_DIMENSIONS}`;

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map(t => localEmbedding(t));
  }
}
