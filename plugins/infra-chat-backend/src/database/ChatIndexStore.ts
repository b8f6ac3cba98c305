import { ChatSourceKind } from '@infra-hub/plugin-infra-chat-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { toSql } from 'pgvector/knex';
import {
  bufferToVector,
  LOCAL_EMBEDDING_DIMENSIONS,
  vectorToBuffer,
} from '../retrieval/text';

export const CHAT_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-chat-backend',
  tableName: 'infra_chat_knex_migrations',
};

const DOCUMENTS = 'infra_chat_documents';
const STATE = 'infra_chat_index_state';
const BATCH = 200;

/** An item to index, secrets already removed. */
export type IndexDocument = {
  kind: ChatSourceKind;
  sourceId: string;
  /** The permission a person needs in the tenant to be answered from it. */
  permission: string;
  title: string;
  body: string;
  url: string;
  entityRef?: string;
};

/** An indexed item as retrieval returns it. */
export type StoredDocument = IndexDocument & { id: number };

/** A hit of one retrieval method, best first. */
export type RankedDocument = StoredDocument & { rank: number };

/** What an item's vector is made of. */
const embeddingText = (d: { title: string; body: string }) =>
  `${d.title}\n${d.body}`;

const sha256 = (text: string) =>
  crypto.createHash('sha256').update(text).digest('hex');

function toDocument(row: any): StoredDocument {
  return {
    id: Number(row.id),
    kind: row.kind,
    sourceId: row.source_id,
    permission: row.permission,
    title: row.title,
    body: row.body,
    url: row.url,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
  };
}

const DOCUMENT_COLUMNS = [
  'id',
  'kind',
  'source_id',
  'permission',
  'title',
  'body',
  'url',
  'entity_ref',
].map(c => `${DOCUMENTS}.${c}`);

/**
 * The chat's index: each tenant's items with their permission, searchable by keywords (PostgreSQL
 * `tsvector`, SQLite FTS5) and by similarity (vectors stored with each item). Every query names
 * the tenant and the permissions the asker holds there, so ranking only ever sees what they may
 * read.
 */
export class ChatIndexStore {
  static async create(
    options: StoreOptions & {
      /** The embedder whose vectors are stored and compared (default: the local one). */
      embedder?: { id: string; dimensions: number };
    },
  ): Promise<ChatIndexStore> {
    const store = new ChatIndexStore(
      await migratedClient({ ...options, ...CHAT_MIGRATIONS }),
      options.embedder ?? {
        id: `local-hash-${LOCAL_EMBEDDING_DIMENSIONS}`,
        dimensions: LOCAL_EMBEDDING_DIMENSIONS,
      },
    );
    await store.detectVectors();
    return store;
  }

  private readonly postgres: boolean;
  /**
   * SQLite: each tenant's vectors in memory for in-process similarity (loaded on the first
   * search, dropped when the tenant's items change), so a search reads no rows it does not rank.
   */
  private readonly vectorCache = new Map<
    string,
    Promise<{
      ids: Int32Array;
      permissions: string[];
      matrix: Float32Array;
      dims: number;
    }>
  >();
  private vectorMode: 'pgvector' | 'in-process' | 'off';
  /** Why PostgreSQL similarity search is off, when it is. */
  vectorProblem?: string;

  constructor(
    private readonly knex: Knex,
    private readonly embedder: { id: string; dimensions: number },
  ) {
    this.postgres = knex.client.config.client === 'pg';
    this.vectorMode = this.postgres ? 'off' : 'in-process';
  }

  get fullText(): 'tsvector' | 'fts5' {
    return this.postgres ? 'tsvector' : 'fts5';
  }

  /**
   * How similarity is searched: pgvector on PostgreSQL when the extension can be used (`CREATE
   * EXTENSION IF NOT EXISTS vector` succeeds), in process over the stored vectors on SQLite, and
   * not at all on PostgreSQL without pgvector (keyword search only).
   */
  get vectors(): 'pgvector' | 'in-process' | 'off' {
    return this.vectorMode;
  }

  /**
   * On PostgreSQL: enables pgvector when the database has it, with a `vector` column and an HNSW
   * index (cosine) beside the stored vectors; otherwise keeps similarity off and says why.
   */
  private async detectVectors() {
    if (!this.postgres) return;
    const dims = this.embedder.dimensions;
    try {
      await this.knex.raw('CREATE EXTENSION IF NOT EXISTS vector');
      const column = await this.knex.raw(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = ?::regclass AND attname = 'embedding_vector' AND NOT attisdropped`,
        [DOCUMENTS],
      );
      const type: string | undefined = column.rows[0]?.type;
      if (type && type !== `vector(${dims})`) {
        // Another embedder's size: its vectors are made again by the next indexing.
        await this.knex.raw(
          'DROP INDEX IF EXISTS infra_chat_documents_vector_idx',
        );
        await this.knex.raw(
          `ALTER TABLE ${DOCUMENTS} DROP COLUMN embedding_vector`,
        );
      }
      await this.knex.raw(
        `ALTER TABLE ${DOCUMENTS} ADD COLUMN IF NOT EXISTS embedding_vector vector(${dims})`,
      );
      if (dims <= 2000) {
        // HNSW indexes vectors of up to 2000 dimensions; larger ones are scanned.
        await this.knex.raw(
          `CREATE INDEX IF NOT EXISTS infra_chat_documents_vector_idx ON ${DOCUMENTS} USING hnsw (embedding_vector vector_cosine_ops)`,
        );
      }
      // Items indexed before pgvector was there get their column from the stored vectors.
      const missing = await this.knex(DOCUMENTS)
        .whereNull('embedding_vector')
        .where('embedded_by', this.embedder.id)
        .whereNotNull('embedding')
        .select('id', 'embedding');
      for (const row of missing) {
        await this.knex(DOCUMENTS)
          .where({ id: row.id })
          .update({
            embedding_vector: toSql(Array.from(bufferToVector(row.embedding))),
          });
      }
      this.vectorMode = 'pgvector';
    } catch (error) {
      this.vectorMode = 'off';
      this.vectorProblem = (error as Error).message;
    }
  }

  /** The columns that store an item's vector (none: the item has no vector). */
  private vectorColumns(vector: Float32Array | undefined) {
    if (!vector || vector.length !== this.embedder.dimensions) {
      return {
        embedding: null,
        embedded_by: null,
        ...(this.vectorMode === 'pgvector' ? { embedding_vector: null } : {}),
      };
    }
    return {
      embedding: vectorToBuffer(vector),
      embedded_by: this.embedder.id,
      ...(this.vectorMode === 'pgvector'
        ? { embedding_vector: toSql(Array.from(vector)) }
        : {}),
    };
  }

  /**
   * Makes the tenant's items of `kind` exactly `documents`: new ones added, changed ones
   * rewritten (with the vectors `embed` gives them; without one where it gives none, or without
   * `embed`), gone ones removed, in one transaction.
   */
  async replaceKind(
    tenantId: string,
    kind: ChatSourceKind,
    documents: IndexDocument[],
    embed?: (texts: string[]) => Promise<Float32Array[] | undefined>,
  ): Promise<{ added: number; changed: number; removed: number }> {
    const wanted = new Map<string, IndexDocument & { hash: string }>();
    for (const doc of documents) {
      wanted.set(sha256(doc.sourceId), {
        ...doc,
        hash: sha256(
          `${doc.permission}\n${doc.url}\n${doc.entityRef ?? ''}\n${
            doc.title
          }\n${doc.body}`,
        ),
      });
    }
    const existing = await TenantScope.of(this.knex, tenantId)
      .table(DOCUMENTS)
      .where({ kind })
      .select('id', 'source_key', 'content_hash');
    const stale: number[] = [];
    const keep = new Set<string>();
    let changed = 0;
    for (const row of existing) {
      const want = wanted.get(row.source_key);
      if (want && want.hash === row.content_hash) keep.add(row.source_key);
      else {
        stale.push(Number(row.id));
        if (want) changed++;
      }
    }
    const fresh = [...wanted.entries()].filter(([key]) => !keep.has(key));
    // Vectors are made before the transaction: an embeddings endpoint can be slow.
    const vectors: Array<Float32Array | undefined> = [];
    for (let i = 0; embed && i < fresh.length; i += BATCH) {
      const made = await embed(
        fresh.slice(i, i + BATCH).map(([, d]) => embeddingText(d)),
      );
      if (!made) break;
      vectors.push(...made);
    }
    const now = new Date();
    await this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      for (let i = 0; i < stale.length; i += BATCH) {
        await scope
          .table(DOCUMENTS)
          .whereIn('id', stale.slice(i, i + BATCH))
          .delete();
      }
      for (let i = 0; i < fresh.length; i += BATCH) {
        await scope.insert(
          DOCUMENTS,
          fresh.slice(i, i + BATCH).map(([key, d], j) => ({
            kind,
            source_key: key,
            source_id: d.sourceId,
            permission: d.permission,
            title: d.title,
            body: d.body,
            url: d.url,
            entity_ref: d.entityRef ?? null,
            ...this.vectorColumns(vectors[i + j]),
            content_hash: d.hash,
            updated_at: now,
          })),
        );
      }
    });
    if (stale.length || fresh.length) this.vectorCache.delete(tenantId);
    return {
      added: fresh.length - changed,
      changed,
      removed: stale.length - changed,
    };
  }

  /**
   * Embeds the tenant's items of `kind` that have no vector of this store's embedder (made while
   * embedding was refused or failing, or by another embedder), until `embed` gives none.
   */
  async embedPending(
    tenantId: string,
    kind: ChatSourceKind,
    embed: (texts: string[]) => Promise<Float32Array[] | undefined>,
  ): Promise<number> {
    let after = 0;
    let embedded = 0;
    for (;;) {
      const rows: any[] = await TenantScope.of(this.knex, tenantId)
        .table(DOCUMENTS)
        .where({ kind })
        .where('id', '>', after)
        .where(q =>
          q
            .whereNull('embedded_by')
            .orWhereNot('embedded_by', this.embedder.id),
        )
        .select('id', 'title', 'body')
        .orderBy('id')
        .limit(BATCH);
      if (!rows.length) break;
      after = Number(rows[rows.length - 1].id);
      const vectors = await embed(rows.map(embeddingText));
      if (!vectors) break;
      await this.knex.transaction(async trx => {
        for (let i = 0; i < rows.length; i++) {
          await TenantScope.of(trx, tenantId)
            .table(DOCUMENTS)
            .where({ id: rows[i].id })
            .update(this.vectorColumns(vectors[i]));
        }
      });
      embedded += rows.length;
    }
    if (embedded) this.vectorCache.delete(tenantId);
    return embedded;
  }

  /** Drops the vectors of the tenant's items of `kind` (a policy no longer lets them be embedded). */
  async clearVectors(tenantId: string, kind: ChatSourceKind): Promise<number> {
    const cleared = await TenantScope.of(this.knex, tenantId)
      .table(DOCUMENTS)
      .where({ kind })
      .whereNotNull('embedded_by')
      .update(this.vectorColumns(undefined));
    if (cleared) this.vectorCache.delete(tenantId);
    return cleared;
  }

  async recordState(
    tenantId: string,
    kind: ChatSourceKind,
    state: { documents: number; error?: string },
  ) {
    await this.knex(STATE)
      .insert({
        tenant_id: tenantId,
        kind,
        documents: state.documents,
        indexed_at: new Date(),
        error: state.error ?? null,
      })
      .onConflict(['tenant_id', 'kind'])
      .merge();
  }

  /** Indexed items by kind, when the tenant was last indexed, and the last errors. */
  async status(tenantId: string) {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(STATE)
      .select('kind', 'documents', 'indexed_at', 'error');
    const documents: Partial<Record<ChatSourceKind, number>> = {};
    const errors: Partial<Record<ChatSourceKind, string>> = {};
    let indexedAt: string | undefined;
    for (const row of rows) {
      documents[row.kind as ChatSourceKind] = Number(row.documents);
      if (row.error) errors[row.kind as ChatSourceKind] = row.error;
      const at = toIso(row.indexed_at);
      if (!indexedAt || at > indexedAt) indexedAt = at;
    }
    const embedded: Partial<Record<ChatSourceKind, number>> = {};
    const counts: any[] = await TenantScope.of(this.knex, tenantId)
      .table(DOCUMENTS)
      .where('embedded_by', this.embedder.id)
      .groupBy('kind')
      .select('kind', this.knex.raw('count(*) AS n'));
    for (const row of counts)
      embedded[row.kind as ChatSourceKind] = Number(row.n);
    return { documents, embedded, errors, indexedAt };
  }

  /**
   * The tenant's items readable with `permissions` that match the terms (any of them), best
   * first: `ts_rank_cd` over the weighted `tsvector` on PostgreSQL, `bm25` (title weighted ten
   * times) over FTS5 on SQLite. Terms are `[a-z0-9]+` (see `searchTerms`).
   */
  async searchText(
    tenantId: string,
    permissions: readonly string[],
    terms: readonly string[],
    limit: number,
  ): Promise<RankedDocument[]> {
    if (!terms.length || !permissions.length) return [];
    for (const term of terms) {
      if (!/^[a-z0-9]+$/.test(term)) throw new Error(`Bad search term`);
    }
    const scope = TenantScope.of(this.knex, tenantId);
    let rows: any[];
    if (this.postgres) {
      const query = terms.join(' | ');
      rows = await scope
        .table(DOCUMENTS)
        .whereIn(`${DOCUMENTS}.permission`, permissions)
        .whereRaw(`search @@ to_tsquery('english', ?)`, [query])
        .select([
          ...DOCUMENT_COLUMNS,
          this.knex.raw(
            `ts_rank_cd(search, to_tsquery('english', ?)) AS score`,
            [query],
          ),
        ])
        .orderBy([
          { column: 'score', order: 'desc' },
          { column: `${DOCUMENTS}.id`, order: 'asc' },
        ])
        .limit(limit);
    } else {
      const match = terms.map(t => `"${t}"`).join(' OR ');
      rows = await scope
        .table(DOCUMENTS)
        .join(
          'infra_chat_documents_fts',
          'infra_chat_documents_fts.rowid',
          `${DOCUMENTS}.id`,
        )
        .whereIn(`${DOCUMENTS}.permission`, permissions)
        .whereRaw('infra_chat_documents_fts MATCH ?', [match])
        .select([
          ...DOCUMENT_COLUMNS,
          this.knex.raw('bm25(infra_chat_documents_fts, 10.0, 1.0) AS score'),
        ])
        .orderBy([
          { column: 'score', order: 'asc' },
          { column: `${DOCUMENTS}.id`, order: 'asc' },
        ])
        .limit(limit);
    }
    return rows.map((row, i) => ({ ...toDocument(row), rank: i + 1 }));
  }

  /**
   * The tenant's items readable with `permissions`, most similar to `vector` first: the
   * permission filter is in the query, the similarity computed in process over the stored
   * vectors of the rows it returns.
   */
  async searchVector(
    tenantId: string,
    permissions: readonly string[],
    vector: Float32Array,
    limit: number,
  ): Promise<RankedDocument[]> {
    if (!permissions.length || this.vectorMode === 'off') return [];
    if (this.vectorMode === 'pgvector') {
      const literal = toSql(Array.from(vector));
      const rows: any[] = await TenantScope.of(this.knex, tenantId)
        .table(DOCUMENTS)
        .whereIn(`${DOCUMENTS}.permission`, permissions)
        .where('embedded_by', this.embedder.id)
        .whereNotNull('embedding_vector')
        .select(DOCUMENT_COLUMNS)
        .orderByRaw('embedding_vector <=> ?::vector', [literal])
        .limit(limit);
      return rows.map((row, i) => ({ ...toDocument(row), rank: i + 1 }));
    }
    const allowed = new Set(permissions);
    const {
      ids,
      permissions: perms,
      matrix,
      dims,
    } = await this.tenantVectors(tenantId);
    const scored: Array<{ id: number; score: number }> = [];
    const n = Math.min(dims, vector.length);
    for (let row = 0; row < ids.length; row++) {
      if (!allowed.has(perms[row])) continue;
      let score = 0;
      const base = row * dims;
      for (let i = 0; i < n; i++) score += matrix[base + i] * vector[i];
      if (score > 0) scored.push({ id: ids[row], score });
    }
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    const top = scored.slice(0, limit);
    if (!top.length) return [];
    const docs: any[] = await TenantScope.of(this.knex, tenantId)
      .table(DOCUMENTS)
      .whereIn(
        'id',
        top.map(t => t.id),
      )
      .select(DOCUMENT_COLUMNS);
    const byId = new Map(docs.map(d => [Number(d.id), toDocument(d)]));
    return top.map((t, i) => ({ ...byId.get(t.id)!, rank: i + 1 }));
  }

  private tenantVectors(tenantId: string) {
    let loaded = this.vectorCache.get(tenantId);
    if (!loaded) {
      loaded = (async () => {
        const rows = await TenantScope.of(this.knex, tenantId)
          .table(DOCUMENTS)
          .where('embedded_by', this.embedder.id)
          .whereNotNull('embedding')
          .select('id', 'permission', 'embedding');
        const dims = this.embedder.dimensions;
        const ids = new Int32Array(rows.length);
        const permissions: string[] = new Array(rows.length);
        const matrix = new Float32Array(rows.length * dims);
        rows.forEach((row: any, i: number) => {
          ids[i] = Number(row.id);
          permissions[i] = row.permission;
          matrix.set(bufferToVector(row.embedding).subarray(0, dims), i * dims);
        });
        return { ids, permissions, matrix, dims };
      })();
      this.vectorCache.set(tenantId, loaded);
      loaded.catch(() => this.vectorCache.delete(tenantId));
    }
    return loaded;
  }

  /** The tenant's items of an entity (its own and those that name it) readable with `permissions`. */
  async ofEntity(
    tenantId: string,
    permissions: readonly string[],
    entityRef: string,
    limit: number,
  ): Promise<RankedDocument[]> {
    if (!permissions.length) return [];
    const rows: any[] = await TenantScope.of(this.knex, tenantId)
      .table(DOCUMENTS)
      .whereIn('permission', permissions)
      .where('entity_ref', entityRef)
      .select(DOCUMENT_COLUMNS)
      .orderBy('id')
      .limit(limit);
    return rows.map((row, i) => ({ ...toDocument(row), rank: i + 1 }));
  }

  async purgeTenant(tenantId: string) {
    this.vectorCache.delete(tenantId);
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      return {
        chatDocuments: await scope.table(DOCUMENTS).delete(),
        chatIndexState: await scope.table(STATE).delete(),
      };
    });
  }
}
