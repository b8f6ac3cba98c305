import { mockServices } from '@backstage/backend-test-utils';
import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { demoGraph } from '../__testUtils__/demo';
import { GraphStore } from './GraphStore';
import { SourceStore } from './SourceStore';

const databases = createInfraTestDatabases();

async function setup(id: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(id);
  return SourceStore.create({ database: mockServices.database({ knex }) });
}

const source = {
  id: 'storefront-state',
  name: 'Storefront production state',
  provider: 'terraform',
  settings: {
    type: 's3',
    bucket: 'tf-state',
    key: 'storefront.tfstate',
    region: 'eu-west-1',
  },
  credentialId: '0f8b2c4e-1d2a-4b7e-9c3d-5e6f7a8b9c0d',
  schedule: 'PT1H',
};

describe.each(databases.eachSupportedId())('SourceStore on %s', databaseId => {
  it('stores sources per tenant, refusing a duplicate id', async () => {
    const store = await setup(databaseId);
    const created = await store.createSource(
      'cartwheel',
      source,
      'user:default/priya.shah',
    );
    expect(created).toMatchObject({
      tenantId: 'cartwheel',
      ...source,
      enabled: true,
      createdBy: 'user:default/priya.shah',
    });
    await expect(
      store.createSource('cartwheel', source, 'user:default/priya.shah'),
    ).rejects.toThrow(/already has a discovery source/);
    await store.createSource(
      'harbor-bank',
      { ...source, name: 'Harbor' },
      'user:default/omar.haddad',
    );
    expect((await store.listSources(['cartwheel'])).map(s => s.name)).toEqual([
      'Storefront production state',
    ]);
    await expect(store.getSource('harbor-bank', 'nope')).rejects.toThrow(
      /No discovery source 'nope'/,
    );
  });

  it('runs one job per source at a time and records how it ended', async () => {
    const store = await setup(databaseId);
    await store.createSource('cartwheel', source, 'user:default/priya.shah');
    const job = await store.startJob(
      'cartwheel',
      source.id,
      'manual',
      'user:default/priya.shah',
    );
    expect(job).toMatchObject({
      status: 'running',
      trigger: 'manual',
      warnings: [],
    });
    await expect(
      store.startJob(
        'cartwheel',
        source.id,
        'schedule',
        'plugin:infra-discovery',
      ),
    ).rejects.toThrow(/already running/);

    const done = await store.finishJob('cartwheel', job.id, {
      status: 'succeeded',
      counts: { assets: 41, edges: 57, added: 41, gone: 0 },
      warnings: ['arn:aws:iam::aws:policy/ReadOnlyAccess is not in this state'],
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { assets: 41, edges: 57, added: 41, gone: 0 },
    });
    expect(done.finishedAt).toBeDefined();
    await expect(
      store.finishJob('cartwheel', job.id, {
        status: 'failed',
        error: 'late',
        warnings: [],
      }),
    ).rejects.toThrow(/not running/);

    const next = await store.startJob(
      'cartwheel',
      source.id,
      'schedule',
      'plugin:infra-discovery',
    );
    const failed = await store.finishJob('cartwheel', next.id, {
      status: 'failed',
      error: 'Cannot reach the state: ECONNREFUSED',
      warnings: [],
    });
    expect(failed).toMatchObject({
      status: 'failed',
      error: 'Cannot reach the state: ECONNREFUSED',
    });
    expect(failed.counts).toBeUndefined();
  });

  it('closes a job left running by a stopped backend instead of blocking the source forever', async () => {
    const knex = await databases.init(databaseId);
    const store = await SourceStore.create({
      database: mockServices.database({ knex }),
      abandonAfterMs: 50,
    });
    await store.createSource('cartwheel', source, 'user:default/p');
    const stale = await store.startJob(
      'cartwheel',
      source.id,
      'schedule',
      'plugin:infra-discovery',
    );
    await new Promise(r => setTimeout(r, 100));
    const fresh = await store.startJob(
      'cartwheel',
      source.id,
      'manual',
      'user:default/p',
    );
    expect(fresh.status).toBe('running');
    expect(await store.getJob('cartwheel', stale.id)).toMatchObject({
      status: 'failed',
      error: 'Abandoned: the backend stopped while the run was going on',
    });
  });

  it('pages the job history newest first and keeps tenants apart', async () => {
    const store = await setup(databaseId);
    await store.createSource('cartwheel', source, 'user:default/p');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const j = await store.startJob(
        'cartwheel',
        source.id,
        'manual',
        'user:default/p',
      );
      await store.finishJob('cartwheel', j.id, {
        status: 'succeeded',
        counts: { assets: i, edges: 0, added: 0, gone: 0 },
        warnings: [],
      });
      ids.push(j.id);
      await new Promise(r => setTimeout(r, 5));
    }
    const first = await store.listJobs('cartwheel', {
      sourceId: source.id,
      limit: 2,
    });
    const second = await store.listJobs('cartwheel', {
      sourceId: source.id,
      limit: 2,
      before: first.nextBefore,
    });
    const third = await store.listJobs('cartwheel', {
      sourceId: source.id,
      limit: 2,
      before: second.nextBefore,
    });
    expect(
      [...first.items, ...second.items, ...third.items].map(j => j.id),
    ).toEqual([...ids].reverse());
    expect(third.nextBefore).toBeUndefined();
    expect((await store.listJobs('harbor-bank', { limit: 10 })).items).toEqual(
      [],
    );
    await expect(store.getJob('harbor-bank', ids[0])).rejects.toThrow(
      /No discovery job/,
    );
    await expect(
      store.listJobs('cartwheel', { limit: 2, before: 'yesterday' }),
    ).rejects.toThrow(/Invalid paging cursor/);

    await store.deleteSource('cartwheel', source.id);
    expect((await store.listJobs('cartwheel', { limit: 10 })).items).toEqual(
      [],
    );
  });

  it('keeps the progress of a running job, and lists API sources that have a schedule', async () => {
    const store = await setup(databaseId);
    await store.createSource('cartwheel', source, 'user:default/priya.shah');
    await store.createSource(
      'cartwheel',
      { ...source, id: 'manual-only', schedule: undefined },
      'user:default/priya.shah',
    );
    await store.upsertSource(
      'harbor-bank',
      { ...source, id: 'from-config', schedule: '{"hours":1}' },
      'config:infra.discovery.sources',
    );
    const job = await store.startJob(
      'cartwheel',
      source.id,
      'manual',
      'user:default/priya.shah',
    );
    expect(job.progress).toBeUndefined();
    await store.reportProgress('cartwheel', job.id, {
      message: 'Read 40 assets',
      done: 10,
      total: 40,
      assets: 10,
      edges: 3,
    });
    expect((await store.getJob('cartwheel', job.id)).progress).toEqual({
      message: 'Read 40 assets',
      done: 10,
      total: 40,
      assets: 10,
      edges: 3,
    });
    // Another tenant's id does not reach the job.
    await store.reportProgress('harbor-bank', job.id, { assets: 99, edges: 0 });
    expect((await store.getJob('cartwheel', job.id)).progress?.assets).toBe(10);
    const finished = await store.finishJob('cartwheel', job.id, {
      status: 'succeeded',
      counts: { assets: 40, edges: 12, added: 40, gone: 0 },
      warnings: [],
    });
    expect(finished.progress).toBeUndefined();

    const due = await store.listScheduledApiSources();
    expect(due.map(d => `${d.source.tenantId}/${d.source.id}`)).toEqual([
      'cartwheel/storefront-state',
    ]);
    expect(Date.parse(due[0].lastStartedAt!)).toBe(Date.parse(job.startedAt));
    expect((await store.getSource('harbor-bank', 'from-config')).origin).toBe(
      'config',
    );

    const updated = await store.updateSource('cartwheel', source.id, {
      enabled: false,
      credentialId: null,
    });
    expect(updated.enabled).toBe(false);
    expect(updated.credentialId).toBeUndefined();
    expect(await store.listScheduledApiSources()).toEqual([]);
  });

  it('deletes a source with its graph in one transaction, refused while it runs', async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const store = await SourceStore.create({ database });
    const graph = await GraphStore.create({ database });
    await store.createSource('cartwheel', source, 'user:default/priya.shah');
    const estate = demoGraph('cartwheel', 'storefront-prod');
    await graph.replaceSourceGraph('cartwheel', source.id, estate);
    const job = await store.startJob(
      'cartwheel',
      source.id,
      'manual',
      'user:default/priya.shah',
    );
    const deleteWithGraph = () =>
      store.transaction(async stores => {
        const { gone } = await stores.graph.replaceSourceGraph(
          'cartwheel',
          source.id,
          { assets: [], edges: [] },
        );
        await stores.sources.deleteSource('cartwheel', source.id);
        return gone;
      });

    await expect(deleteWithGraph()).rejects.toThrow(/is running/);
    // Nothing changed: the assets marked gone inside the transaction are current again.
    const current = await graph.listAssets(['cartwheel'], {}, { limit: 500 });
    expect(current.total).toBe(estate.assets.length);
    expect((await store.getSource('cartwheel', source.id)).id).toBe(source.id);

    await store.finishJob('cartwheel', job.id, {
      status: 'succeeded',
      counts: { assets: 0, edges: 0, added: 0, gone: 0 },
      warnings: [],
    });
    expect(await deleteWithGraph()).toBe(estate.assets.length);
    await expect(store.getSource('cartwheel', source.id)).rejects.toThrow(
      /No discovery source/,
    );
    expect(
      (await graph.listAssets(['cartwheel'], {}, { limit: 500 })).total,
    ).toBe(0);
  });
});
