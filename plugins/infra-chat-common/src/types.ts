/**
 * What the infra chat answers from: each indexed item is one of these, read with the permission
 * its kind needs (see {@link CHAT_SOURCE_PERMISSIONS}).
 *
 * @public
 */
export const CHAT_SOURCE_KINDS = [
  'entity',
  'module',
  'asset',
  'attack-path',
  'drift',
  'change-request',
  'finding',
] as const;

/** @public */
export type ChatSourceKind = (typeof CHAT_SOURCE_KINDS)[number];

/**
 * The permission a person needs in the tenant to be answered from an item of each kind: the
 * permission of the page the item comes from (the role matrix decides who holds it).
 *
 * @public
 */
export const CHAT_SOURCE_PERMISSIONS: Record<ChatSourceKind, string> = {
  entity: 'infra.tenant.read',
  module: 'infra.tenant.read',
  asset: 'infra.asset-graph.read',
  'attack-path': 'infra.asset-graph.read',
  drift: 'infra.change.read',
  'change-request': 'infra.change.read',
  finding: 'infra.findings.read',
};

/** A cited source of an answer. @public */
export type ChatSource = {
  kind: ChatSourceKind;
  /** The item's id in its own plugin (entity ref, asset id, change request id, ...). */
  id: string;
  title: string;
  /** The portal page that shows the item (a path of the app). */
  url: string;
  /** The passage of the item that matched the question, secrets removed. */
  snippet: string;
};

/** A tool's result, rendered as a table when there is no model to narrate it. @public */
export type ChatTable = {
  title: string;
  columns: string[];
  rows: string[][];
};

/** One turn of a conversation. @public */
export type ChatMessage = {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** The sources the answer cites (assistant messages). */
  sources: ChatSource[];
  /** Tool results shown with the answer (assistant messages). */
  tables: ChatTable[];
  /**
   * True for every answer: a machine wrote it (extracted passages or a model's text). It informs
   * people and never changes a decision by itself.
   */
  machineWritten: boolean;
  /** How the answer was made: passages extracted from the sources, or a model's narration. */
  mode?: 'extractive' | 'model';
  /** The model that wrote it, when one did. */
  model?: string;
  createdAt: string;
};

/** A person's conversation in a tenant (only its owner reads it). @public */
export type Conversation = {
  id: string;
  tenantId: string;
  title: string;
  /** The catalog entity the conversation is about, when it started from its page. */
  entityRef?: string;
  createdAt: string;
  updatedAt: string;
};

/** A conversation with its messages, oldest first. @public */
export type ConversationDetail = Conversation & { messages: ChatMessage[] };

/** The longest question accepted, in characters. @public */
export const MAX_QUESTION_CHARS = 2000;

/** A question, as `POST .../conversations` and `POST .../messages` take it. @public */
export type ChatQuestion = {
  question: string;
  /** Ask about this catalog entity (its passages rank first). */
  entityRef?: string;
};

/**
 * What a streamed answer sends, one JSON object per line (`application/x-ndjson`): the sources
 * first, then the text as it is written and any tables, then the stored message.
 *
 * @public
 */
export type ChatStreamEvent =
  | { type: 'conversation'; conversation: Conversation }
  | { type: 'sources'; sources: ChatSource[] }
  | { type: 'delta'; text: string }
  | { type: 'table'; table: ChatTable }
  | { type: 'done'; message: ChatMessage }
  | { type: 'error'; message: string; status: number };

/** What the chat has indexed for a tenant, and how it searches. @public */
export type ChatIndexStatus = {
  tenantId: string;
  /** Indexed items by kind (all kinds, whatever the asker may read). */
  documents: Partial<Record<ChatSourceKind, number>>;
  indexedAt?: string;
  /** Keyword search: PostgreSQL `tsvector` or SQLite FTS5. */
  fullText: 'tsvector' | 'fts5';
  /** Similarity search: pgvector, in-process over stored vectors, or none. */
  vectors: 'pgvector' | 'in-process' | 'off';
  /**
   * Items with a vector of the current embedder, by kind (the others are found by keywords: not
   * embedded yet, or of a data class the tenant's AI policy keeps from the embedding model).
   */
  embedded?: Partial<Record<ChatSourceKind, number>>;
  /** What makes the vectors: `local embedder`, or the embedding model and its size. */
  embedder?: string;
  /** The chat model, when one is configured (answers are extractive otherwise). */
  model?: string;
};
