import {
  createInfraTestDatabases,
  migrateUpAndDown,
} from '@infra-hub/test-utils';
import {
  COMPLIANCE_MIGRATIONS,
  ComplianceStore,
  FailingResult,
} from './ComplianceStore';

const databases = createInfraTestDatabases();
const TABLES = [
  'infra_compliance_evaluations',
  'infra_compliance_evidence',
  'infra_compliance_evidence_blobs',
  'infra_compliance_finding_events',
  'infra_compliance_findings',
  'infra_compliance_frameworks',
  'infra_compliance_poam_events',
  'infra_compliance_poam_items',
  'infra_compliance_posture',
];

const failing = (
  resource: string,
  severity: FailingResult['severity'] = 'high',
): FailingResult => ({
  id: `${resource.padEnd(32, '0')}`.slice(0, 32),
  ruleId: 'aws-s3-bucket-encryption',
  title: 'S3 bucket encrypts objects at rest',
  severity,
  resourceId: `aws:1:eu-west-1:aws_s3_bucket:${resource}`,
  resourceType: 'aws_s3_bucket',
  resourceName: resource,
  controls: { 'nist-800-53-r5': ['sc-28'] },
  remediation: 'Encrypt it.',
});

describe.each(databases.eachSupportedId())('ComplianceStore on %s', id => {
  it('migrates up, all the way down, and up again', async () => {
    const knex = await databases.init(id);
    const result = await migrateUpAndDown(knex, {
      ...COMPLIANCE_MIGRATIONS,
      tables: TABLES,
    });
    expect(result.afterUp).toEqual(TABLES);
    expect(result.afterDown).toEqual([]);
    expect(result.afterUpAgain).toEqual(TABLES);
  });

  it('keeps each finding through evaluations: opened, resolved, reopened, suppression expiry; per tenant', async () => {
    const knex = await databases.init(id);
    const store = await ComplianceStore.create({
      database: { getClient: async () => knex } as any,
    });
    let n = 0;
    const evaluate = async (
      tenantId: string,
      results: FailingResult[],
      at: Date,
    ) => {
      const evaluationId = `00000000-0000-4000-8000-${String(++n).padStart(
        12,
        '0',
      )}`;
      await store.startEvaluation({
        tenantId,
        id: evaluationId,
        trigger: 'manual',
        actor: 'test',
        ruleSetVersion: 'v1',
        startedAt: at,
      });
      const outcome = await store.completeEvaluation({
        tenantId,
        evaluationId,
        at,
        assets: results.length,
        summary: {
          counts: { pass: 0, fail: results.length, unknown: 0, error: 0 },
          frameworks: [],
        },
        failing: results,
        posture: [],
      });
      return { evaluationId, ...outcome };
    };
    const day = (d: number) => new Date(Date.UTC(2026, 11, d));
    const a = failing('alpha', 'critical');
    const b = failing('bravo');

    expect(await evaluate('cartwheel', [a, b], day(1))).toMatchObject({
      opened: 2,
      resolved: 0,
    });
    // The same finding ids in another tenant are that tenant's own rows.
    expect(await evaluate('harbor-bank', [a], day(1))).toMatchObject({
      opened: 1,
    });
    expect(await evaluate('cartwheel', [a], day(2))).toMatchObject({
      opened: 0,
      resolved: 1,
    });
    expect(await evaluate('cartwheel', [a, b], day(3))).toMatchObject({
      reopened: 1,
    });

    await store.suppress('cartwheel', a.id, {
      reason: 'accepted until the migration',
      expiresAt: day(5).toISOString(),
      approver: 'user:default/priya.shah',
      at: day(3).toISOString(),
    });
    await evaluate('cartwheel', [a, b], day(4));
    expect((await store.finding('cartwheel', a.id)).status).toBe('suppressed');
    // Past its expiry, the next evaluation opens it again.
    await evaluate('cartwheel', [a, b], day(6));
    const reopened = await store.finding('cartwheel', a.id);
    expect(reopened.status).toBe('open');
    expect(reopened.suppression).toBeUndefined();
    expect(reopened.history.map(h => h.kind)).toEqual([
      'opened',
      'suppressed',
      'expired',
    ]);
    expect(reopened.firstSeenAt).toBe(day(1).toISOString());
    expect(reopened.lastSeenAt).toBe(day(6).toISOString());

    // An expiry that passes between evaluations opens it at the next read.
    await store.suppress('cartwheel', b.id, {
      reason: 'r',
      expiresAt: day(7).toISOString(),
      approver: 'user:default/priya.shah',
      at: day(6).toISOString(),
    });
    expect(await store.expireSuppressions('cartwheel', day(6))).toBe(0);
    expect(await store.expireSuppressions('cartwheel', day(8))).toBe(1);
    expect((await store.finding('cartwheel', b.id)).status).toBe('open');

    const bravo = await store.finding('cartwheel', b.id);
    expect(bravo.history.map(h => h.kind)).toEqual([
      'opened',
      'resolved',
      'reopened',
      'suppressed',
      'expired',
    ]);
    const list = await store.listFindings('cartwheel', {}, { limit: 10 });
    expect(list.items.map(f => f.id)).toEqual([a.id, b.id]);
    expect(
      (await store.listFindings('harbor-bank', {}, { limit: 10 })).total,
    ).toBe(1);
    expect(await store.evaluatedTenants()).toEqual([
      'cartwheel',
      'harbor-bank',
    ]);

    // A finished evaluation cannot be completed twice.
    await expect(
      store.completeEvaluation({
        tenantId: 'cartwheel',
        evaluationId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        at: day(9),
        assets: 0,
        summary: {},
        failing: [],
        posture: [],
      }),
    ).rejects.toThrow(/not running/);
    // ...and changed nothing: alpha is still open.
    expect((await store.finding('cartwheel', a.id)).status).toBe('open');

    expect(await store.purgeTenant('cartwheel')).toMatchObject({ findings: 2 });
    expect(
      (await store.listFindings('harbor-bank', {}, { limit: 10 })).total,
    ).toBe(1);
  });
});
