import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  COMPLIANCE_EVIDENCE_BUNDLE_FORMAT,
  verifyComplianceEvidence,
} from '@infra-hub/plugin-infra-change-common';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import {
  createInfraTestDatabases,
  onBehalfOfAwareMockAuth,
  PERSONAS,
  testVault,
} from '@infra-hub/test-utils';
import { Knex } from 'knex';
import path from 'node:path';
import request from 'supertest';
import { infraChangePlugin } from './plugin';

// Compliance evidence, sealed by change control: the compliance plugin keeps each evaluation's
// evidence and asks this plugin to sign its seal with the installation's keys (ML-DSA-65 and
// the key's Ed25519 companion); a downloaded bundle verifies offline against the key history.

const repo = path.resolve(__dirname, '../../..');
const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel
const TOMAS = PERSONAS.tomas; // security-analyst of cartwheel
const LI = PERSONAS.li; // auditor of cartwheel
const MARIA = PERSONAS.maria; // read-only in cartwheel
const OMAR = PERSONAS.omar; // tenant-admin of harbor-bank
const ALEX = PERSONAS.alex; // system-admin
const as = (ref: string) => mockCredentials.user.header(ref);
const compliance = '/api/infra-compliance/tenants/cartwheel';
const asPlugin = (pluginId: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(`plugin:${pluginId}`),
    targetPluginId: 'infra-change',
  });

const databases = createInfraTestDatabases();

async function start(knex: Knex, options: { vault?: boolean } = {}) {
  const { server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      eventsServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          infra: {
            security: {
              ...(options.vault === false ? {} : { vault: testVault(5) }),
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel',
                    members: {
                      'tenant-admin': [PRIYA],
                      'security-analyst': [TOMAS],
                      auditor: [LI],
                      'read-only': [MARIA],
                    },
                  },
                  'harbor-bank': {
                    title: 'Harbor',
                    members: { 'tenant-admin': [OMAR] },
                  },
                },
              },
            },
            discovery: {
              sources: {
                cartwheel: {
                  storefront: {
                    provider: 'terraform',
                    settings: {
                      type: 'file',
                      path: path.join(
                        repo,
                        'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
                      ),
                    },
                  },
                },
              },
            },
            compliance: { graphChangeDelaySeconds: 0 },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@infra-hub/plugin-infra-discovery-backend'),
      import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
      import('@infra-hub/plugin-infra-compliance-backend'),
      infraChangePlugin,
    ],
  });
  return server;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Waits for the evidence record of an evaluation. */
async function evidenceOf(server: any, evaluationId: string) {
  for (let i = 0; i < 300; i++) {
    const list = await request(server)
      .get(`${compliance}/evidence`)
      .set('Authorization', as(LI));
    const record = list.body.items?.find(
      (r: any) => r.evaluationId === evaluationId,
    );
    if (record && (record.sealed || record.sealError)) return record;
    await sleep(100);
  }
  throw new Error(`no evidence of evaluation ${evaluationId}`);
}

/**
 * Discovers the storefront; the graph change starts an evaluation of cartwheel, whose evidence
 * is returned. With `again`, the evidence of one more evaluation, started now.
 */
async function evaluatedEvidence(server: any, again = false) {
  if (!again) {
    const run = await request(server)
      .post('/api/infra-discovery/tenants/cartwheel/sources/storefront/runs')
      .set('Authorization', as(PRIYA));
    expect(run.status).toBe(202);
  }
  const before = new Set(
    (
      await request(server)
        .get(`${compliance}/evaluations`)
        .set('Authorization', as(LI))
    ).body.items.map((e: any) => e.id),
  );
  if (again) {
    const started = await request(server)
      .post(`${compliance}/evaluations`)
      .set('Authorization', as(PRIYA));
    expect(started.status).toBe(202);
    return evidenceOf(server, started.body.id);
  }
  for (let i = 0; i < 300; i++) {
    const list = await request(server)
      .get(`${compliance}/evaluations`)
      .set('Authorization', as(LI));
    const done = list.body.items?.find(
      (e: any) => e.status === 'succeeded' && e.assets > 0 && !before.has(e.id),
    );
    if (done) return evidenceOf(server, done.id);
    await sleep(100);
  }
  throw new Error('cartwheel was not evaluated');
}

const bundleUrl = (evaluationId: string, framework: string, control?: string) =>
  `${compliance}/evidence/${evaluationId}/bundle?framework=${framework}${
    control ? `&control=${control}` : ''
  }`;

describe.each(databases.eachSupportedId())(
  'compliance evidence sealed by change control on %s',
  databaseId => {
    it('seals each evaluation with both algorithms; the bundles verify offline, an altered one does not', async () => {
      const knex = await databases.init(databaseId);
      const server = await start(knex);
      const record = await evaluatedEvidence(server);
      expect(record).toMatchObject({
        sealed: true,
        controls: expect.any(Number),
      });
      expect(record.frameworks).toContain('nist-800-53-r5');
      expect(record.sealError).toBeUndefined();

      // The key history: the active key has its Ed25519 companion.
      const keys = await request(server)
        .get('/api/infra-change/signing-keys')
        .set('Authorization', as(LI));
      expect(keys.body.items).toHaveLength(1);
      expect(keys.body.items[0]).toMatchObject({
        keyId: record.keyId,
        ed25519: {
          publicKey: expect.any(String),
          binding: expect.any(String),
          proof: expect.any(String),
        },
      });
      const keyFile = JSON.stringify(keys.body);

      // A framework's bundle and one control's: both valid against the key file, and against
      // the first key id alone.
      const framework = await request(server)
        .get(bundleUrl(record.evaluationId, 'nist-800-53-r5'))
        .set('Authorization', as(LI));
      expect(framework.status).toBe(200);
      expect(framework.headers['content-disposition']).toMatch(
        /attachment; filename="evidence-cartwheel-nist-800-53-r5-/,
      );
      const text = framework.text;
      expect(JSON.parse(text).format).toBe(COMPLIANCE_EVIDENCE_BUNDLE_FORMAT);
      for (const trust of [
        { keyFile },
        { trustKeyId: keys.body.items[0].keyId },
      ]) {
        const result = verifyComplianceEvidence(text, trust);
        expect(result.checks.filter(c => !c.ok)).toEqual([]);
        expect(result.valid).toBe(true);
      }
      const bundle = JSON.parse(text);
      // The storefront's buckets and database fail encryption and exposure rules: a failing
      // control, with the failing resource in the results it rests on.
      const failing = bundle.manifest.controls.find(
        (c: any) => c.framework === 'nist-800-53-r5' && c.status === 'failing',
      );
      expect(failing).toBeDefined();
      const one = await request(server)
        .get(bundleUrl('latest', 'nist-800-53-r5', failing.control))
        .set('Authorization', as(TOMAS));
      expect(one.status).toBe(200);
      const oneResult = verifyComplianceEvidence(one.text, { keyFile });
      expect(oneResult.valid).toBe(true);
      const oneBundle = JSON.parse(one.text);
      expect(oneBundle.scope).toEqual({
        framework: 'nist-800-53-r5',
        control: failing.control,
      });
      expect(
        oneBundle.ruleResults
          .flatMap((s: any) => s.results)
          .some((r: any) => r.status === 'fail'),
      ).toBe(true);

      // Turning a failed result into a pass is caught, however carefully it is re-written.
      const altered = JSON.parse(one.text);
      for (const s of altered.ruleResults)
        for (const r of s.results) if (r.status === 'fail') r.status = 'pass';
      expect(
        verifyComplianceEvidence(canonicalJson(altered), { keyFile }).valid,
      ).toBe(false);

      // A second evaluation of an unchanged estate stores no new snapshots, and is sealed too.
      const second = await evaluatedEvidence(server, true);
      expect(second.sealed).toBe(true);
      const blobs = await knex('infra_compliance_evidence_blobs')
        .where({ tenant_id: 'cartwheel' })
        .count({ n: '*' });
      const rules = (
        await request(server)
          .get('/api/infra-compliance/rules')
          .set('Authorization', as(LI))
      ).body.rules.length;
      expect(Number(blobs[0].n)).toBe(rules);

      // Each seal is audited in the tenant; each signature is an audited use of the vault.
      const audit = await request(server)
        .get(
          '/api/infra-security/audit/cartwheel/events?action=compliance.evidence.sealed',
        )
        .set('Authorization', as(PRIYA));
      expect(audit.body.items.map((e: any) => e.subject)).toEqual(
        expect.arrayContaining([record.evaluationId, second.evaluationId]),
      );
    });

    it('refuses every caller but the compliance plugin at the signing route, and what is not a seal', async () => {
      const knex = await databases.init(databaseId);
      const server = await start(knex);
      const seal = {
        type: 'infra-hub.compliance-evidence/1',
        tenant: 'cartwheel',
        evaluationId: '0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f',
        finishedAt: '2026-12-01T10:00:02.000Z',
        manifestSha256: 'a'.repeat(64),
      };
      const sign = (authorization: string, body: unknown = seal) =>
        request(server)
          .post('/api/infra-change/signatures/compliance-evidence')
          .set('Authorization', authorization)
          .send(body as object);
      const mint = async (tenant: string, who: string, role: string) =>
        `Bearer ${
          (
            await request(server)
              .post(`/api/infra-security/tenants/${tenant}/api-keys`)
              .set('Authorization', as(who))
              .send({ name: `k-${role}`, role })
          ).body.token
        }`;
      for (const [who, status] of [
        [as(PRIYA), 403],
        [as(ALEX), 403],
        [as(OMAR), 403],
        [await mint('cartwheel', PRIYA, 'tenant-admin'), 403],
        [await mint('harbor-bank', OMAR, 'tenant-admin'), 403],
        [asPlugin('catalog'), 403],
        [mockCredentials.service.header(), 403],
        [mockCredentials.none.header(), 401],
      ] as const) {
        const res = await sign(who);
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      // The compliance plugin gets a seal signed, and only a seal: an approval is refused.
      const ok = await sign(asPlugin('infra-compliance'));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        algorithms: ['ML-DSA-65', 'Ed25519'],
        mlDsa65: expect.any(String),
        ed25519: expect.any(String),
      });
      for (const bad of [
        { ...seal, type: 'infra-hub.cab-approval/1' },
        { ...seal, manifestSha256: 'nothex' },
        { ...seal, tenant: 'Cartwheel!' },
        { ...seal, extra: 1 },
        { type: seal.type },
      ]) {
        const res = await sign(asPlugin('infra-compliance'), bad);
        expect(res.status).toBe(400);
      }
      // Refused calls signed nothing: one signing-key creation, two vault uses per signature.
      const uses = await request(server)
        .get('/api/infra-security/audit/system/events?action=credential.used')
        .set('Authorization', as(ALEX));
      expect(uses.status).toBe(200);
      const purposes = uses.body.items
        .map((e: any) => e.details?.purpose)
        .filter((p: string) => p?.startsWith('compliance evidence'));
      expect(purposes).toHaveLength(2);
    });

    it('gives a key made before companions existed its Ed25519 companion on first use', async () => {
      const knex = await databases.init(databaseId);
      const server = await start(knex);
      const seal = {
        type: 'infra-hub.compliance-evidence/1',
        tenant: 'cartwheel',
        evaluationId: '0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f',
        finishedAt: '2026-12-01T10:00:02.000Z',
        manifestSha256: 'b'.repeat(64),
      };
      const sign = () =>
        request(server)
          .post('/api/infra-change/signatures/compliance-evidence')
          .set('Authorization', asPlugin('infra-compliance'))
          .send(seal);
      expect((await sign()).status).toBe(200);
      // The key as an older installation has it: no companion.
      await knex('infra_signing_keys').update({
        ed25519_public_key: null,
        ed25519_credential_id: null,
        ed25519_created_at: null,
        ed25519_binding: null,
        ed25519_proof: null,
      });
      const history = async () =>
        (
          await request(server)
            .get('/api/infra-change/signing-keys')
            .set('Authorization', as(LI))
        ).body;
      expect((await history()).items[0].ed25519).toBeUndefined();
      const signed = await sign();
      expect(signed.status).toBe(200);
      const after = await history();
      expect(after.items).toHaveLength(1);
      expect(after.items[0].keyId).toBe(signed.body.keyId);
      expect(after.items[0].ed25519.publicKey).toEqual(expect.any(String));
      const added = await request(server)
        .get(
          '/api/infra-security/audit/system/events?action=signing-key.ed25519-added',
        )
        .set('Authorization', as(ALEX));
      expect(added.body.items).toHaveLength(2);
    });

    it('keeps evidence unsealed when change control cannot sign, and seals it when asked', async () => {
      const knex = await databases.init(databaseId);
      // No vault key: change control cannot sign.
      const server = await start(knex, { vault: false });
      const record = await evaluatedEvidence(server);
      expect(record.sealed).toBe(false);
      expect(record.sealError).toMatch(
        /Change control could not sign the seal/,
      );
      const download = await request(server)
        .get(bundleUrl(record.evaluationId, 'nist-800-53-r5'))
        .set('Authorization', as(LI));
      expect(download.status).toBe(409);
      expect(download.body.error.message).toMatch(/not sealed yet/);
      expect(
        (
          await request(server)
            .get(bundleUrl('latest', 'nist-800-53-r5'))
            .set('Authorization', as(LI))
        ).status,
      ).toBe(404);
      const retry = await request(server)
        .post(`${compliance}/evidence/${record.evaluationId}/seal`)
        .set('Authorization', as(TOMAS));
      expect(retry.status).toBe(503);
    });

    it('shows evidence only to those with evidence.read in the tenant; sealing needs evidence.write', async () => {
      const knex = await databases.init(databaseId);
      const server = await start(knex);
      const record = await evaluatedEvidence(server);
      const reads = [
        `${compliance}/evidence`,
        bundleUrl(record.evaluationId, 'nist-800-53-r5'),
        bundleUrl('latest', 'soc2'),
      ];
      const seal = `${compliance}/evidence/${record.evaluationId}/seal`;
      const mint = async (tenant: string, who: string, role: string) =>
        `Bearer ${
          (
            await request(server)
              .post(`/api/infra-security/tenants/${tenant}/api-keys`)
              .set('Authorization', as(who))
              .send({ name: `k-${role}`, role })
          ).body.token
        }`;
      const auditorKey = await mint('cartwheel', PRIYA, 'auditor');
      const readOnlyKey = await mint('cartwheel', PRIYA, 'read-only');
      const harborKey = await mint('harbor-bank', OMAR, 'tenant-admin');
      for (const url of reads) {
        for (const [who, status] of [
          [as(PRIYA), 200],
          [as(TOMAS), 200],
          [as(LI), 200],
          [auditorKey, 200],
          [as(MARIA), 403],
          [readOnlyKey, 403],
          [as(OMAR), 403],
          [harborKey, 403],
          [as(ALEX), 403],
          [mockCredentials.none.header(), 401],
        ] as const) {
          const res = await request(server).get(url).set('Authorization', who);
          expect({ url, who, status: res.status }).toEqual({
            url,
            who,
            status,
          });
        }
      }
      for (const [who, status] of [
        [as(TOMAS), 200],
        [as(LI), 403],
        [auditorKey, 403],
        [as(OMAR), 403],
        [harborKey, 403],
        [mockCredentials.none.header(), 401],
      ] as const) {
        const res = await request(server).post(seal).set('Authorization', who);
        expect({ who, status: res.status }).toEqual({ who, status });
      }
      // Harbor's own evidence routes show nothing of cartwheel's.
      const harbor = await request(server)
        .get(
          `/api/infra-compliance/tenants/harbor-bank/evidence/${record.evaluationId}/bundle?framework=soc2`,
        )
        .set('Authorization', as(OMAR));
      expect(harbor.status).toBe(404);

      // Bad input: a clear 4xx naming what is wrong.
      for (const [url, status, message] of [
        [
          bundleUrl(record.evaluationId, 'no-such-framework'),
          400,
          /framework 'no-such-framework' is not in the evidence/,
        ],
        [
          bundleUrl(record.evaluationId, 'nist-800-53-r5', 'zz-99'),
          400,
          /control 'zz-99' is not a control of framework/,
        ],
        [
          `${compliance}/evidence/${record.evaluationId}/bundle`,
          400,
          /framework/,
        ],
        [
          `${compliance}/evidence/not-an-id/bundle?framework=soc2`,
          400,
          /evaluationId/,
        ],
        [
          bundleUrl('00000000-0000-4000-8000-000000000000', 'soc2'),
          404,
          /No evidence of evaluation/,
        ],
        [`${compliance}/evidence?before=yesterday`, 400, /before/],
        [`${compliance}/evidence?limit=0`, 400, /limit/],
      ] as const) {
        const res = await request(server).get(url).set('Authorization', as(LI));
        expect({ url, status: res.status }).toEqual({ url, status });
        expect(res.body.error.message).toMatch(message);
      }
    });
  },
);
