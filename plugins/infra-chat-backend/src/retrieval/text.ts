import { redactSecretsInText } from '@infra-hub/plugin-infra-security-common';

/** Words a question is made of that say nothing about what to find. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by did do does for from had has have how i in is it its last me my ' +
    'of on or our show tell that the their them there these this those to was we were what ' +
    'when where which who whom why will with you your about any all can could should would ' +
    'get got give list please into over than then us week today yesterday'
  ).split(' '),
);

/** The most terms of a question searched for. */
const MAX_TERMS = 32;

/**
 * The search terms of a question: lower-case runs of letters and digits, stop words and single
 * characters left out, each once, in order. Only `[a-z0-9]` reaches a query.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length < 2 || STOP_WORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    terms.push(word);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/**
 * Text with what looks like a secret replaced by REDACTED (see `redactSecretsInText` of the
 * security spine): applied to everything indexed, so that neither an answer nor a prompt carries
 * a secret.
 */
export const scrubText = redactSecretsInText;

/** The number of dimensions of the local embedder's vectors. */
export const LOCAL_EMBEDDING_DIMENSIONS = 256;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The deterministic local embedder (development, tests, and installations without an embeddings
 * endpoint): each word and each of its character trigrams is hashed (signed) into a fixed number
 * of dimensions, and the vector normalised. Texts sharing words or word parts ("bucket",
 * "buckets") are close; it knows no synonyms, which a real embedding model does.
 */
export function localEmbedding(
  text: string,
  dimensions = LOCAL_EMBEDDING_DIMENSIONS,
): Float32Array {
  const vector = new Float32Array(dimensions);
  const add = (feature: string, weight: number) => {
    const h = hash(feature);
    vector[h % dimensions] += h & 0x80000000 ? -weight : weight;
  };
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    add(`w:${word}`, 1);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      add(`t:${padded.slice(i, i + 3)}`, 0.35);
    }
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}

/** Cosine similarity of two normalised vectors of the same length. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += a[i] * b[i];
  return sum;
}

/** A vector as stored (float32, little-endian). */
export function vectorToBuffer(vector: Float32Array): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buffer.writeFloatLE(vector[i], i * 4);
  return buffer;
}

/** A stored vector. */
export function bufferToVector(buffer: Buffer | Uint8Array): Float32Array {
  const bytes = Buffer.from(buffer);
  const vector = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

/** The length of a snippet, in characters. */
const SNIPPET_CHARS = 280;

/**
 * The passage of `body` that holds most of `terms` (a window of about 280 characters starting at a
 * line), the start of the body when none is found. Linear in the body's length times the terms.
 */
export function snippetOf(body: string, terms: string[]): string {
  if (body.length <= SNIPPET_CHARS) return body;
  const lower = body.toLowerCase();
  const lineStarts = [0];
  for (let i = lower.indexOf('\n'); i >= 0; i = lower.indexOf('\n', i + 1)) {
    lineStarts.push(i + 1);
  }
  let best = 0;
  let bestScore = -1;
  for (const start of lineStarts) {
    const window = lower.slice(start, start + SNIPPET_CHARS);
    const end = lower.indexOf('\n', start);
    const line = lower.slice(start, end < 0 ? undefined : end);
    // Terms in the window count most; among windows holding as many, the one whose first line
    // holds the most starts where the answer does.
    let score = 0;
    for (const term of terms) {
      if (window.includes(term)) score += terms.length + 1;
      if (line.includes(term)) score += 1;
    }
    if (score > bestScore) {
      best = start;
      bestScore = score;
    }
  }
  const text = body.slice(best, best + SNIPPET_CHARS);
  return `${best > 0 ? '…' : ''}${text}${
    best + SNIPPET_CHARS < body.length ? '…' : ''
  }`;
}
