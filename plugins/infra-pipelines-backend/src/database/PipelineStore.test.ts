import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import { describe, expect, it } from 'vitest';
import { RunUpdate } from '../providers';
import { PipelineStore } from './PipelineStore';

const databases = createInfraTestDatabases();

const run = (
  externalId: string,
  minute: number,
  overrides: Partial<RunUpdate> = {},
): RunUpdate => ({
  repository: 'cartwheel/storefront-infra',
  pipeline: 'terraform',
  externalId,
  status: 'running',
  queuedAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
  startedAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:30.000Z`,
  updatedAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:30.000Z`,
  ...overrides,
});

const connection = { id: 'github', provider: 'github' as const };
const links = { entityRefs: ['component:default/a'], module: 'm' };

describe.each(databases.eachSupportedId())('PipelineStore on %s', id => {
  it('keeps runs per tenant, newer reports win, pages by keyset, expires old history', async () => {
    const knex = await databases.init(id);
    const store = await PipelineStore.create({
      database: { getClient: async () => knex } as any,
    });
    const first = await store.upsertRun(
      'cartwheel',
      connection,
      run('1', 1),
      links,
      'webhook',
    );
    expect(first.changed).toBe(true);
    // An older report (out of order) changes nothing; a newer one finishes the run.
    const stale = await store.upsertRun(
      'cartwheel',
      connection,
      run('1', 1, { status: 'queued', updatedAt: '2026-12-01T10:00:00.000Z' }),
      links,
      'webhook',
    );
    expect(stale).toMatchObject({ changed: false, run: { status: 'running' } });
    const done = await store.upsertRun(
      'cartwheel',
      connection,
      run('1', 1, {
        status: 'failed',
        startedAt: undefined,
        finishedAt: '2026-12-01T10:06:30.000Z',
        updatedAt: '2026-12-01T10:06:30.000Z',
        jobs: [{ externalId: 'j1', name: 'plan', status: 'failed' }],
      }),
      links,
      'webhook',
    );
    expect(done.run).toMatchObject({
      id: first.run.id,
      status: 'failed',
      durationMs: 300_000,
    });
    for (let i = 2; i <= 5; i++) {
      await store.upsertRun(
        'cartwheel',
        connection,
        run(String(i), i * 2),
        links,
        'pull',
      );
    }
    await store.upsertRun(
      'harbor-bank',
      connection,
      run('1', 1),
      { entityRefs: ['component:default/h'] },
      'webhook',
    );

    const newest = await store.listRuns('cartwheel', { limit: 10 });
    expect(newest.items.map(r => r.externalId)).toEqual([
      '5',
      '4',
      '3',
      '2',
      '1',
    ]);
    const failedFirst = await store.listRuns('cartwheel', {
      limit: 10,
      failedFirst: true,
    });
    expect(failedFirst.items.map(r => r.externalId)).toEqual([
      '1',
      '5',
      '4',
      '3',
      '2',
    ]);
    for (const failed of [false, true]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listRuns('cartwheel', {
          limit: 2,
          failedFirst: failed,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map(r => r.externalId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(
        (failed ? failedFirst : newest).items.map(r => r.externalId),
      );
    }
    expect(
      (
        await store.listRuns('cartwheel', {
          limit: 10,
          entityRef: 'component:default/h',
        })
      ).items,
    ).toEqual([]);
    const detail = await store.run('cartwheel', first.run.id);
    expect(detail?.jobs).toEqual([
      { id: 'j1', name: 'plan', status: 'failed' },
    ]);
    expect(await store.run('harbor-bank', first.run.id)).toBeUndefined();

    // Deliveries: the same id twice is a replay, per connection and tenant.
    expect(
      await store.recordDelivery('cartwheel', 'github', {
        id: 'd1',
        event: 'e',
        outcome: 'ok',
      }),
    ).toBe(true);
    expect(
      await store.recordDelivery('cartwheel', 'github', {
        id: 'd1',
        event: 'e',
        outcome: 'ok',
      }),
    ).toBe(false);
    expect(
      await store.recordDelivery('harbor-bank', 'github', {
        id: 'd1',
        event: 'e',
        outcome: 'ok',
      }),
    ).toBe(true);

    const expired = await store.expire(new Date('2026-12-01T10:05:00.000Z'));
    expect(expired.runs).toBe(3);
    expect(
      (await store.listRuns('cartwheel', { limit: 10 })).items.map(
        r => r.externalId,
      ),
    ).toEqual(['5', '4', '3']);
    expect(await store.purgeTenant('cartwheel')).toMatchObject({
      pipelineRuns: 3,
    });
    expect((await store.listRuns('harbor-bank', { limit: 10 })).items).toEqual(
      [],
    );
  });

  it('migrates up and down', async () => {
    const knex = await databases.init(id);
    const tables = [
      'infra_pipeline_connections',
      'infra_pipeline_runs',
      'infra_pipeline_run_entities',
      'infra_pipeline_jobs',
      'infra_pipeline_deliveries',
    ];
    const result = await migrateUpAndDown(knex, {
      packageName: '@infra-hub/plugin-infra-pipelines-backend',
      tableName: 'infra_pipelines_knex_migrations',
      tables,
    });
    expect(result.afterUp).toEqual(tables);
    expect(result.afterDown).toEqual([]);
    expect(result.afterUpAgain).toEqual(tables);
  });
});
