import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import {
  deleteTenantAndAwaitPurge,
  onBehalfOfAwareMockAuth,
  PERSONAS,
  corpusPath,
  readCorpusJson,
  testVault,
} from '@infra-hub/test-utils';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { infraCompliancePlugin } from './plugin';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel
const TOMAS = PERSONAS.tomas; // security-analyst of cartwheel
const LI = PERSONAS.li; // auditor of cartwheel
const MARIA = PERSONAS.maria; // read-only in cartwheel
const OMAR = PERSONAS.omar; // tenant-admin of harbor-bank
const ALEX = PERSONAS.alex; // system-admin
const as = (ref: string) => mockCredentials.user.header(ref);
const api = '/api/infra-compliance';
const cartwheel = `${api}/tenants/cartwheel`;

const storefrontState = path.join(
  repo,
  'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
);
const partnerPlan = fs.readFileSync(
  path.join(
    repo,
    'examples/terraform/cartwheel/plans/partner-gateway.plan.json',
  ),
  'utf8',
);

/** A folder of its own for each test: the state the test edits, and its packs. */
function workdir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-compliance-'));
  fs.copyFileSync(storefrontState, path.join(dir, 'storefront.tfstate'));
  return dir;
}

async function start(
  dir: string,
  packs?: Record<string, string>,
  catalogs?: Record<string, string>,
) {
  const { server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          infra: {
            security: {
              vault: testVault(),
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
                      path: path.join(dir, 'storefront.tfstate'),
                    },
                  },
                },
                'harbor-bank': {
                  core: {
                    provider: 'terraform',
                    settings: {
                      type: 'file',
                      path: path.join(
                        repo,
                        'examples/terraform/harbor-bank/live/core-banking/terraform.tfstate',
                      ),
                    },
                  },
                },
              },
            },
            compliance: {
              graphChangeDelaySeconds: 0,
              ...(packs ? { packs } : {}),
              ...(catalogs ? { catalogs } : {}),
            },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@infra-hub/plugin-infra-discovery-backend'),
      import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
      infraCompliancePlugin,
    ],
  });
  return server;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Waits until the tenant has `count` finished evaluations; returns the newest. */
async function evaluated(
  server: any,
  tenant: string,
  count: number,
  user = PRIYA,
) {
  for (let i = 0; i < 400; i++) {
    const res = await request(server)
      .get(`${api}/tenants/${tenant}/evaluations`)
      .set('Authorization', as(user));
    const done = (res.body.items ?? []).filter(
      (e: any) => e.status !== 'running',
    );
    if (done.length >= count) return done[0];
    await sleep(100);
  }
  throw new Error(`${tenant} was not evaluated ${count} times`);
}

/** Runs a discovery source to its end; the graph change then starts an evaluation. */
async function discover(
  server: any,
  tenant: string,
  source: string,
  user: string,
) {
  const started = await request(server)
    .post(`/api/infra-discovery/tenants/${tenant}/sources/${source}/runs`)
    .set('Authorization', as(user));
  expect(started.status).toBe(202);
  for (let i = 0; i < 400; i++) {
    const job = await request(server)
      .get(`/api/infra-discovery/tenants/${tenant}/jobs/${started.body.id}`)
      .set('Authorization', as(user));
    if (job.body.status !== 'running') {
      expect(job.body.status).toBe('succeeded');
      return;
    }
    await sleep(100);
  }
  throw new Error('the discovery run did not finish');
}

async function findings(server: any, query = '', user = PRIYA) {
  const res = await request(server)
    .get(`${cartwheel}/findings${query}`)
    .set('Authorization', as(user));
  expect(res.status).toBe(200);
  return res.body;
}

const bySuffix = (items: any[], ruleId: string, resource: string) =>
  items.find(f => f.ruleId === ruleId && f.resourceId.endsWith(resource));

/** Opens the storefront state's SSH rule to 10.20.0.0/16 only, as a fix would. */
function fixSsh(dir: string) {
  const file = path.join(dir, 'storefront.tfstate');
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const r of state.resources)
    if (r.type === 'aws_security_group')
      for (const i of r.instances)
        for (const rule of i.attributes.ingress ?? [])
          if (rule.from_port === 22) rule.cidr_blocks = ['10.20.0.0/16'];
  state.serial += 1;
  fs.writeFileSync(file, JSON.stringify(state));
}

/** NIST's OSCAL 1.1.2 schema (all models), as GRC tools validate what they import. */
function oscalValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(
    readCorpusJson('oscal', 'schemas', 'oscal_complete_schema-1-1-2.json'),
  );
}

describe('infra-compliance API', () => {
  it('evaluates the discovered graph: findings, posture per framework and control, the trend, and a fix that resolves', async () => {
    const dir = workdir();
    const server = await start(dir);
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    const first = await evaluated(server, 'cartwheel', 1);
    expect(first).toMatchObject({
      status: 'succeeded',
      trigger: 'graph-changed',
      actor: 'discovery',
      assets: expect.any(Number),
    });
    expect(first.counts.fail).toBeGreaterThan(10);

    const open = await findings(server, '?status=open&limit=500');
    // Most severe first; the state's real misconfigurations are found, with their relations:
    // a bucket without a public access block, SSH open to the internet, a public Lambda URL.
    expect(open.items[0].severity).toBe('critical');
    const ssh = bySuffix(open.items, 'aws-sg-ssh-open', 'sg-0f1e2d3c4b5a69781');
    expect(ssh).toMatchObject({
      status: 'open',
      severity: 'critical',
      resourceType: 'aws_security_group',
      controls: expect.objectContaining({
        'nist-800-53-r5': expect.any(Array),
        'pci-dss-4.0': expect.any(Array),
      }),
      remediation: expect.stringMatching(/port 22/),
    });
    expect(
      bySuffix(
        open.items,
        'aws-s3-bucket-public-access-block',
        'cartwheel-prod-product-images',
      ),
    ).toBeDefined();
    expect(
      open.items.find((f: any) => f.ruleId === 'aws-lambda-url-public'),
    ).toBeDefined();
    // An encrypted bucket (its encryption configuration points at it) is not flagged for it.
    expect(
      open.items.filter((f: any) => f.ruleId === 'aws-s3-bucket-encryption'),
    ).toEqual([]);
    // The database password the state keeps in plain text: where and its fingerprint, never
    // the value; the finding maps to the secret controls.
    const secret = open.items.find(
      (f: any) =>
        f.ruleId === 'secret-in-terraform-state' &&
        f.resourceType === 'aws_db_instance',
    );
    expect(secret).toMatchObject({
      severity: 'high',
      message: expect.stringMatching(
        /^password: tf-(state-sensitive-value|secret-attribute) at .*storefront\.tfstate:\d+, fingerprint [0-9a-f]{32}$/,
      ),
      controls: expect.objectContaining({
        'nist-800-53-r5': ['ia-5', 'sc-28', 'sc-12'],
      }),
    });
    expect(JSON.stringify(open)).not.toContain('demo-only-orders-db-password');
    // Resources the state holds no secret for pass the rule.
    expect(
      open.items.filter(
        (f: any) =>
          f.ruleId === 'secret-in-terraform-state' &&
          f.resourceType === 'aws_s3_bucket',
      ),
    ).toEqual([]);

    // Paging: the pages together are the whole list, in order, each finding once.
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await findings(
        server,
        `?status=open&limit=7${after ? `&after=${after}` : ''}`,
      );
      seen.push(...page.items.map((f: any) => f.id));
      after = page.nextAfter;
    } while (after);
    expect(seen).toEqual(open.items.map((f: any) => f.id));
    expect(open.total).toBe(seen.length);

    // By framework and control: only the rules that support it.
    const sc7 = await findings(
      server,
      '?framework=nist-800-53-r5&control=sc-7&limit=500',
    );
    expect(sc7.items.length).toBeGreaterThan(0);
    for (const f of sc7.items)
      expect(f.controls['nist-800-53-r5']).toContain('sc-7');

    const csv = await request(server)
      .get(`${cartwheel}/findings?format=csv&severity=critical`)
      .set('Authorization', as(LI));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^"id","status","severity"/);
    expect(csv.text).toContain('aws-sg-ssh-open');

    const posture = await request(server)
      .get(`${cartwheel}/posture`)
      .set('Authorization', as(LI));
    expect(posture.status).toBe(200);
    expect(posture.body.evaluationId).toBe(first.id);
    const nist = posture.body.frameworks.find(
      (f: any) => f.framework === 'nist-800-53-r5',
    );
    expect(nist.passRate).toBeGreaterThan(0);
    expect(nist.passRate).toBeLessThan(1);
    expect(nist.controls.failing).toBeGreaterThan(0);
    expect(posture.body.frameworks.map((f: any) => f.framework).sort()).toEqual(
      [
        'cis-aws',
        'fedramp-moderate',
        'nist-800-53-r5',
        'nist-csf-2.0',
        'pci-dss-4.0',
        'soc2',
      ].sort(),
    );

    const detail = await request(server)
      .get(`${cartwheel}/posture/nist-800-53-r5`)
      .set('Authorization', as(LI));
    expect(detail.status).toBe(200);
    const sc7Control = detail.body.controls.find((c: any) => c.id === 'sc-7');
    expect(sc7Control).toMatchObject({ status: 'failing' });
    expect(sc7Control.title).toBeTruthy();
    expect(detail.body.systems.length).toBeGreaterThan(0);
    expect(detail.body.owners.length).toBeGreaterThan(0);

    // Someone fixes the security group; the next discovery run resolves the finding.
    fixSsh(dir);
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    const second = await evaluated(server, 'cartwheel', 2);
    expect(second.id).not.toBe(first.id);
    const resolved = await request(server)
      .get(`${cartwheel}/findings/${ssh.id}`)
      .set('Authorization', as(TOMAS));
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      evaluationId: second.id,
      resolvedAt: expect.any(String),
    });
    expect(resolved.body.history.map((h: any) => h.kind)).toEqual([
      'opened',
      'resolved',
    ]);

    // A manual run: 202 with the running evaluation, then a third trend point.
    const manual = await request(server)
      .post(`${cartwheel}/evaluations`)
      .set('Authorization', as(TOMAS));
    expect(manual.status).toBe(202);
    expect(manual.body).toMatchObject({ status: 'running', trigger: 'manual' });
    await evaluated(server, 'cartwheel', 3);
    const trend = await request(server)
      .get(`${cartwheel}/posture/nist-800-53-r5/trend`)
      .set('Authorization', as(LI));
    expect(trend.body.points).toHaveLength(3);
    // Fixing SSH raised the pass rate.
    expect(trend.body.points[1].passRate).toBeGreaterThan(
      trend.body.points[0].passRate,
    );
    expect(trend.body.points[0].evaluationId).toBe(first.id);

    const audit = await request(server)
      .get(
        '/api/infra-security/audit/cartwheel/events?action=compliance.evaluation.started',
      )
      .set('Authorization', as(PRIYA));
    expect(audit.body.items.map((e: any) => e.actor)).toEqual([TOMAS]);
  });

  it('suppresses with a reason, an expiry and a signed-in approver, audited; refuses bad suppressions and changes nothing', async () => {
    const server = await start(workdir());
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    await evaluated(server, 'cartwheel', 1);
    const open = await findings(server, '?status=open&severity=high');
    const target = open.items[0];
    const url = `${cartwheel}/findings/${target.id}/suppression`;
    const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString();

    const bad: Array<[any, RegExp]> = [
      [{ expiresAt: inAMonth }, /needs a 'reason'/],
      [{ reason: '   ', expiresAt: inAMonth }, /needs a 'reason'/],
      [{ reason: 'vendor fix due' }, /needs 'expiresAt'/],
      [
        { reason: 'vendor fix due', expiresAt: 'next week' },
        /needs 'expiresAt'/,
      ],
      [
        { reason: 'vendor fix due', expiresAt: '2020-01-01T00:00:00Z' },
        /in the past/,
      ],
      [
        {
          reason: 'forever',
          expiresAt: new Date(Date.now() + 400 * 86400_000).toISOString(),
        },
        /more than 366 days/,
      ],
      // The approver is whoever signs in, never a field of the body.
      [
        { reason: 'x', expiresAt: inAMonth, approver: PRIYA },
        /additional properties/,
      ],
    ];
    for (const [body, message] of bad) {
      const res = await request(server)
        .put(url)
        .set('Authorization', as(PRIYA))
        .send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(res.body.error)).toMatch(message);
    }
    const unchanged = await request(server)
      .get(`${cartwheel}/findings/${target.id}`)
      .set('Authorization', as(PRIYA));
    expect(unchanged.body.status).toBe('open');
    expect(unchanged.body.history.map((h: any) => h.kind)).toEqual(['opened']);

    // A machine key may read and run, never accept a risk.
    const key = await request(server)
      .post('/api/infra-security/tenants/cartwheel/api-keys')
      .set('Authorization', as(PRIYA))
      .send({ name: 'ci', role: 'security-analyst' });
    const withKey = `Bearer ${key.body.token}`;
    const byKey = await request(server)
      .put(url)
      .set('Authorization', withKey)
      .send({ reason: 'ci says so', expiresAt: inAMonth });
    expect(byKey.status).toBe(403);
    expect(byKey.body.error.message).toMatch(/Only a signed-in user/);
    // An auditor reads, but does not accept risks.
    const byAuditor = await request(server)
      .put(url)
      .set('Authorization', as(LI))
      .send({ reason: 'fine', expiresAt: inAMonth });
    expect(byAuditor.status).toBe(403);

    const done = await request(server)
      .put(url)
      .set('Authorization', as(TOMAS))
      .send({
        reason: 'Compensating WAF rule until the vendor fix',
        expiresAt: inAMonth,
      });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'suppressed',
      suppression: {
        reason: 'Compensating WAF rule until the vendor fix',
        expiresAt: inAMonth,
        approver: TOMAS,
      },
    });
    // Re-evaluating keeps it suppressed while the suppression is in force.
    await request(server)
      .post(`${cartwheel}/evaluations`)
      .set('Authorization', withKey)
      .expect(202);
    await evaluated(server, 'cartwheel', 2);
    const after = await request(server)
      .get(`${cartwheel}/findings/${target.id}`)
      .set('Authorization', withKey);
    expect(after.body.status).toBe('suppressed');
    expect(
      (await findings(server, '?status=suppressed')).items.map(
        (f: any) => f.id,
      ),
    ).toEqual([target.id]);

    const lifted = await request(server)
      .delete(url)
      .set('Authorization', as(PRIYA));
    expect(lifted.status).toBe(200);
    expect(lifted.body.status).toBe('open');
    expect(lifted.body.suppression).toBeUndefined();
    expect(lifted.body.history.map((h: any) => h.kind)).toEqual([
      'opened',
      'suppressed',
      'unsuppressed',
    ]);
    const again = await request(server)
      .delete(url)
      .set('Authorization', as(PRIYA));
    expect(again.status).toBe(409);

    const audit = await request(server)
      .get('/api/infra-security/audit/cartwheel/events')
      .set('Authorization', as(PRIYA));
    const actions = audit.body.items.map((e: any) => `${e.action}:${e.actor}`);
    expect(actions).toContain(`compliance.finding.suppressed:${TOMAS}`);
    expect(actions).toContain(`compliance.finding.unsuppressed:${PRIYA}`);

    const missing = await request(server)
      .put(`${cartwheel}/findings/${'0'.repeat(32)}/suppression`)
      .set('Authorization', as(PRIYA))
      .send({ reason: 'x', expiresAt: inAMonth });
    expect(missing.status).toBe(404);
  });

  it('keeps every route to its tenant and role: another tenant, read-only, an API key, no credentials', async () => {
    const server = await start(workdir());
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    const evaluation = await evaluated(server, 'cartwheel', 1);
    const { items } = await findings(server);
    const finding = items[0].id;
    const item = (
      await request(server)
        .get(`${cartwheel}/poam?limit=1`)
        .set('Authorization', as(PRIYA))
    ).body.items[0].id;
    const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString();
    const reads = [
      '/evaluations',
      `/evaluations/${evaluation.id}`,
      '/findings',
      `/findings/${finding}`,
      '/posture',
      '/posture/nist-800-53-r5',
      '/posture/nist-800-53-r5/trend',
      '/poam',
      `/poam/${item}`,
      '/oscal/assessment-results?framework=nist-800-53-r5',
      '/oscal/poam',
      '/frameworks',
      '/evidence',
    ];
    type Call = {
      method: 'get' | 'post' | 'put' | 'delete';
      url: string;
      body?: any;
    };
    const writes: Call[] = [
      { method: 'post', url: '/evaluations' },
      {
        method: 'put',
        url: `/findings/${finding}/suppression`,
        body: { reason: 'x', expiresAt: inAMonth },
      },
      { method: 'delete', url: `/findings/${finding}/suppression` },
      { method: 'post', url: '/plan-checks', body: partnerPlan },
      {
        method: 'post',
        url: `/poam/${item}/transitions`,
        body: { to: 'in_progress' },
      },
      {
        method: 'put',
        url: '/frameworks/house-baseline',
        body: {
          title: 'House baseline',
          controls: [{ id: 'HB-1' }],
          mappings: { 'aws-sg-ssh-open': ['HB-1'] },
        },
      },
      { method: 'delete', url: '/frameworks/house-baseline' },
      // Without change control in this backend the seal cannot be signed: 503 to those allowed.
      { method: 'post', url: `/evidence/${evaluation.id}/seal` },
    ];
    const call = (c: Call, auth: string) => {
      const r = request(server)
        [c.method](`${cartwheel}${c.url}`)
        .set('Authorization', auth);
      if (c.url === '/plan-checks') r.set('Content-Type', 'application/json');
      return c.body ? r.send(c.body) : r;
    };
    const all: Call[] = [
      ...reads.map(url => ({ method: 'get' as const, url })),
      ...writes,
    ];

    // A tenant-admin of another tenant, and no one at all.
    for (const c of all) {
      const other = await call(c, as(OMAR));
      expect({ ...c, body: undefined, status: other.status }).toEqual({
        ...c,
        body: undefined,
        status: 403,
      });
      const none = await call(c, mockCredentials.none.header());
      expect({ ...c, body: undefined, status: none.status }).toEqual({
        ...c,
        body: undefined,
        status: 401,
      });
    }
    // Read-only holds no findings.read in the role matrix; the auditor reads but does not write.
    for (const url of reads) {
      expect((await call({ method: 'get', url }, as(MARIA))).status).toBe(403);
      expect((await call({ method: 'get', url }, as(LI))).status).toBe(200);
    }
    for (const c of writes) expect((await call(c, as(LI))).status).toBe(403);

    // A read-only API key reads nothing; a security-analyst key of harbor-bank nothing here.
    const mint = async (tenant: string, who: string, role: string) =>
      `Bearer ${
        (
          await request(server)
            .post(`/api/infra-security/tenants/${tenant}/api-keys`)
            .set('Authorization', as(who))
            .send({ name: `k-${role}`, role })
        ).body.token
      }`;
    const readOnlyKey = await mint('cartwheel', PRIYA, 'read-only');
    const harborKey = await mint('harbor-bank', OMAR, 'security-analyst');
    for (const c of all) {
      expect((await call(c, readOnlyKey)).status).toBe(403);
      expect((await call(c, harborKey)).status).toBe(403);
    }
    const analystKey = await mint('cartwheel', PRIYA, 'security-analyst');
    for (const url of reads)
      expect((await call({ method: 'get', url }, analystKey)).status).toBe(200);

    // Nothing of cartwheel shows through harbor-bank's own routes.
    const harbor = await request(server)
      .get(`${api}/tenants/harbor-bank/findings/${finding}`)
      .set('Authorization', as(OMAR));
    expect(harbor.status).toBe(404);

    // The rules are the installation's: any signed-in caller, not an anonymous one.
    expect(
      (
        await request(server)
          .get(`${api}/rules`)
          .set('Authorization', as(MARIA))
      ).status,
    ).toBe(200);
    expect(
      (
        await request(server)
          .get(`${api}/rules`)
          .set('Authorization', mockCredentials.none.header())
      ).status,
    ).toBe(401);
    expect((await request(server).get(`${api}/health`)).status).toBe(200);

    // Refusals are in the tenant's audit log.
    const denied = await request(server)
      .get(
        '/api/infra-security/audit/cartwheel/events?action=permission.denied',
      )
      .set('Authorization', as(PRIYA));
    expect(denied.body.items.length).toBeGreaterThan(0);
  });

  it('shows the official control titles of a configured OSCAL catalog, and refuses one it cannot read', async () => {
    const titleOf = async (server: any, control: string) =>
      (
        await request(server)
          .get(`${cartwheel}/posture/nist-800-53-r5`)
          .set('Authorization', as(LI))
      ).body.controls.find((c: any) => c.id === control).title;
    const plain = await start(workdir());
    expect(await titleOf(plain, 'sc-28.1')).toBe(
      'Cryptographic Protection at Rest',
    );
    const server = await start(workdir(), undefined, {
      'nist-800-53-r5': corpusPath(
        'oscal',
        'NIST_SP-800-53_rev5_catalog-min.json',
      ),
    });
    expect(await titleOf(server, 'sc-28.1')).toBe('Cryptographic Protection');
    const rules = await request(server)
      .get(`${api}/rules`)
      .set('Authorization', as(LI));
    expect(rules.body.catalogs).toEqual([
      expect.objectContaining({
        name: 'nist-800-53-r5',
        version: '5.0.1',
        controls: 1189,
      }),
    ]);
    await expect(
      start(workdir(), undefined, {
        'nist-800-53-r5': '/no/such/catalog.json',
      }),
    ).rejects.toThrow(
      /Invalid config at 'infra.compliance.catalogs.nist-800-53-r5': \/no\/such\/catalog.json:1: no such file/,
    );
  });

  it('answers bad queries with 400 naming the parameter', async () => {
    const server = await start(workdir());
    const bad: Array<[string, RegExp]> = [
      ['/findings?status=closed', /status/],
      ['/findings?severity=urgent', /severity/],
      ['/findings?control=sc-7', /needs 'framework'/],
      ['/findings?framework=iso-27001', /No framework 'iso-27001'/],
      [
        '/findings?framework=nist-800-53-r5&control=zz-99',
        /no control 'zz-99'/,
      ],
      ['/findings?after=not-a-cursor', /cursor/],
      ['/findings?limit=0', /limit/],
      ['/evaluations?limit=abc', /limit/],
    ];
    for (const [url, message] of bad) {
      const res = await request(server)
        .get(`${cartwheel}${url}`)
        .set('Authorization', as(PRIYA));
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(JSON.stringify(res.body.error)).toMatch(message);
    }
    for (const url of ['/posture/iso-27001', '/posture/iso-27001/trend']) {
      const res = await request(server)
        .get(`${cartwheel}${url}`)
        .set('Authorization', as(PRIYA));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/No framework 'iso-27001'/);
    }
    const evaluation = await request(server)
      .get(`${cartwheel}/evaluations/00000000-0000-4000-8000-000000000000`)
      .set('Authorization', as(PRIYA));
    expect(evaluation.status).toBe(404);
    // Before any evaluation the posture is empty, not an error.
    const posture = await request(server)
      .get(`${cartwheel}/posture`)
      .set('Authorization', as(PRIYA));
    expect(posture.body).toEqual({ frameworks: [], findings: [] });
  });

  it('checks a plan for change control: public and unencrypted databases and buckets, open SSH; nothing stored', async () => {
    const server = await start(workdir());
    const res = await request(server)
      .post(`${cartwheel}/plan-checks`)
      .set('Authorization', as(TOMAS))
      .set('Content-Type', 'application/json')
      .send(partnerPlan);
    expect(res.status).toBe(200);
    const failing = res.body.findings.filter((f: any) => f.status === 'fail');
    const rules = new Set(failing.map((f: any) => f.ruleId));
    for (const rule of [
      'aws-rds-instance-public',
      'aws-rds-instance-encrypted',
      'aws-s3-bucket-encryption',
      'aws-s3-bucket-public-access-block',
      'aws-sg-ssh-open',
    ])
      expect(rules).toContain(rule);
    expect(failing[0].severity).toBe('critical');
    expect(failing[0]).toMatchObject({
      title: expect.any(String),
      controls: expect.any(Object),
      remediation: expect.any(String),
    });
    expect(res.body.counts.fail).toBe(failing.length);

    expect(res.body.ruleSetVersion).toMatch(/^[0-9a-f]{16}$/);

    // A plan carries the values of what it changes, sensitive ones too: the storefront's
    // database password is found where it is, by fingerprint, never shown.
    const storefrontPlan = fs.readFileSync(
      path.join(
        repo,
        'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
      ),
      'utf8',
    );
    const secrets = await request(server)
      .post(`${cartwheel}/plan-checks`)
      .set('Authorization', as(TOMAS))
      .set('Content-Type', 'application/json')
      .send(storefrontPlan);
    expect(secrets.status).toBe(200);
    const password = secrets.body.findings.filter(
      (f: any) => f.ruleId === 'tf-state-sensitive-value',
    );
    expect(password.length).toBeGreaterThan(0);
    expect(password[0]).toMatchObject({
      status: 'fail',
      severity: 'high',
      resourceType: 'aws_db_instance',
      address: 'aws_db_instance.orders',
      message: expect.stringMatching(
        /^password, line \d+, fingerprint [0-9a-f]{32}$/,
      ),
      controls: expect.objectContaining({
        'nist-800-53-r5': ['ia-5', 'sc-28', 'sc-12'],
      }),
    });
    expect(secrets.text).not.toContain('demo-only-orders-db-password');
    // The same secret in another tenant has another fingerprint.
    const harbor = await request(server)
      .post('/api/infra-compliance/tenants/harbor-bank/plan-checks')
      .set('Authorization', as(OMAR))
      .set('Content-Type', 'application/json')
      .send(storefrontPlan);
    expect(
      harbor.body.findings.find(
        (f: any) => f.ruleId === 'tf-state-sensitive-value',
      ).message,
    ).not.toBe(password[0].message);

    for (const [body, message] of [
      ['{"not":"a plan"}', /format_version/],
      ['this is not json', /not JSON/],
    ] as const) {
      const bad = await request(server)
        .post(`${cartwheel}/plan-checks`)
        .set('Authorization', as(TOMAS))
        .set('Content-Type', 'application/json')
        .send(body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(message);
    }
    // Nothing was stored: no evaluation, no finding.
    expect((await findings(server)).total).toBe(0);
  });

  it('reloads packs without a restart: a bad pack is refused with file and line, the previous rules stay', async () => {
    const dir = workdir();
    const packs = path.join(dir, 'packs');
    fs.mkdirSync(packs);
    const pack = (condition: string) => `apiVersion: infra-hub.io/v1alpha1
kind: RulePack
metadata:
  name: house
rules:
  - id: house-bucket-owner
    title: Bucket names its owner
    severity: low
    resourceTypes: [aws_s3_bucket]
    condition: ${condition}
    remediation: Tag the bucket with its owning team.
    controls:
      nist-800-53-r5: [cm-6]
    examples:
      pass: [{ tags: { Owner: payments } }]
      fail: [{ tags: {} }]
`;
    fs.writeFileSync(
      path.join(packs, 'house.yaml'),
      pack("has(resource.tags) && 'Owner' in resource.tags"),
    );
    const server = await start(dir, { house: packs });
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    await evaluated(server, 'cartwheel', 1);
    const rules = async () =>
      (
        await request(server)
          .get(`${api}/rules`)
          .set('Authorization', as(MARIA))
      ).body;
    const before = await rules();
    expect(before.rules.map((r: any) => r.id)).toContain('house-bucket-owner');
    expect(before.rules.length).toBeGreaterThanOrEqual(91);
    expect(before.lastReloadError).toBeUndefined();

    fs.writeFileSync(
      path.join(packs, 'house.yaml'),
      pack("resource.tags['Owner'"),
    );
    let refused: any;
    for (let i = 0; i < 100 && !refused?.lastReloadError; i++) {
      await sleep(100);
      refused = await rules();
    }
    expect(refused.lastReloadError).toMatch(/house\.yaml:10: /);
    expect(refused.version).toBe(before.version);
    expect(refused.rules.map((r: any) => r.id)).toContain('house-bucket-owner');

    fs.writeFileSync(
      path.join(packs, 'house.yaml'),
      pack(
        "has(resource.tags) && ('Owner' in resource.tags || 'Team' in resource.tags)",
      ),
    );
    let fixed: any;
    for (
      let i = 0;
      i < 100 && (!fixed || fixed.version === before.version);
      i++
    ) {
      await sleep(100);
      fixed = await rules();
    }
    expect(fixed.lastReloadError).toBeUndefined();
    expect(fixed.version).not.toBe(before.version);
    const rule = fixed.rules.find((r: any) => r.id === 'house-bucket-owner');
    expect(rule.condition).toMatch(/Team/);
    // The tenants evaluated before are evaluated again with the new rules.
    const latest = await evaluated(server, 'cartwheel', 2);
    expect(latest).toMatchObject({
      trigger: 'rules-changed',
      ruleSetVersion: fixed.version,
    });
  });

  it('drafts the POA&M from open findings, moves items only along their transitions, and exports OSCAL that validates', async () => {
    const dir = workdir();
    const server = await start(dir);
    // Before any evaluation there is nothing to export.
    const early = await request(server)
      .get(`${cartwheel}/oscal/assessment-results?framework=nist-800-53-r5`)
      .set('Authorization', as(LI));
    expect(early.status).toBe(404);
    expect(early.body.error.message).toMatch(/not been evaluated yet/);

    await discover(server, 'cartwheel', 'storefront', PRIYA);
    await evaluated(server, 'cartwheel', 1);
    const open = await findings(server, '?status=open&limit=500');
    const list = await request(server)
      .get(`${cartwheel}/poam?limit=500`)
      .set('Authorization', as(LI));
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => i.findingId).sort()).toEqual(
      open.items.map((f: any) => f.id).sort(),
    );
    const ssh = bySuffix(open.items, 'aws-sg-ssh-open', 'sg-0f1e2d3c4b5a69781');
    const item = list.body.items.find((i: any) => i.findingId === ssh.id);
    expect(item).toMatchObject({
      state: 'open',
      severity: 'critical',
      findingStatus: 'open',
      milestones: [{ done: false }, { done: false }, { done: false }],
    });
    // Critical: due in 15 days.
    expect(
      (new Date(item.dueAt).getTime() - new Date(item.createdAt).getTime()) /
        86400_000,
    ).toBe(15);

    const move = (to: string, who = TOMAS, comment?: string) =>
      request(server)
        .post(`${cartwheel}/poam/${item.id}/transitions`)
        .set('Authorization', as(who))
        .send({ to, ...(comment ? { comment } : {}) });
    const skip = await move('verification');
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toBe(
      'A POA&M item cannot go from open to verification; from open it may go to in_progress',
    );
    expect((await move('done')).status).toBe(400);
    expect((await move('in_progress', LI)).status).toBe(403);
    expect((await move('in_progress', OMAR)).status).toBe(403);
    expect((await move('in_progress', MARIA)).status).toBe(403);
    expect(
      (await move('in_progress', TOMAS, 'Bastion ticket OPS-1234')).status,
    ).toBe(200);
    expect((await move('verification')).status).toBe(200);
    // The finding is still open: closing needs an evaluation that resolves it.
    const early2 = await move('closed');
    expect(early2.status).toBe(409);
    expect(early2.body.error.message).toMatch(/its finding is open/);

    fixSsh(dir);
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    await evaluated(server, 'cartwheel', 2);
    const closed = await move('closed', PRIYA, 'Verified by the evaluation');
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      state: 'closed',
      findingStatus: 'resolved',
      closedAt: expect.any(String),
      milestones: [{ done: true }, { done: true }, { done: true }],
    });
    expect(
      closed.body.history.map((h: any) => `${h.from ?? ''}>${h.to}`),
    ).toEqual([
      '>open',
      'open>in_progress',
      'in_progress>verification',
      'verification>closed',
    ]);
    expect((await move('open')).status).toBe(409);
    // The second evaluation drafted nothing twice.
    const again = await request(server)
      .get(`${cartwheel}/poam?limit=500&state=open`)
      .set('Authorization', as(LI));
    const ids = again.body.items.map((i: any) => i.findingId);
    expect(new Set(ids).size).toBe(ids.length);

    const validate = oscalValidator();
    const ar = await request(server)
      .get(`${cartwheel}/oscal/assessment-results?framework=nist-800-53-r5`)
      .set('Authorization', as(LI));
    expect(ar.status).toBe(200);
    expect(ar.headers['content-disposition']).toMatch(
      /assessment-results-cartwheel-nist-800-53-r5\.json/,
    );
    const arDoc = JSON.parse(ar.text);
    expect(validate(arDoc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(
      true,
    );
    const result = arDoc['assessment-results'].results[0];
    const target = (control: string) =>
      result.findings.find(
        (f: any) => f.target['target-id'] === `${control}_obj`,
      );
    expect(target('sc-7').target.status.state).toBe('not-satisfied');
    expect(result.observations.length).toBe(
      (
        await findings(
          server,
          '?status=open&framework=nist-800-53-r5&limit=500',
        )
      ).total,
    );
    expect(arDoc['assessment-results'].metadata['oscal-version']).toBe('1.1.2');

    const poam = await request(server)
      .get(`${cartwheel}/oscal/poam?framework=pci-dss-4.0`)
      .set('Authorization', as(LI));
    expect(poam.status).toBe(200);
    const poamDoc = JSON.parse(poam.text);
    expect(
      validate(poamDoc),
      JSON.stringify(validate.errors?.slice(0, 3)),
    ).toBe(true);
    const risk = poamDoc['plan-of-action-and-milestones'].risks.find(
      (r: any) => r.title === item.title,
    );
    expect(risk).toMatchObject({ status: 'closed', deadline: item.dueAt });

    for (const url of [
      '/oscal/assessment-results?framework=iso-27001',
      '/oscal/poam?framework=iso-27001',
      '/oscal/assessment-results',
    ]) {
      const res = await request(server)
        .get(`${cartwheel}${url}`)
        .set('Authorization', as(LI));
      expect({ url, status: res.status }).toEqual({
        url,
        status: url.endsWith('results') ? 400 : 404,
      });
    }
    // Who may read what: the POA&M and its export are not for read-only users or other tenants.
    for (const url of [
      '/poam',
      `/poam/${item.id}`,
      '/oscal/poam',
      '/oscal/assessment-results?framework=soc2',
    ]) {
      for (const [who, status] of [
        [MARIA, 403],
        [OMAR, 403],
      ] as const) {
        const res = await request(server)
          .get(`${cartwheel}${url}`)
          .set('Authorization', as(who));
        expect({ url, who, status: res.status }).toEqual({ url, who, status });
      }
      const none = await request(server)
        .get(`${cartwheel}${url}`)
        .set('Authorization', mockCredentials.none.header());
      expect(none.status).toBe(401);
    }
  });

  it("takes a tenant's own framework into its evaluation at once, checked against the rules, for its admins only", async () => {
    const server = await start(workdir());
    await discover(server, 'cartwheel', 'storefront', PRIYA);
    await evaluated(server, 'cartwheel', 1);
    const url = `${cartwheel}/frameworks/house-baseline`;
    const framework = {
      title: 'House baseline',
      version: '2026.1',
      controls: [
        { id: 'HB-1', title: 'No administrative port open to the internet' },
        { id: 'HB-2', title: 'Object storage keeps versions' },
        { id: 'HB-3' },
      ],
      mappings: {
        'aws-sg-ssh-open': ['HB-1'],
        'aws-s3-bucket-versioning': ['HB-2'],
      },
    };
    const put = (body: object, who = PRIYA, target = url) =>
      request(server).put(target).set('Authorization', as(who)).send(body);

    const bad: Array<[object, RegExp, string?]> = [
      [
        { ...framework, mappings: { 'no-such-rule': ['HB-1'] } },
        /No rule 'no-such-rule'/,
      ],
      [
        { ...framework, mappings: { 'aws-sg-ssh-open': ['HB-9'] } },
        /Control 'HB-9' \(mapped from rule 'aws-sg-ssh-open'\) is not among/,
      ],
      [
        { ...framework, controls: [{ id: 'HB-1' }, { id: 'HB-1' }] },
        /listed twice/,
      ],
      [{ ...framework, controls: [] }, /controls/],
      [{ ...framework, title: '' }, /title/],
      [
        framework,
        /framework of the installation's rule packs/,
        `${cartwheel}/frameworks/nist-800-53-r5`,
      ],
      [framework, /must be lowercase/, `${cartwheel}/frameworks/House`],
    ];
    for (const [body, message, target] of bad) {
      const res = await put(body, PRIYA, target);
      expect({ message: String(message), status: res.status }).toEqual({
        message: String(message),
        status: 400,
      });
      expect(res.body.error.message).toMatch(message);
    }
    // Only a tenant admin of this tenant defines frameworks.
    expect((await put(framework, TOMAS)).status).toBe(403);
    expect((await put(framework, OMAR)).status).toBe(403);
    expect(
      (
        await request(server)
          .put(url)
          .set('Authorization', mockCredentials.none.header())
          .send(framework)
      ).status,
    ).toBe(401);
    const listed = await request(server)
      .get(`${cartwheel}/frameworks`)
      .set('Authorization', as(LI));
    expect(listed.body.items).toEqual([]);

    const created = await put(framework);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'house-baseline',
      updatedBy: PRIYA,
    });
    // The tenant is evaluated again with it.
    const again = await evaluated(server, 'cartwheel', 2);
    const house = again.frameworks.find(
      (f: any) => f.framework === 'house-baseline',
    );
    expect(house).toMatchObject({
      title: 'House baseline',
      controls: { failing: 2, notAssessed: 1 },
    });
    const detail = await request(server)
      .get(`${cartwheel}/posture/house-baseline`)
      .set('Authorization', as(LI));
    expect(detail.body.controls.map((c: any) => `${c.id} ${c.status}`)).toEqual(
      ['HB-1 failing', 'HB-2 failing', 'HB-3 not-assessed'],
    );
    const hb1 = await findings(
      server,
      '?framework=house-baseline&control=HB-1',
      LI,
    );
    expect(hb1.items.map((f: any) => f.ruleId)).toEqual(['aws-sg-ssh-open']);
    expect(hb1.items[0].controls['house-baseline']).toEqual(['HB-1']);
    const ar = await request(server)
      .get(`${cartwheel}/oscal/assessment-results?framework=house-baseline`)
      .set('Authorization', as(LI));
    const validate = oscalValidator();
    expect(validate(JSON.parse(ar.text))).toBe(true);

    // Another tenant neither sees it nor can use it.
    const harbor = `${api}/tenants/harbor-bank`;
    expect(
      (
        await request(server)
          .get(`${harbor}/frameworks`)
          .set('Authorization', as(OMAR))
      ).body.items,
    ).toEqual([]);
    expect(
      (
        await request(server)
          .get(`${harbor}/posture/house-baseline`)
          .set('Authorization', as(OMAR))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(server)
          .get(`${cartwheel}/frameworks`)
          .set('Authorization', as(MARIA))
      ).status,
    ).toBe(403);

    const replaced = await put({ ...framework, title: 'House baseline v2' });
    expect(replaced.status).toBe(200);
    const audit = await request(server)
      .get('/api/infra-security/audit/cartwheel/events')
      .set('Authorization', as(PRIYA));
    const actions = audit.body.items.map((e: any) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'compliance.framework.created',
        'compliance.framework.updated',
      ]),
    );
    expect(
      (await request(server).delete(url).set('Authorization', as(PRIYA)))
        .status,
    ).toBe(204);
    expect(
      (
        await request(server)
          .get(`${cartwheel}/posture/house-baseline`)
          .set('Authorization', as(LI))
      ).status,
    ).toBe(404);
    expect(
      (await request(server).delete(url).set('Authorization', as(PRIYA)))
        .status,
    ).toBe(404);
  });

  it('forgets a deleted tenant: findings, evaluations and posture go with it', async () => {
    const server = await start(workdir());
    await discover(server, 'harbor-bank', 'core', OMAR);
    await evaluated(server, 'harbor-bank', 1, OMAR);
    const harbor = `${api}/tenants/harbor-bank`;
    const before = await request(server)
      .get(`${harbor}/findings`)
      .set('Authorization', as(OMAR));
    expect(before.body.total).toBeGreaterThan(0);
    const purged = await deleteTenantAndAwaitPurge(server, {
      tenantId: 'harbor-bank',
      authorization: as(ALEX),
      pluginId: 'infra-compliance',
    });
    expect(purged.details.removed.findings).toBe(before.body.total);
    expect(purged.details.removed.evaluations).toBeGreaterThanOrEqual(1);
  });
});
