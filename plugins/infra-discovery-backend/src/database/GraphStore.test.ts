import { mockServices } from '@backstage/backend-test-utils';
import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { demoGraph } from '../__testUtils__/demo';
import { GraphStore } from './GraphStore';

const databases = createInfraTestDatabases();
const demo = demoGraph;

async function setup(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  const store = await GraphStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, store };
}

describe.each(databases.eachSupportedId())('GraphStore on %s', databaseId => {
  it('stores a run, refreshes it, and marks what a later run no longer reports as gone', async () => {
    const { store } = await setup(databaseId);
    const graph = demo('cartwheel', 'storefront-prod');
    const t1 = new Date('2026-11-20T10:00:00Z');
    const first = await store.replaceSourceGraph(
      'cartwheel',
      'storefront-state',
      graph,
      t1,
    );
    expect(first).toEqual({
      added: graph.assets.length,
      updated: 0,
      gone: 0,
      changed: graph.assets.length,
      edges: graph.edges.length,
    });

    // The web instance is gone in the next run; its edges go with it.
    const web = graph.assets.find(
      a => a.source?.address === 'aws_instance.web',
    )!;
    const next = {
      assets: graph.assets.filter(a => a.id !== web.id),
      edges: graph.edges.filter(e => e.from !== web.id && e.to !== web.id),
    };
    const t2 = new Date('2026-11-21T10:00:00Z');
    const second = await store.replaceSourceGraph(
      'cartwheel',
      'storefront-state',
      next,
      t2,
    );
    // Only the assets whose relationships pointed at the instance changed.
    const pointing = new Set(
      graph.edges.filter(e => e.to === web.id).map(e => e.from),
    );
    expect(second).toEqual({
      added: 0,
      updated: graph.assets.length - 1,
      gone: 1,
      changed: pointing.size,
      edges: next.edges.length,
    });

    const current = await store.listAssets(['cartwheel'], {}, { limit: 1000 });
    expect(current.total).toBe(graph.assets.length - 1);
    expect(
      current.items.every(
        a =>
          a.firstSeen === t1.toISOString() && a.lastSeen === t2.toISOString(),
      ),
    ).toBe(true);
    const withGone = await store.listAssets(
      ['cartwheel'],
      { includeGone: true, type: 'aws_instance' },
      { limit: 10 },
    );
    expect(withGone.items).toEqual([
      expect.objectContaining({
        id: web.id,
        goneAt: t2.toISOString(),
        lastSeen: t1.toISOString(),
      }),
    ]);

    // It comes back: no longer gone, first seen kept.
    await store.replaceSourceGraph(
      'cartwheel',
      'storefront-state',
      graph,
      new Date('2026-11-22T10:00:00Z'),
    );
    const back = await store.getAsset('cartwheel', web.id);
    expect(back!.views[0]).toMatchObject({ firstSeen: t1.toISOString() });
    expect(back!.views[0].goneAt).toBeUndefined();
    expect(back!.edges.map(e => e.type)).toEqual(
      expect.arrayContaining(['executes_as', 'depends_on', 'contains']),
    );
  });

  it('leaves the previous graph untouched when a run is refused or fails midway', async () => {
    const { store } = await setup(databaseId);
    const graph = demo('harbor-bank', 'core-banking');
    await store.replaceSourceGraph('harbor-bank', 'core', graph);
    const before = await store.listAssets(['harbor-bank'], {}, { limit: 1000 });

    await expect(
      store.replaceSourceGraph('harbor-bank', 'core', {
        assets: graph.assets.slice(0, 3),
        edges: [
          {
            from: graph.assets[0].id,
            to: 'aws:x:y:z:missing',
            type: 'depends_on',
          },
        ],
      }),
    ).rejects.toThrow(/not both of its assets/);
    await expect(
      store.replaceSourceGraph('harbor-bank', 'core', {
        assets: [graph.assets[0], graph.assets[0]],
        edges: [],
      }),
    ).rejects.toThrow(/twice/);

    // A failure inside the transaction, after the assets were written (here the database
    // refuses the same edge twice), rolls everything back: no asset is refreshed or marked gone.
    const first = graph.assets[0].id;
    const edge = graph.edges.find(e => e.from !== first && e.to !== first)!;
    await expect(
      store.replaceSourceGraph(
        'harbor-bank',
        'core',
        // Without the first asset (it would be marked gone), and the same edge twice.
        { assets: graph.assets.slice(1), edges: [edge, edge] },
        new Date('2030-01-01T00:00:00Z'),
      ),
    ).rejects.toThrow();
    expect(
      await store.listAssets(['harbor-bank'], {}, { limit: 1000 }),
    ).toEqual(before);
  });

  it('keeps tenants apart and filters, searches and pages in the query', async () => {
    const { store } = await setup(databaseId);
    await store.replaceSourceGraph(
      'cartwheel',
      'storefront-state',
      demo('cartwheel', 'storefront-prod'),
    );
    await store.replaceSourceGraph(
      'harbor-bank',
      'core',
      demo('harbor-bank', 'core-banking'),
    );

    const harbor = await store.listAssets(['harbor-bank'], {}, { limit: 1000 });
    expect(harbor.items.every(a => !a.id.includes('210987654321'))).toBe(true);
    expect(
      await store.getAsset(
        'harbor-bank',
        harbor.items.find(a => a.type === 'aws_s3_bucket')!.id,
      ),
    ).toBeDefined();
    const cartwheelBucket = (
      await store.listAssets(
        ['cartwheel'],
        { type: 'aws_s3_bucket' },
        { limit: 1 },
      )
    ).items[0];
    expect(
      await store.getAsset('harbor-bank', cartwheelBucket.id),
    ).toBeUndefined();

    const buckets = await store.listAssets(
      ['cartwheel', 'harbor-bank'],
      { type: 'aws_s3_bucket' },
      { limit: 2 },
    );
    expect(buckets.total).toBe(5);
    const seen = [...buckets.items];
    let after = buckets.nextAfter;
    while (after) {
      const page = await store.listAssets(
        ['cartwheel', 'harbor-bank'],
        { type: 'aws_s3_bucket' },
        { limit: 2, after },
      );
      seen.push(...page.items);
      after = page.nextAfter;
    }
    expect(seen.map(a => a.name).sort()).toEqual([
      'cartwheel-prod-audit-logs',
      'cartwheel-prod-order-exports',
      'cartwheel-prod-product-images',
      'harbor-customer-statements',
      'harbor-org-cloudtrail-logs',
    ]);
    expect(new Set(seen.map(a => a.id)).size).toBe(5);

    const search = await store.listAssets(
      ['cartwheel'],
      { search: 'ORDER-EXPORTS' },
      { limit: 10 },
    );
    expect(search.items.map(a => a.type).sort()).toContain('aws_s3_bucket');
    const place = await store.listAssets(
      ['harbor-bank'],
      { account: '345678901234', region: 'global' },
      { limit: 50 },
    );
    expect(place.items.every(a => a.type.startsWith('aws_iam_'))).toBe(true);
    expect(place.total).toBeGreaterThan(0);
    await expect(
      store.listAssets(['cartwheel'], {}, { limit: 5, after: 'garbage' }),
    ).rejects.toThrow(/Invalid paging cursor/);
    expect((await store.listAssets([], {}, { limit: 5 })).items).toEqual([]);
  });

  it('lists what changed after a cursor, merged across sources, with removals', async () => {
    const { store } = await setup(databaseId);
    const graph = demo('cartwheel', 'storefront-prod');
    const t1 = new Date('2026-11-20T10:00:00Z');
    await store.replaceSourceGraph('cartwheel', 'state', graph, t1);
    // Everything, in pages of 10, with a cursor on the last page too.
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.changes('cartwheel', {
        after,
        limit: 10,
        includeRemoved: false,
      });
      all.push(...page.items.map(i => i.id));
      after = page.nextAfter;
      if (!page.more) break;
    }
    expect(new Set(all).size).toBe(graph.assets.length);
    expect(all).toHaveLength(graph.assets.length);
    const cursor = after!;
    expect(
      (
        await store.changes('cartwheel', {
          after: cursor,
          limit: 10,
          includeRemoved: true,
        })
      ).items,
    ).toEqual([]);

    // A second run that renames one bucket and drops the web instance: only those and the
    // assets pointing at the instance come back, the instance as removed.
    const web = graph.assets.find(
      a => a.source?.address === 'aws_instance.web',
    )!;
    const bucket = graph.assets.find(a => a.type === 'aws_s3_bucket')!;
    const next = {
      assets: graph.assets
        .filter(a => a.id !== web.id)
        .map(a => (a.id === bucket.id ? { ...a, name: 'renamed' } : a)),
      edges: graph.edges.filter(e => e.from !== web.id && e.to !== web.id),
    };
    await store.replaceSourceGraph(
      'cartwheel',
      'state',
      next,
      new Date('2026-11-21T10:00:00Z'),
    );
    const delta = await store.changes('cartwheel', {
      after: cursor,
      limit: 500,
      includeRemoved: true,
    });
    const pointing = new Set(
      graph.edges.filter(e => e.to === web.id).map(e => e.from),
    );
    expect(delta.items.map(i => i.id).sort()).toEqual(
      [web.id, bucket.id, ...pointing].sort(),
    );
    expect(delta.items.find(i => i.id === web.id)).toEqual({
      id: web.id,
      removed: true,
    });
    const renamed = delta.items.find(i => i.id === bucket.id)!;
    expect(renamed.removed).toBeFalsy();
    expect(renamed.removed ? undefined : renamed.asset.name).toBe('renamed');

    // Another source still reporting the instance keeps it present.
    await store.replaceSourceGraph(
      'cartwheel',
      'live',
      { assets: [web], edges: [] },
      new Date('2026-11-22T10:00:00Z'),
    );
    const again = await store.changes('cartwheel', {
      after: delta.nextAfter,
      limit: 500,
      includeRemoved: true,
    });
    expect(again.items).toEqual([
      expect.objectContaining({
        id: web.id,
        asset: expect.objectContaining({ sourceId: 'live' }),
      }),
    ]);
    await expect(
      store.changes('cartwheel', {
        after: 'nope',
        limit: 1,
        includeRemoved: true,
      }),
    ).rejects.toThrow(/Invalid changes cursor/);
    // Another tenant sees none of it.
    expect(
      (await store.changes('harbor-bank', { limit: 10, includeRemoved: true }))
        .items,
    ).toEqual([]);
  });

  it('keeps every character of what it stores, and writes two runs of one source one after the other', async () => {
    const { store } = await setup(databaseId);
    // What COPY's text format escapes (tab, newline, carriage return, backslash) and what it
    // must not (quotes, \N as text, non-ASCII), in every kind of column.
    const odd =
      'tab\there\nline\r\\N back\\slash "quoted" \'single\' ünïcødé ☁';
    const asset = {
      id: `aws:123456789012:eu-west-1:aws_s3_bucket:${odd}`,
      provider: 'aws',
      account: '123456789012',
      region: 'eu-west-1',
      type: 'aws_s3_bucket',
      nativeId: odd,
      name: odd,
      tags: { [odd]: odd },
      attributes: { policy: odd, nested: { list: [odd, null, 1.5, true] } },
      source: { address: `aws_s3_bucket.b["${odd}"]` },
    };
    const other = {
      ...asset,
      id: 'aws:123456789012:eu-west-1:aws_kms_key:k',
      nativeId: 'k',
      name: 'key',
      type: 'aws_kms_key',
    };
    const graph = {
      assets: [asset, other],
      edges: [
        {
          from: asset.id,
          to: other.id,
          type: 'encrypted_by' as const,
          details: { attribute: odd },
        },
      ],
    };
    const seen = new Date('2026-11-20T10:00:00Z');
    // Two runs of the same new source at once: neither sees the other's rows when it starts,
    // so without the per-source lock both would insert the same assets.
    const [a, b] = await Promise.all([
      store.replaceSourceGraph('cartwheel', 'odd', graph, seen),
      store.replaceSourceGraph('cartwheel', 'odd', graph, seen),
    ]);
    expect([a.added, b.added].sort()).toEqual([0, 2]);
    const back = await store.getAsset('cartwheel', asset.id);
    expect(back!.views[0]).toMatchObject({
      nativeId: odd,
      name: odd,
      tags: { [odd]: odd },
      attributes: asset.attributes,
      source: { address: asset.source.address },
    });
    expect(back!.edges).toEqual([
      {
        from: asset.id,
        to: other.id,
        type: 'encrypted_by',
        sourceId: 'odd',
        details: { attribute: odd },
      },
    ]);
    // A changed view of a known asset replaces it (staged, then merged) and keeps first seen.
    const later = new Date('2026-11-21T10:00:00Z');
    const changed = await store.replaceSourceGraph(
      'cartwheel',
      'odd',
      { ...graph, assets: [{ ...asset, name: `${odd} 2` }, other] },
      later,
    );
    expect(changed).toMatchObject({ added: 0, changed: 1 });
    expect(
      (await store.getAsset('cartwheel', asset.id))!.views[0],
    ).toMatchObject({
      name: `${odd} 2`,
      firstSeen: seen.toISOString(),
      lastSeen: later.toISOString(),
    });
  });

  it('stores and refreshes a run larger than one statement can carry', async () => {
    const { store } = await setup(databaseId);
    const assets = Array.from({ length: 2600 }, (_, i) => ({
      id: `aws:1:eu-west-1:aws_instance:i-${i}`,
      provider: 'aws',
      account: '1',
      region: 'eu-west-1',
      type: 'aws_instance',
      nativeId: `i-${i}`,
      name: `i-${i}`,
      tags: {},
      attributes: { n: i },
    }));
    const edges = assets.slice(1).map((a, i) => ({
      from: a.id,
      to: assets[i].id,
      type: 'depends_on' as const,
    }));
    const first = await store.replaceSourceGraph('cartwheel', 'big', {
      assets,
      edges,
    });
    expect(first).toMatchObject({ added: 2600, changed: 2600, edges: 2599 });
    const second = await store.replaceSourceGraph('cartwheel', 'big', {
      assets: assets.slice(0, 2000),
      edges: edges.slice(0, 1999),
    });
    expect(second).toMatchObject({ added: 0, changed: 0, gone: 600 });
    const listed = await store.listAssets(['cartwheel'], {}, { limit: 1 });
    expect(listed.total).toBe(2000);
    const graph = await store.loadGraph('cartwheel');
    expect(graph.edges).toHaveLength(1999);
  });

  it("sees a change of an edge's details (the ports of an opening) as a change", async () => {
    const { store } = await setup(databaseId);
    const graph = demo('cartwheel', 'storefront-prod');
    await store.replaceSourceGraph(
      'cartwheel',
      'state',
      graph,
      new Date('2026-11-20T10:00:00Z'),
    );
    const ingress = graph.edges.find(
      e => e.type === 'internet_ingress' && e.details?.ports,
    )!;
    const wider = {
      assets: graph.assets,
      edges: graph.edges.map(e =>
        e === ingress ? { ...e, details: { ports: ['0-65535/tcp'] } } : e,
      ),
    };
    const result = await store.replaceSourceGraph(
      'cartwheel',
      'state',
      wider,
      new Date('2026-11-21T10:00:00Z'),
    );
    expect(result.changed).toBe(1);
    const stored = (await store.loadGraph('cartwheel')).edges.find(
      e =>
        e.from === ingress.from &&
        e.to === ingress.to &&
        e.type === 'internet_ingress',
    );
    expect(stored?.details).toEqual({ ports: ['0-65535/tcp'] });
  });
});
