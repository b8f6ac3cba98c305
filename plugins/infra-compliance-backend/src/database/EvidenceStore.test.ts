import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { EvidenceStore } from './EvidenceStore';

const databases = createInfraTestDatabases();

describe.each(databases.eachSupportedId())('EvidenceStore on %s', id => {
  it('stores each snapshot once, pages newest first, seals once, keeps tenants apart', async () => {
    const knex = await databases.init(id);
    const store = await EvidenceStore.create({
      database: { getClient: async () => knex } as any,
    });
    const evidence = (n: number) => ({
      evaluationId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      evaluatedAt: new Date(Date.UTC(2026, 11, 1, 10, n)),
      ruleSetVersion: 'v1',
      controls: 3,
      frameworks: ['soc2'],
      manifest: `{"n":${n}}`,
    });
    const blobs = (...shas: string[]) =>
      new Map(shas.map(sha => [sha.repeat(64), `{"sha":"${sha}"}`]));

    expect(await store.add('cartwheel', evidence(1), blobs('a', 'b'))).toEqual({
      newSnapshots: 2,
    });
    // An unchanged rule's snapshot is not stored again.
    expect(await store.add('cartwheel', evidence(2), blobs('a', 'c'))).toEqual({
      newSnapshots: 1,
    });
    // Another tenant's identical snapshot is its own.
    expect(await store.add('harbor-bank', evidence(3), blobs('a'))).toEqual({
      newSnapshots: 1,
    });

    const page1 = await store.list('cartwheel', { limit: 1 });
    expect(page1.map(r => r.evaluationId)).toEqual([evidence(2).evaluationId]);
    const page2 = await store.list('cartwheel', {
      limit: 1,
      before: new Date(page1[0].evaluatedAt),
    });
    expect(page2.map(r => r.evaluationId)).toEqual([evidence(1).evaluationId]);
    expect(page2[0]).toMatchObject({ sealed: false, frameworks: ['soc2'] });

    await store.sealFailed('cartwheel', evidence(1).evaluationId, 'vault down');
    expect(
      (await store.unsealed('cartwheel', 10)).map(r => [
        r.evaluationId,
        r.sealError,
      ]),
    ).toEqual([
      [evidence(1).evaluationId, 'vault down'],
      [evidence(2).evaluationId, undefined],
    ]);
    const at = new Date();
    expect(
      await store.sealed(
        'cartwheel',
        evidence(1).evaluationId,
        { keyId: 'mldsa65:k', text: '{"sig":1}' },
        at,
      ),
    ).toBe(true);
    // A second seal does not replace the first.
    expect(
      await store.sealed(
        'cartwheel',
        evidence(1).evaluationId,
        { keyId: 'mldsa65:other', text: '{"sig":2}' },
        at,
      ),
    ).toBe(false);
    const sealed = await store.get('cartwheel', evidence(1).evaluationId);
    expect(sealed).toMatchObject({
      sealed: true,
      keyId: 'mldsa65:k',
      signature: '{"sig":1}',
      manifest: '{"n":1}',
    });
    expect(sealed!.sealError).toBeUndefined();
    expect(
      (await store.latest('cartwheel', { sealedOnly: true }))?.evaluationId,
    ).toBe(evidence(1).evaluationId);
    expect((await store.latest('cartwheel'))?.evaluationId).toBe(
      evidence(2).evaluationId,
    );

    // Another tenant sees none of it.
    expect(
      await store.get('harbor-bank', evidence(1).evaluationId),
    ).toBeUndefined();
    expect([
      ...(
        await store.blobs('harbor-bank', ['b'.repeat(64), 'a'.repeat(64)])
      ).keys(),
    ]).toEqual(['a'.repeat(64)]);

    expect(await store.purgeTenant('cartwheel')).toEqual({
      evidence: 2,
      evidenceBlobs: 3,
    });
    expect(await store.list('harbor-bank', { limit: 10 })).toHaveLength(1);
  });
});
