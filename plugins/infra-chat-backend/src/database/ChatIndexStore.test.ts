import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../retrieval/embedder';
import { localEmbedding, searchTerms } from '../retrieval/text';
import { ChatIndexStore, IndexDocument } from './ChatIndexStore';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import knexFactory from 'knex';

const databases = createInfraTestDatabases();
const embedder = new LocalEmbedder();
const embed = async (texts: string[]) => (await embedder.embed(texts)).vectors;

const doc = (
  kind: IndexDocument['kind'],
  sourceId: string,
  permission: string,
  title: string,
  body: string,
  entityRef?: string,
): IndexDocument => ({
  kind,
  sourceId,
  permission,
  title,
  body,
  url: `/x/${sourceId}`,
  ...(entityRef ? { entityRef } : {}),
});

/**
 * A store of another embedder on the same database: earlier vectors are never compared with its
 * own, unchanged items are embedded again without being rewritten, items refused a vector wait
 * for a later pass, and a policy that stops a kind's data class drops its vectors.
 */
async function switchesEmbedder(
  create: (embedder?: {
    id: string;
    dimensions: number;
  }) => Promise<ChatIndexStore>,
) {
  const assets = [
    doc(
      'asset',
      'a1',
      'infra.asset-graph.read',
      'aws_s3_bucket images',
      'Public bucket of images',
    ),
    doc(
      'asset',
      'a2',
      'infra.asset-graph.read',
      'aws_db_instance orders',
      'Database of orders',
    ),
  ];
  const first = await create();
  await first.replaceKind('cartwheel', 'asset', assets, embed);
  const tiny = async (texts: string[]) => texts.map(t => localEmbedding(t, 8));
  const second = await create({ id: 'model:tiny:8', dimensions: 8 });
  const similar = () =>
    second.searchVector(
      'cartwheel',
      ['infra.asset-graph.read'],
      localEmbedding('orders database', 8),
      10,
    );
  const on = second.vectors !== 'off';
  expect(await similar()).toEqual([]);
  expect(await second.replaceKind('cartwheel', 'asset', assets, tiny)).toEqual({
    added: 0,
    changed: 0,
    removed: 0,
  });
  expect(await second.embedPending('cartwheel', 'asset', tiny)).toBe(2);
  expect(await second.embedPending('cartwheel', 'asset', tiny)).toBe(0);
  if (on)
    expect((await similar()).map(d => d.sourceId).sort()).toEqual(['a1', 'a2']);
  const refused = async () => undefined;
  const third = doc(
    'asset',
    'a3',
    'infra.asset-graph.read',
    'aws_db_instance billing',
    'Database of bills',
  );
  expect(
    await second.replaceKind('cartwheel', 'asset', [...assets, third], refused),
  ).toEqual({ added: 1, changed: 0, removed: 0 });
  expect(await second.embedPending('cartwheel', 'asset', refused)).toBe(0);
  if (on) expect(await similar()).toHaveLength(2);
  expect(await second.embedPending('cartwheel', 'asset', tiny)).toBe(1);
  if (on) expect(await similar()).toHaveLength(3);
  expect(await second.clearVectors('cartwheel', 'asset')).toBe(3);
  expect(await similar()).toEqual([]);
  expect(await second.embedPending('cartwheel', 'asset', refused)).toBe(0);
  const words = await second.searchText(
    'cartwheel',
    ['infra.asset-graph.read'],
    ['orders'],
    10,
  );
  expect(words.map(d => d.sourceId)).toEqual(['a2']);
}

describe.each(databases.eachSupportedId())('ChatIndexStore on %s', id => {
  it('keeps the vectors of one embedder: switching embeds again, refusals wait, a policy drops them', async () => {
    const knex = await databases.init(id);
    await switchesEmbedder(other =>
      ChatIndexStore.create({
        database: { getClient: async () => knex } as any,
        ...(other ? { embedder: other } : {}),
      }),
    );
  });

  it('replaces a kind incrementally, searches by keywords and vectors within the permissions given, keeps tenants apart', async () => {
    const knex = await databases.init(id);
    const store = await ChatIndexStore.create({
      database: { getClient: async () => knex } as any,
    });
    const assets = [
      doc(
        'asset',
        'a1',
        'infra.asset-graph.read',
        'aws_s3_bucket storefront-images',
        'Public bucket of product images, versioning off',
      ),
      doc(
        'asset',
        'a2',
        'infra.asset-graph.read',
        'aws_db_instance orders',
        'PostgreSQL database of orders, encrypted',
      ),
    ];
    expect(
      await store.replaceKind('cartwheel', 'asset', assets, embed),
    ).toEqual({
      added: 2,
      changed: 0,
      removed: 0,
    });
    await store.replaceKind(
      'cartwheel',
      'finding',
      [
        doc(
          'finding',
          'f1',
          'infra.findings.read',
          'high finding: bucket is public',
          'Rule s3-public-access fails on storefront-images',
        ),
      ],
      embed,
    );
    await store.replaceKind(
      'harbor-bank',
      'asset',
      [
        doc(
          'asset',
          'h1',
          'infra.asset-graph.read',
          'aws_s3_bucket ledger-exports',
          'Public bucket of ledger exports',
        ),
      ],
      embed,
    );

    const terms = searchTerms('Which public buckets do we have?');
    expect(terms).toEqual(['public', 'buckets']);
    const both = await store.searchText(
      'cartwheel',
      ['infra.asset-graph.read', 'infra.findings.read'],
      terms,
      10,
    );
    expect(both.map(d => d.sourceId).sort()).toEqual(['a1', 'f1']);
    // Only what the permissions given allow, only the tenant's.
    const assetsOnly = await store.searchText(
      'cartwheel',
      ['infra.asset-graph.read'],
      terms,
      10,
    );
    expect(assetsOnly.map(d => d.sourceId)).toEqual(['a1']);
    expect(await store.searchText('cartwheel', [], terms, 10)).toEqual([]);
    const harbor = await store.searchText(
      'harbor-bank',
      ['infra.asset-graph.read', 'infra.findings.read'],
      terms,
      10,
    );
    expect(harbor.map(d => d.sourceId)).toEqual(['h1']);
    // Terms are words only: anything else never reaches a query.
    await expect(
      store.searchText('cartwheel', ['x'], ["a' OR 1=1"], 10),
    ).rejects.toThrow('Bad search term');

    const byVector = await store.searchVector(
      'cartwheel',
      ['infra.asset-graph.read'],
      localEmbedding('orders database'),
      10,
    );
    if (id === 'SQLITE_3') {
      expect(store.vectors).toBe('in-process');
      expect(byVector[0].sourceId).toBe('a2');
      expect(byVector.every(d => d.kind === 'asset')).toBe(true);
    } else {
      // Debian's PostgreSQL has no pgvector: keyword search only, and it says why.
      expect(store.vectors).toBe('off');
      expect(store.vectorProblem).toMatch(/vector/);
      expect(byVector).toEqual([]);
    }

    // Unchanged items are kept, changed ones rewritten, gone ones removed.
    expect(
      await store.replaceKind(
        'cartwheel',
        'asset',
        [
          assets[0],
          {
            ...assets[1],
            body: 'PostgreSQL database of orders, not encrypted',
          },
          doc(
            'asset',
            'a3',
            'infra.asset-graph.read',
            'aws_vpc main',
            'The VPC',
          ),
        ],
        embed,
      ),
    ).toEqual({ added: 1, changed: 1, removed: 0 });
    if (store.vectors === 'in-process') {
      // The vectors held in memory follow the change.
      const vpc = await store.searchVector(
        'cartwheel',
        ['infra.asset-graph.read'],
        localEmbedding('the vpc'),
        1,
      );
      expect(vpc.map(d => d.sourceId)).toEqual(['a3']);
    }
    expect(
      await store.replaceKind('cartwheel', 'asset', [assets[0]], embed),
    ).toEqual({
      added: 0,
      changed: 0,
      removed: 2,
    });
    const after = await store.searchText(
      'cartwheel',
      ['infra.asset-graph.read'],
      ['database', 'vpc'],
      10,
    );
    expect(after).toEqual([]);

    await store.recordState('cartwheel', 'asset', { documents: 1 });
    await store.recordState('cartwheel', 'finding', {
      documents: 1,
      error: 'down',
    });
    const status = await store.status('cartwheel');
    expect(status.documents).toEqual({ asset: 1, finding: 1 });
    expect(status.errors).toEqual({ finding: 'down' });

    expect(await store.purgeTenant('cartwheel')).toEqual({
      chatDocuments: 2,
      chatIndexState: 2,
    });
    expect(
      await store.searchText(
        'cartwheel',
        ['infra.asset-graph.read', 'infra.findings.read'],
        terms,
        10,
      ),
    ).toEqual([]);
    expect(
      (
        await store.searchText(
          'harbor-bank',
          ['infra.asset-graph.read'],
          terms,
          10,
        )
      ).length,
    ).toBe(1);
  });

  it('migrates up and down', async () => {
    const knex = await databases.init(id);
    const tables = [
      'infra_chat_documents',
      'infra_chat_index_state',
      'infra_chat_conversations',
      'infra_chat_messages',
      'infra_chat_ai_usage',
      'infra_chat_ai_policies',
    ];
    const result = await migrateUpAndDown(knex, {
      packageName: '@infra-hub/plugin-infra-chat-backend',
      tableName: 'infra_chat_knex_migrations',
      tables,
    });
    expect(result.afterUp).toEqual(tables);
    expect(result.afterDown).toEqual([]);
    expect(result.afterUpAgain).toEqual(tables);
  });
});

describe('ChatIndexStore on PostgreSQL with pgvector (PGlite)', () => {
  it('searches by similarity in SQL, within the permissions and the tenant, next to tsvector', async () => {
    const db = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
    await server.start();
    const knex = knexFactory({
      client: 'pg',
      connection: {
        host: '127.0.0.1',
        port: (server as unknown as { port: number }).port,
        user: 'postgres',
        database: 'postgres',
      },
      // PGlite is one session.
      pool: { min: 1, max: 1 },
    });
    try {
      const store = await ChatIndexStore.create({
        database: { getClient: async () => knex } as any,
      });
      expect(store.fullText).toBe('tsvector');
      expect(store.vectors).toBe('pgvector');
      await store.replaceKind(
        'cartwheel',
        'asset',
        [
          doc(
            'asset',
            'a1',
            'infra.asset-graph.read',
            'aws_s3_bucket storefront-images',
            'Public bucket of product images',
          ),
          doc(
            'asset',
            'a2',
            'infra.asset-graph.read',
            'aws_db_instance orders',
            'PostgreSQL database of orders',
          ),
        ],
        embed,
      );
      await store.replaceKind(
        'cartwheel',
        'finding',
        [
          doc(
            'finding',
            'f1',
            'infra.findings.read',
            'orders database finding',
            'orders database is not encrypted',
          ),
        ],
        embed,
      );
      await store.replaceKind(
        'harbor-bank',
        'asset',
        [
          doc(
            'asset',
            'h1',
            'infra.asset-graph.read',
            'aws_db_instance orders',
            'PostgreSQL database of orders',
          ),
        ],
        embed,
      );
      const query = localEmbedding('orders database');
      const assetsOnly = await store.searchVector(
        'cartwheel',
        ['infra.asset-graph.read'],
        query,
        10,
      );
      expect(assetsOnly.map(d => d.sourceId)).toEqual(['a2', 'a1']);
      const both = await store.searchVector(
        'cartwheel',
        ['infra.asset-graph.read', 'infra.findings.read'],
        query,
        1,
      );
      expect(both).toHaveLength(1);
      expect(['a2', 'f1']).toContain(both[0].sourceId);
      const text = await store.searchText(
        'cartwheel',
        ['infra.asset-graph.read'],
        ['orders'],
        10,
      );
      expect(text.map(d => d.sourceId)).toEqual(['a2']);
      // Another embedder's size: the column is made again for it.
      await switchesEmbedder(other =>
        ChatIndexStore.create({
          database: { getClient: async () => knex } as any,
          ...(other ? { embedder: other } : {}),
        }),
      );
      const column = await knex.raw(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = 'infra_chat_documents'::regclass AND attname = 'embedding_vector' AND NOT attisdropped`,
      );
      expect(column.rows[0].type).toBe('vector(8)');
    } finally {
      await knex.destroy();
      await server.stop();
      await db.close();
    }
  });
});
