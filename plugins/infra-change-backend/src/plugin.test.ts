import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { verifyEvidenceBundle } from '@infra-hub/plugin-infra-change-common';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import {
  createInfraTestDatabases,
  deleteTenantAndAwaitPurge,
  onBehalfOfAwareMockAuth,
  PERSONAS,
  testVault,
} from '@infra-hub/test-utils';
import { Knex } from 'knex';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { infraChangePlugin } from './plugin';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel: the requester
const DANA = PERSONAS.dana; // tenant-admin of cartwheel
const EVE = PERSONAS.eve; // tenant-admin of cartwheel
const TOMAS = PERSONAS.tomas; // security-analyst of cartwheel
const LI = PERSONAS.li; // auditor of cartwheel
const OMAR = PERSONAS.omar; // tenant-admin of harbor-bank
const ALEX = PERSONAS.alex; // system-admin
const as = (ref: string) => mockCredentials.user.header(ref);
const api = '/api/infra-change/tenants/cartwheel';

const demoPlan = fs.readFileSync(
  path.join(
    repo,
    'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
  ),
  'utf8',
);

const partnerPlan = () =>
  fs.readFileSync(
    path.join(
      repo,
      'examples/terraform/cartwheel/plans/partner-gateway.plan.json',
    ),
    'utf8',
  );

/** The partner gateway plan without its security group: a database and buckets only. */
function partnerWithoutSsh() {
  const plan = JSON.parse(partnerPlan());
  plan.resource_changes = plan.resource_changes.filter(
    (c: any) => c.type !== 'aws_security_group',
  );
  return JSON.stringify(plan);
}

const databases = createInfraTestDatabases();

async function start(
  knex: Knex,
  options: {
    vault?: boolean;
    maxPlanMegabytes?: number;
    compliance?: boolean;
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      // One events service for all plugins, as in the portal (tenant lifecycle events).
      eventsServiceFactory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          infra: {
            security: {
              ...(options.vault === false
                ? {}
                : {
                    vault: testVault(3),
                  }),
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel',
                    members: {
                      'tenant-admin': [PRIYA, DANA, EVE],
                      'security-analyst': [TOMAS],
                      auditor: [LI],
                      'read-only': [PERSONAS.maria],
                    },
                  },
                  'harbor-bank': {
                    title: 'Harbor',
                    members: { 'tenant-admin': [OMAR] },
                  },
                },
              },
            },
            ...(options.maxPlanMegabytes
              ? { change: { maxPlanMegabytes: options.maxPlanMegabytes } }
              : {}),
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      infraChangePlugin,
      ...(options.compliance
        ? [import('@infra-hub/plugin-infra-compliance-backend')]
        : []),
    ],
  });
  return server;
}

async function upload(
  server: any,
  who = PRIYA,
  body = demoPlan,
  module = 'storefront-prod',
) {
  return request(server)
    .post(`${api}/plans?module=${module}`)
    .set('Authorization', as(who))
    .set('Content-Type', 'application/json')
    .send(body);
}

async function pendingChange(server: any) {
  const plan = await upload(server);
  const created = await request(server)
    .post(`${api}/change-requests`)
    .set('Authorization', as(PRIYA))
    .send({
      planId: plan.body.id,
      rollbackNote: 'Re-apply the previous plan from the tag before.',
      submit: true,
    });
  expect(created.status).toBe(201);
  return created.body;
}

const decide = (server: any, id: string, who: string, decision = 'approve') =>
  request(server)
    .post(`${api}/change-requests/${id}/decisions`)
    .set('Authorization', as(who))
    .send({ decision, comment: `${decision} by ${who}` });

describe.each(databases.eachSupportedId())('infra-change on %s', databaseId => {
  it('asks compliance about each plan: findings on the plan and the change request, and a risk that needs more approvers', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex, { compliance: true });
    const partner = partnerPlan();
    const stored = await upload(server, PRIYA, partner, 'partner-gateway');
    expect(stored.status).toBe(201);
    expect(stored.body.compliance).toMatchObject({
      status: 'checked',
      ruleSetVersion: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const failing = stored.body.compliance.findings.filter(
      (f: any) => f.status === 'fail',
    );
    const rules = failing.map((f: any) => `${f.ruleId} ${f.address}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'aws-rds-instance-public aws_db_instance.partners',
        'aws-rds-instance-encrypted aws_db_instance.partners',
        'aws-s3-bucket-encryption aws_s3_bucket.exports',
        'aws-sg-ssh-open aws_security_group.admin',
      ]),
    );
    expect(stored.body.risk).toBe('critical');
    expect(stored.body.summary.reasons.join('\n')).toMatch(
      /critical compliance finding: /,
    );
    expect(stored.body.summary.text).toMatch(/Compliance: \d+ failing/);
    const db = stored.body.summary.resources.find(
      (r: any) => r.address === 'aws_db_instance.partners',
    );
    expect(db.risk).toBe('critical');
    expect(db.reasons.join(' ')).toMatch(/fails aws-rds-instance-public/);

    const detail = await request(server)
      .get(`${api}/plans/${stored.body.id}`)
      .set('Authorization', as(LI));
    expect(detail.body.compliance.findings).toEqual(
      stored.body.compliance.findings,
    );
    const change = await request(server)
      .post(`${api}/change-requests`)
      .set('Authorization', as(PRIYA))
      .send({
        planId: stored.body.id,
        rollbackNote: 'Destroy the partner gateway stack.',
        submit: true,
      });
    expect(change.body).toMatchObject({
      risk: 'critical',
      requiredApprovals: 2,
    });

    // Without its open SSH rule the classifier alone rates the plan low (see the next test); a
    // public, unencrypted database and an unencrypted bucket make it critical.
    const quiet = await upload(
      server,
      PRIYA,
      partnerWithoutSsh(),
      'partner-gateway',
    );
    expect(quiet.body.risk).toBe('critical');
    expect(quiet.body.summary.reasons[0]).toMatch(
      /^critical compliance finding: .*aws_db_instance\.partners/,
    );
  });

  it('stores a plan unchecked, saying why, when the compliance plugin is not there', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const stored = await upload(server);
    expect(stored.status).toBe(201);
    expect(stored.body.compliance).toEqual({
      status: 'unavailable',
      reason: expect.stringMatching(/^The compliance plugin answered 404/),
    });
    expect(stored.body.summary.text).toMatch(/Compliance: not checked/);
    const quiet = await upload(
      server,
      PRIYA,
      partnerWithoutSsh(),
      'partner-gateway',
    );
    expect(quiet.body.risk).toBe('low');
    // A refresh-only plan changes nothing and is not checked.
    const refresh = await request(server)
      .post(`${api}/plans?module=storefront-prod&kind=refresh-only`)
      .set('Authorization', as(PRIYA))
      .set('Content-Type', 'application/json')
      .send(demoPlan);
    expect(refresh.status).toBe(201);
    expect(refresh.body.compliance).toBeUndefined();
  });

  it('ingests a plan, finds its drift, and refuses bad uploads without storing anything', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex, { maxPlanMegabytes: 1 });

    const stored = await upload(server);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      moduleId: 'storefront-prod',
      kind: 'plan',
      drifted: 3,
      formatVersion: '1.2',
      uploadedBy: PRIYA,
    });
    expect(['high', 'critical']).toContain(stored.body.risk);
    // The hash is over the canonical form: reformatting the file does not change it.
    const reformatted = await upload(
      server,
      PRIYA,
      JSON.stringify(JSON.parse(demoPlan), null, 1),
    );
    expect(reformatted.body.sha256).toBe(stored.body.sha256);

    const drift = await request(server)
      .get(`${api}/drift`)
      .set('Authorization', as(LI));
    expect(drift.body.items).toHaveLength(1);
    expect(drift.body.items[0]).toMatchObject({
      moduleId: 'storefront-prod',
      drifted: 3,
    });
    const detail = await request(server)
      .get(`${api}/plans/${stored.body.id}`)
      .set('Authorization', as(LI));
    expect(detail.body.drift).toHaveLength(3);
    expect(detail.body.drift[0].changes.length).toBeGreaterThan(0);

    const before = (
      await request(server).get(`${api}/plans`).set('Authorization', as(PRIYA))
    ).body.items.length;
    const bad = [
      [await upload(server, PRIYA, '{"format_version":'), 400, /not JSON/],
      [
        await upload(
          server,
          PRIYA,
          fs.readFileSync(
            path.join(
              __dirname,
              'services/__fixtures__/terraform-json/basic/plan.json',
            ),
            'utf8',
          ),
        ),
        400,
        /format version 0\.1 is not supported/,
      ],
      [await upload(server, PRIYA, demoPlan, 'Bad Module'), 400, /module/],
      [
        await upload(server, PRIYA, `{"pad":"${'x'.repeat(1_200_000)}"}`),
        413,
        /.*/,
      ],
      [await upload(server, LI), 403, /infra\.plan\.upload/],
    ] as const;
    for (const [res, status, message] of bad) {
      expect({
        status: res.status,
        message: res.body.error?.message ?? '',
      }).toEqual({
        status,
        message: expect.stringMatching(message),
      });
    }
    // A failed upload claims no module name.
    const failed = await upload(
      server,
      PRIYA,
      '{"format_version":"9.0"}',
      'never-made',
    );
    expect(failed.status).toBe(400);
    expect(
      (
        await request(server)
          .get(`${api}/plans?module=never-made`)
          .set('Authorization', as(PRIYA))
      ).body.items,
    ).toEqual([]);
    // Module names are per tenant: each tenant has its own 'core-banking', and neither learns
    // of the other's.
    const harbor = await request(server)
      .post('/api/infra-change/tenants/harbor-bank/plans?module=core-banking')
      .set('Authorization', as(OMAR))
      .set('Content-Type', 'application/json')
      .send(
        fs.readFileSync(
          path.join(
            repo,
            'examples/terraform/harbor-bank/plans/core-banking.plan.json',
          ),
          'utf8',
        ),
      );
    expect(harbor.status).toBe(201);
    const own = await upload(server, PRIYA, demoPlan, 'core-banking');
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ moduleId: 'core-banking' });
    const cartwheelPlans = (
      await request(server).get(`${api}/plans`).set('Authorization', as(PRIYA))
    ).body.items;
    expect(cartwheelPlans).toHaveLength(before + 1);
    expect(cartwheelPlans.map((p: any) => p.id)).not.toContain(harbor.body.id);
    const harborPlans = (
      await request(server)
        .get('/api/infra-change/tenants/harbor-bank/plans?module=core-banking')
        .set('Authorization', as(OMAR))
    ).body.items;
    expect(harborPlans.map((p: any) => p.id)).toEqual([harbor.body.id]);
    // And no one reads another tenant's plans; the refusal is in that tenant's audit log.
    expect(
      (
        await request(server)
          .get('/api/infra-change/tenants/harbor-bank/plans')
          .set('Authorization', as(PRIYA))
      ).status,
    ).toBe(403);
    const denials = await request(server)
      .get(
        '/api/infra-security/audit/harbor-bank/events?action=permission.denied',
      )
      .set('Authorization', as(OMAR));
    expect(denials.body.items[0]).toMatchObject({
      actor: PRIYA,
      outcome: 'denied',
      details: { permission: 'infra.change.read' },
    });
  });

  it('takes a change through the CAB: signed approvals, never by the requester, once per approver', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const change = await pendingChange(server);
    expect(change).toMatchObject({
      state: 'pending_approval',
      requester: PRIYA,
      requiredApprovals: 2,
    });

    const own = await decide(server, change.id, PRIYA);
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/requester .* cannot approve/);
    expect((await decide(server, change.id, LI)).status).toBe(403);

    const first = await decide(server, change.id, TOMAS);
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('pending_approval');
    expect(first.body.decisions[0].signed).toMatchObject({
      algorithm: 'ML-DSA-65',
      keyId: expect.stringMatching(/^mldsa65:/),
      payload: {
        changeRequestId: change.id,
        tenant: 'cartwheel',
        module: 'storefront-prod',
        approver: TOMAS,
        planHash: change.planHash,
        risk: change.risk,
      },
    });
    const again = await decide(server, change.id, TOMAS);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already decided/);

    const second = await decide(server, change.id, DANA);
    expect(second.body.state).toBe('approved');
    expect((await decide(server, change.id, EVE)).status).toBe(409);

    // Every approval verifies.
    for (const d of second.body.decisions) {
      const v = await request(server)
        .get(
          `${api}/change-requests/${change.id}/decisions/${d.id}/verification`,
        )
        .set('Authorization', as(LI));
      expect(v.body.valid).toBe(true);
    }

    // Illegal transitions are refused; applied is final.
    const backToDraft = await request(server)
      .post(`${api}/change-requests/${change.id}/transitions`)
      .set('Authorization', as(PRIYA))
      .send({ to: 'draft' });
    expect(backToDraft.status).toBe(409);
    expect(backToDraft.body.error.message).toBe(
      'A change request that is approved cannot become draft',
    );
    const applied = await request(server)
      .post(`${api}/change-requests/${change.id}/transitions`)
      .set('Authorization', as(PRIYA))
      .send({ to: 'applied' });
    expect(applied.body.state).toBe('applied');
    expect(
      (
        await request(server)
          .post(`${api}/change-requests/${change.id}/transitions`)
          .set('Authorization', as(PRIYA))
          .send({ to: 'cancelled' })
      ).status,
    ).toBe(409);

    // The evidence bundle verifies offline, and not once a byte is altered.
    const evidence = await request(server)
      .get(`${api}/change-requests/${change.id}/evidence`)
      .set('Authorization', as(LI))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () => done(null, text));
      });
    expect(evidence.status).toBe(200);
    expect(evidence.headers['content-disposition']).toMatch(
      /attachment; filename="evidence-/,
    );
    const bundle = evidence.body as string;
    const keyFile = (
      await request(server)
        .get('/api/infra-change/signing-keys')
        .set('Authorization', as(LI))
    ).text;
    expect(verifyEvidenceBundle(bundle, { keyFile })).toMatchObject({
      valid: true,
    });
    const at = bundle.indexOf(TOMAS) + 15;
    const altered =
      bundle.slice(0, at) +
      String.fromCharCode(bundle.charCodeAt(at) ^ 1) +
      bundle.slice(at + 1);
    expect(verifyEvidenceBundle(altered, { keyFile }).valid).toBe(false);

    // The report, as JSON and CSV.
    const report = await request(server)
      .get(`${api}/report`)
      .set('Authorization', as(LI));
    expect(report.body.items[0]).toMatchObject({
      id: change.id,
      state: 'applied',
      approvals: [
        { approver: TOMAS, signature: 'valid' },
        { approver: DANA, signature: 'valid' },
      ],
    });
    const csv = await request(server)
      .get(`${api}/report?format=csv`)
      .set('Authorization', as(LI));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toMatch(
      /^"change_request","module","risk"/,
    );
    expect(csv.text).toContain(`"${DANA}","approve"`);
    // The outcomes are remembered in the database, for every replica and restart.
    const remembered = () =>
      knex('infra_change_verifications')
        .where({ tenant_id: 'cartwheel' })
        .orderBy('checked_at')
        .select('valid');
    expect((await remembered()).map(r => Boolean(r.valid))).toEqual([
      true,
      true,
    ]);

    // A payload or signature altered in the database no longer verifies.
    const [tomas, dana] = second.body.decisions;
    await knex('infra_change_decisions')
      .where({ id: tomas.id })
      .update({
        payload: JSON.stringify({ ...tomas.signed.payload, risk: 'low' }),
      });
    const sig = dana.signed.signature as string;
    await knex('infra_change_decisions')
      .where({ id: dana.id })
      .update({ signature: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) });
    for (const d of [tomas, dana]) {
      const v = await request(server)
        .get(
          `${api}/change-requests/${change.id}/decisions/${d.id}/verification`,
        )
        .set('Authorization', as(LI));
      expect(v.body.valid).toBe(false);
    }
    const after = await request(server)
      .get(`${api}/report`)
      .set('Authorization', as(LI));
    expect(after.body.items[0].approvals.map((a: any) => a.signature)).toEqual([
      'INVALID',
      'INVALID',
    ]);
    // Nothing that does not verify is sealed into an evidence bundle.
    const refused = await request(server)
      .get(`${api}/change-requests/${change.id}/evidence`)
      .set('Authorization', as(LI));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /approval of .*tomas.*dana.* does not verify against its signature: the evidence is not sealed/,
    );
    // Altered rows are checks of something else: verified again, never the old outcome.
    expect((await remembered()).map(r => Boolean(r.valid)).sort()).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });

  it('answers CI whether exactly this plan is approved, and records the apply of that plan only', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const mint = async (tenant: string, who: string, role: string) =>
      `Bearer ${
        (
          await request(server)
            .post(`/api/infra-security/tenants/${tenant}/api-keys`)
            .set('Authorization', as(who))
            .send({ name: `ci-${role}`, role })
        ).body.token
      }`;
    const ci = await mint('cartwheel', PRIYA, 'security-analyst');
    const readOnly = await mint('cartwheel', PRIYA, 'read-only');
    const harbor = await mint('harbor-bank', OMAR, 'tenant-admin');
    const run = 'github:cartwheel/storefront-infra:5001';

    // CI uploads the plan with its run; the plan is found by its run.
    const plan = await request(server)
      .post(
        `${api}/plans?module=storefront-prod&run=${encodeURIComponent(run)}`,
      )
      .set('Authorization', ci)
      .set('Content-Type', 'application/json')
      .send(demoPlan);
    expect(plan.status).toBe(201);
    expect(plan.body.ciRun).toEqual({
      provider: 'github',
      repository: 'cartwheel/storefront-infra',
      runId: '5001',
    });
    const byRun = await request(server)
      .get(`${api}/plans?run=${encodeURIComponent(run)}`)
      .set('Authorization', readOnly);
    expect(byRun.body.items.map((p: any) => p.id)).toEqual([plan.body.id]);
    for (const bad of ['jenkins:a/b:1', 'github:nope', 'github:a/b:']) {
      const res = await request(server)
        .post(
          `${api}/plans?module=storefront-prod&run=${encodeURIComponent(bad)}`,
        )
        .set('Authorization', ci)
        .set('Content-Type', 'application/json')
        .send(demoPlan);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/'run'/);
    }

    const check = (hash: string, auth = ci) =>
      request(server)
        .get(`${api}/approvals?planSha256=${hash}`)
        .set('Authorization', auth);
    const hash = plan.body.sha256;
    const none = await check(hash);
    expect(none.body).toMatchObject({
      approved: false,
      approvals: [],
      message: expect.stringMatching(
        /No change request of tenant 'cartwheel' has plan/,
      ),
    });
    expect((await check('abc')).status).toBe(400);
    expect((await check(hash, harbor)).status).toBe(403);
    expect(
      (await request(server).get(`${api}/approvals?planSha256=${hash}`)).status,
    ).toBe(401);
    for (const who of [OMAR, ALEX]) {
      expect((await check(hash, as(who))).status).toBe(403);
    }
    expect((await check(hash, readOnly)).status).toBe(200);

    const opened = await request(server)
      .post(`${api}/change-requests`)
      .set('Authorization', as(PRIYA))
      .send({
        planId: plan.body.id,
        rollbackNote: 'Re-apply the tag before.',
        submit: true,
      });
    const change = opened.body;
    await decide(server, change.id, TOMAS);
    const pending = await check(hash);
    expect(pending.body).toMatchObject({
      approved: false,
      changeRequest: { id: change.id, state: 'pending_approval' },
      message: expect.stringMatching(
        /pending_approval \(1 of 2 approvals\): not approved/,
      ),
    });
    const applyBody = {
      planSha256: hash,
      run: {
        provider: 'github',
        repository: 'cartwheel/storefront-infra',
        runId: '5002',
        url: 'https://github.com/cartwheel/storefront-infra/actions/runs/5002',
      },
    };
    const apply = (body: object, auth = ci) =>
      request(server)
        .post(`${api}/change-requests/${change.id}/applied`)
        .set('Authorization', auth)
        .send(body);
    const early = await apply(applyBody);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/not approved/);

    await decide(server, change.id, DANA);
    const approved = await check(hash);
    expect(approved.body).toMatchObject({
      approved: true,
      changeRequest: {
        id: change.id,
        state: 'approved',
        module: 'storefront-prod',
      },
      message: expect.stringMatching(
        /approved by .*tomas.*dana.*every signature verifies/,
      ),
    });
    expect(
      approved.body.approvals.map((a: any) => [
        a.approver,
        a.algorithm,
        a.signatureValid,
      ]),
    ).toEqual([
      [TOMAS, 'ML-DSA-65', true],
      [DANA, 'ML-DSA-65', true],
    ]);

    // A re-plan (another hash) is not approved; its apply is refused; nothing moves.
    const replan = await request(server)
      .post(`${api}/plans?module=storefront-prod`)
      .set('Authorization', ci)
      .set('Content-Type', 'application/json')
      .send(partnerWithoutSsh());
    expect((await check(replan.body.sha256)).body.approved).toBe(false);
    const other = await apply({ ...applyBody, planSha256: replan.body.sha256 });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(
      /needs a new change request and approval/,
    );
    for (const [body, status] of [
      [{ planSha256: hash }, 400],
      [
        {
          planSha256: hash,
          run: { provider: 'jenkins', repository: 'a/b', runId: '1' },
        },
        400,
      ],
    ] as const) {
      expect((await apply(body)).status).toBe(status);
    }
    expect((await apply(applyBody, readOnly)).status).toBe(403);
    expect((await apply(applyBody, harbor)).status).toBe(403);
    for (const who of [OMAR, ALEX, LI]) {
      expect((await apply(applyBody, as(who))).status).toBe(403);
    }
    expect(
      (
        await request(server)
          .post(`${api}/change-requests/${change.id}/applied`)
          .send(applyBody)
      ).status,
    ).toBe(401);
    expect(
      (
        await request(server)
          .get(`${api}/change-requests/${change.id}`)
          .set('Authorization', as(LI))
      ).body.state,
    ).toBe('approved');

    // The example workflows' gate, run as CI runs it: the re-plan is blocked, the approved plan
    // passes, and its apply is recorded.
    // (Asynchronously: the backend answering it runs in this process.)
    const gate = (...args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>(
        resolve => {
          execFile(
            'bash',
            [path.join(repo, 'examples/ci/cab-gate.sh'), ...args],
            {
              encoding: 'utf8',
              env: {
                ...process.env,
                INFRA_HUB_URL: `http://127.0.0.1:${
                  (server.address() as AddressInfo).port
                }`,
                INFRA_HUB_API_KEY: ci.slice('Bearer '.length),
              },
            },
            (error, stdout, stderr) =>
              resolve({
                status: error ? Number((error as any).code ?? 1) : 0,
                stdout,
                stderr,
              }),
          );
        },
      );
    const blocked = await gate('check', 'cartwheel', replan.body.sha256);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toMatch(/is not approved; the apply is blocked/);
    const passed = await gate('check', 'cartwheel', hash);
    expect(passed.stdout).toMatch(/every signature verifies/);
    expect(passed.status).toBe(0);
    const recorded = await gate(
      'applied',
      'cartwheel',
      hash,
      'github',
      'cartwheel/storefront-infra',
      '5002',
      'https://github.com/cartwheel/storefront-infra/actions/runs/5002',
    );
    expect(recorded.stdout).toMatch(/recorded as applied by github run 5002/);
    expect(recorded.status).toBe(0);
    const applied = await request(server)
      .get(`${api}/change-requests/${change.id}`)
      .set('Authorization', as(LI));
    expect(applied.body).toMatchObject({
      state: 'applied',
      appliedRun: applyBody.run,
    });
    expect((await gate('check', 'cartwheel', hash)).status).toBe(1);
    const after = await check(hash);
    expect(after.body).toMatchObject({
      approved: false,
      message: expect.stringMatching(
        /already applied by run 5002; a new apply needs a new plan and a new approval/,
      ),
    });
    expect((await apply(applyBody)).status).toBe(409);
    const audit = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?limit=50')
      .set('Authorization', as(PRIYA));
    const event = audit.body.items.find(
      (e: any) => e.action === 'change.applied',
    );
    expect(event).toMatchObject({
      subject: change.id,
      details: {
        run: 'github:cartwheel/storefront-infra:5002',
        planSha256: hash,
      },
    });
  });

  it('keeps separation of duties through machine keys: a key never decides, its creator is the requester', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    // Priya mints two security-analyst keys (their role allows approving).
    const mint = async (name: string) =>
      (
        await request(server)
          .post('/api/infra-security/tenants/cartwheel/api-keys')
          .set('Authorization', as(PRIYA))
          .send({ name, role: 'security-analyst' })
      ).body.token as string;
    const [k1, k2] = [await mint('ci-1'), await mint('ci-2')];
    const withKey = (token: string) => `Bearer ${token}`;

    const plan = await request(server)
      .post(`${api}/plans?module=storefront-prod`)
      .set('Authorization', withKey(k1))
      .set('Content-Type', 'application/json')
      .send(demoPlan);
    expect(plan.status).toBe(201);
    const opened = await request(server)
      .post(`${api}/change-requests`)
      .set('Authorization', withKey(k1))
      .send({ planId: plan.body.id, rollbackNote: 'revert', submit: true });
    expect(opened.status).toBe(201);
    // The key's creator answers for the request.
    expect(opened.body.requester).toBe(PRIYA);
    const id = opened.body.id;

    for (const header of [
      withKey(k1),
      withKey(k2),
      mockCredentials.service.header(),
    ]) {
      const res = await request(server)
        .post(`${api}/change-requests/${id}/decisions`)
        .set('Authorization', header)
        .send({ decision: 'approve', comment: 'lgtm' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /Only a signed-in user may approve or reject/,
      );
    }
    expect((await decide(server, id, PRIYA)).status).toBe(403);
    expect((await decide(server, id, 'user:default/nobody')).status).toBe(403);
    const none = await request(server)
      .post(`${api}/change-requests/${id}/decisions`)
      .set('Authorization', mockCredentials.none.header())
      .send({ decision: 'approve', comment: 'x' });
    expect(none.status).toBe(401);
    const still = await request(server)
      .get(`${api}/change-requests/${id}`)
      .set('Authorization', as(LI));
    expect(still.body).toMatchObject({ state: 'pending_approval' });
    expect(still.body.decisions).toEqual([]);

    // Two other people approve: the evidence names Priya as requester, neither as approver.
    expect((await decide(server, id, DANA)).status).toBe(200);
    const done = await decide(server, id, TOMAS);
    expect(done.body.state).toBe('approved');
    const evidence = await request(server)
      .get(`${api}/change-requests/${id}/evidence`)
      .set('Authorization', as(LI));
    const bundle = JSON.parse(evidence.text);
    expect(bundle.changeRequest.requester).toBe(PRIYA);
    expect(bundle.approvals.map((a: any) => a.payload.approver).sort()).toEqual(
      [DANA, TOMAS].sort(),
    );
  });

  it('registers a module ahead of its first plan, for those who may upload plans', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const body = {
      system: 'system:default/cartwheel-storefront',
      entityRef: 'component:default/orders-exports',
      repository: 'file:///srv/git/orders-exports.git',
    };
    const put = (who: string, b: unknown = body, module = 'orders-exports') =>
      request(server)
        .put(`${api}/modules/${module}`)
        .set('Authorization', who)
        .send(b as object);
    const stored = async () =>
      knex('infra_change_modules').where({ tenant_id: 'cartwheel' }).select();

    // Refused: no credentials, another tenant's admin, an auditor and a read-only member (they
    // read only), a system admin without a role in the tenant, bad bodies.
    expect((await put(mockCredentials.none.header())).status).toBe(401);
    expect((await put(as(OMAR))).status).toBe(403);
    expect((await put(as(LI))).status).toBe(403);
    expect((await put(as(PERSONAS.maria))).status).toBe(403);
    expect((await put(as(ALEX))).status).toBe(403);
    for (const [bad, message] of [
      [
        { ...body, system: 'component:default/x' },
        /'system' must be the ref of a system/,
      ],
      [
        { ...body, repository: 'not a url' },
        /'repository' must be the repository's clone URL/,
      ],
      [{ ...body, extra: 1 }, /extra/],
      [[1, 2], /body/],
    ] as const) {
      const res = await put(as(PRIYA), bad);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await put(as(PRIYA), body, 'Not_A_Module')).status).toBe(400);
    expect(await stored()).toEqual([]);

    // A security-analyst registers it; again is a no-op; another repository is a conflict.
    const created = await put(as(TOMAS));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'orders-exports',
      ...body,
      registeredBy: TOMAS,
    });
    expect((await put(as(PRIYA))).status).toBe(200);
    const conflict = await put(as(PRIYA), {
      ...body,
      repository: 'file:///srv/git/other.git',
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/another repository/);

    // A machine key of the tenant with an uploading role may register too (CI).
    const key = (
      await request(server)
        .post('/api/infra-security/tenants/cartwheel/api-keys')
        .set('Authorization', as(PRIYA))
        .send({ name: 'ci', role: 'security-analyst' })
    ).body.token;
    expect((await put(`Bearer ${key}`, body, 'from-ci')).status).toBe(201);

    // Readable in the tenant only; its first plan keeps the registration.
    const read = await request(server)
      .get(`${api}/modules/orders-exports`)
      .set('Authorization', as(LI));
    expect(read.status).toBe(200);
    expect(read.body.repository).toBe(body.repository);
    expect(
      (
        await request(server)
          .get(`${api}/modules/orders-exports`)
          .set('Authorization', as(OMAR))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get('/api/infra-change/tenants/harbor-bank/modules/orders-exports')
          .set('Authorization', as(OMAR))
      ).status,
    ).toBe(404);
    expect(
      (await upload(server, PRIYA, demoPlan, 'orders-exports')).status,
    ).toBe(201);
    const after = await request(server)
      .get(`${api}/modules/orders-exports`)
      .set('Authorization', as(LI));
    expect(after.body).toMatchObject({ ...body, registeredBy: TOMAS });
    const audit = await request(server)
      .get(
        '/api/infra-security/audit/cartwheel/events?action=module.registered',
      )
      .set('Authorization', as(PRIYA));
    expect(
      audit.body.items.filter((e: any) => e.action === 'module.registered'),
    ).toHaveLength(2);
  });

  it('forgets a deleted tenant, and a re-created id starts empty', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const harborPlan = fs.readFileSync(
      path.join(
        repo,
        'examples/terraform/harbor-bank/plans/core-banking.plan.json',
      ),
      'utf8',
    );
    const harbor = '/api/infra-change/tenants/harbor-bank';
    const uploaded = await request(server)
      .post(`${harbor}/plans?module=core-banking`)
      .set('Authorization', as(OMAR))
      .set('Content-Type', 'application/json')
      .send(harborPlan);
    expect(uploaded.status).toBe(201);

    const security = '/api/infra-security';
    // Only a system-admin deletes a tenant.
    expect(
      (
        await request(server)
          .delete(`${security}/tenants/harbor-bank`)
          .set('Authorization', as(OMAR))
      ).status,
    ).toBe(403);
    // The change plugin purges, and says so in the system's audit log.
    const purged = await deleteTenantAndAwaitPurge(server, {
      tenantId: 'harbor-bank',
      authorization: as(ALEX),
      pluginId: 'infra-change',
    });
    expect(purged).toMatchObject({
      subject: 'harbor-bank',
      details: { removed: { modules: 1, plans: 1 } },
    });

    // Created again: nothing of the old tenant, in plans or in its audit log.
    expect(
      (
        await request(server)
          .post(`${security}/tenants`)
          .set('Authorization', as(ALEX))
          .send({ id: 'harbor-bank', title: 'Harbor, again' })
      ).status,
    ).toBe(201);
    await request(server)
      .post(`${security}/tenants/harbor-bank/role-bindings`)
      .set('Authorization', as(ALEX))
      .send({ userRef: OMAR, role: 'tenant-admin' });
    const plans = await request(server)
      .get(`${harbor}/plans`)
      .set('Authorization', as(OMAR));
    expect(plans.status).toBe(200);
    expect(plans.body.items).toEqual([]);
    const audit = await request(server)
      .get(`${security}/audit/harbor-bank/events?limit=500`)
      .set('Authorization', as(OMAR));
    const actions = audit.body.items.map((e: any) => e.action);
    expect(actions).not.toContain('plan.uploaded');
    expect(actions[actions.length - 1]).toBe('tenant.created');
  });

  it('lets only one of two approvals racing for the last slot count', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const change = await pendingChange(server);
    await decide(server, change.id, TOMAS);
    const [a, b] = await Promise.all([
      decide(server, change.id, DANA),
      decide(server, change.id, EVE),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const final = await request(server)
      .get(`${api}/change-requests/${change.id}`)
      .set('Authorization', as(PRIYA));
    expect(final.body.state).toBe('approved');
    expect(final.body.decisions).toHaveLength(2);
  });

  it('keeps old keys for verification after rotation, which only a system admin may do', async () => {
    const knex = await databases.init(databaseId);
    const server = await start(knex);
    const change = await pendingChange(server);
    const approved = await decide(server, change.id, TOMAS);
    const oldKey = approved.body.decisions[0].signed.keyId;
    expect(
      (
        await request(server)
          .post('/api/infra-change/signing-keys/rotate')
          .set('Authorization', as(PRIYA))
      ).status,
    ).toBe(403);
    const rotated = await request(server)
      .post('/api/infra-change/signing-keys/rotate')
      .set('Authorization', as(ALEX));
    expect(rotated.status).toBe(200);
    // The key history is for signed-in callers and keys alike, never for anonymous ones.
    expect(
      (
        await request(server)
          .get('/api/infra-change/signing-keys')
          .set('Authorization', mockCredentials.none.header())
      ).status,
    ).toBe(401);
    // The history, oldest first: the new key names the old one and carries its endorsement.
    expect(rotated.body.format).toBe('infra-hub-signing-keys/1');
    expect(rotated.body.items).toHaveLength(2);
    expect(rotated.body.items[0]).toMatchObject({
      keyId: oldKey,
      retiredAt: expect.any(String),
    });
    expect(rotated.body.items[1]).toMatchObject({
      previousKeyId: oldKey,
      endorsement: expect.any(String),
    });
    expect(rotated.body.items[1].keyId).not.toBe(oldKey);
    const second = await decide(server, change.id, DANA);
    expect(second.body.decisions[1].signed.keyId).toBe(
      rotated.body.items[1].keyId,
    );
    for (const d of second.body.decisions) {
      const v = await request(server)
        .get(
          `${api}/change-requests/${change.id}/decisions/${d.id}/verification`,
        )
        .set('Authorization', as(LI));
      expect(v.body.valid).toBe(true);
    }
    const evidence = await request(server)
      .get(`${api}/change-requests/${change.id}/evidence`)
      .set('Authorization', as(LI))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () => done(null, text));
      });
    // Trusting the first key is enough: the rotation carries the trust to the new key.
    const result = verifyEvidenceBundle(evidence.body, { trustKeyId: oldKey });
    expect(result.checks.filter(c => !c.ok)).toEqual([]);
    expect(
      verifyEvidenceBundle(evidence.body, {
        keyFile: JSON.stringify(rotated.body),
      }).valid,
    ).toBe(true);
  });
});

describe('infra-change without a credential vault', () => {
  it('refuses to approve with 503 and records nothing: unsigned means unapproved', async () => {
    const knex = await databases.init('SQLITE_3');
    const server = await start(knex, { vault: false });
    const change = await pendingChange(server);
    const res = await decide(server, change.id, TOMAS);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/vault/);
    const after = await request(server)
      .get(`${api}/change-requests/${change.id}`)
      .set('Authorization', as(PRIYA));
    expect(after.body).toMatchObject({
      state: 'pending_approval',
      decisions: [],
    });
    // A rejection needs no signature.
    expect((await decide(server, change.id, TOMAS, 'reject')).body.state).toBe(
      'rejected',
    );
  });
});
