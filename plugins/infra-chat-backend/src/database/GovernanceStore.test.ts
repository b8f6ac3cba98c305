import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { describe, expect, it } from 'vitest';
import { GovernanceStore } from './GovernanceStore';

const databases = createInfraTestDatabases();

const call = (
  at: string,
  team: string,
  tokensIn: number,
  outcome: 'ok' | 'refused' | 'error' = 'ok',
) => ({
  at,
  actor: 'user:default/a',
  team,
  feature: 'chat' as const,
  model: 'm',
  tokensIn,
  tokensOut: 10,
  cost: 0.5,
  latencyMs: 20,
  outcome,
});

describe.each(databases.eachSupportedId())('GovernanceStore on %s', id => {
  it('logs calls, sums a team’s month, summarises per team and month, keeps policies per tenant', async () => {
    const knex = await databases.init(id);
    const store = await GovernanceStore.create({
      database: { getClient: async () => knex } as any,
    });
    await store.record(
      'cartwheel',
      call('2026-11-30T23:59:59Z', 'default', 100),
    );
    await store.record(
      'cartwheel',
      call('2026-12-01T00:00:00Z', 'default', 200),
    );
    await store.record(
      'cartwheel',
      call('2026-12-15T10:00:00Z', 'group:default/sre', 50, 'refused'),
    );
    await store.record(
      'harbor-bank',
      call('2026-12-02T00:00:00Z', 'default', 999),
    );

    expect(
      await store.tokensUsed(
        'cartwheel',
        'default',
        new Date('2026-12-20T00:00:00Z'),
      ),
    ).toBe(210);
    expect(
      await store.tokensUsed(
        'cartwheel',
        'default',
        new Date('2026-11-02T00:00:00Z'),
      ),
    ).toBe(110);

    const december = await store.list('cartwheel', {
      month: '2026-12',
      limit: 1,
    });
    expect(december.items.map(i => i.team)).toEqual(['group:default/sre']);
    const next = await store.list('cartwheel', {
      month: '2026-12',
      limit: 1,
      after: december.nextAfter,
    });
    expect(next.items.map(i => i.tokensIn)).toEqual([200]);
    expect(next.nextAfter).toBeUndefined();

    expect(
      await store.summary('cartwheel', new Date('2026-01-01T00:00:00Z')),
    ).toEqual([
      {
        month: '2026-12',
        team: 'default',
        calls: 1,
        refused: 0,
        errors: 0,
        tokensIn: 200,
        tokensOut: 10,
        cost: 0.5,
      },
      {
        month: '2026-12',
        team: 'group:default/sre',
        calls: 0,
        refused: 1,
        errors: 0,
        tokensIn: 50,
        tokensOut: 10,
        cost: 0.5,
      },
      {
        month: '2026-11',
        team: 'default',
        calls: 1,
        refused: 0,
        errors: 0,
        tokensIn: 100,
        tokensOut: 10,
        cost: 0.5,
      },
    ]);

    const policy = {
      features: ['chat' as const],
      models: [],
      dataClasses: ['catalog' as const],
      monthlyTokenBudget: 5000,
    };
    await store.setPolicy('cartwheel', 'default', policy, 'user:default/admin');
    await store.setPolicy(
      'cartwheel',
      'default',
      { ...policy, monthlyTokenBudget: null },
      'user:default/admin',
    );
    const [stored] = await store.policies('cartwheel');
    expect(stored).toMatchObject({
      team: 'default',
      features: ['chat'],
      dataClasses: ['catalog'],
    });
    expect(stored.monthlyTokenBudget).toBeUndefined();
    expect(await store.policies('harbor-bank')).toEqual([]);
    expect(await store.deletePolicy('harbor-bank', 'default')).toBe(false);
    expect(await store.purgeTenant('cartwheel')).toEqual({
      aiUsage: 3,
      aiPolicies: 1,
    });
    expect((await store.list('harbor-bank', { limit: 10 })).items).toHaveLength(
      1,
    );
  });
});
