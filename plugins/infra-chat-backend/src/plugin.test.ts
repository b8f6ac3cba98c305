import { mockCredentials } from '@backstage/backend-test-utils';
import { PERSONAS } from '@infra-hub/test-utils';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  PLANTED,
  search as searchIn,
  startChatTestBackend,
} from './__testUtils__/chatBackend';

const {
  priya: PRIYA,
  tomas: TOMAS,
  li: LI,
  maria: MARIA,
  omar: OMAR,
  alex: ALEX,
  dana: DANA,
} = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const api = '/api/infra-chat';
const cartwheel = `${api}/tenants/cartwheel`;

let server: any;
let close: () => void;
const search = (tenant: string, who: string, q: string, limit = 50) =>
  searchIn(server, tenant, who, q, limit);

beforeAll(async () => {
  ({ server, close } = await startChatTestBackend());
}, 180_000);

afterAll(() => close());

const BROAD =
  'storefront bucket exposed internet drift change approved finding encryption security group';

describe('infra-chat', () => {
  it('answers each person from exactly what they may read, ranked among that only', async () => {
    const kindsOf = async (tenant: string, who: string) => {
      const res = await search(tenant, as(who), BROAD);
      expect(res.status).toBe(200);
      return {
        kinds: new Set(res.body.items.map((s: any) => s.kind)),
        items: res.body.items,
      };
    };
    // Tenant admin: every kind.
    const priya = await kindsOf('cartwheel', PRIYA);
    expect([...priya.kinds].sort()).toEqual(
      [
        'asset',
        'attack-path',
        'change-request',
        'drift',
        'entity',
        'finding',
        'module',
      ].sort(),
    );
    // Read-only: the catalog, the asset graph and change control; no findings.
    const maria = await kindsOf('cartwheel', MARIA);
    expect([...maria.kinds].sort()).toEqual(
      [
        'asset',
        'attack-path',
        'change-request',
        'drift',
        'entity',
        'module',
      ].sort(),
    );
    // Auditor: findings and change control; no asset graph.
    const li = await kindsOf('cartwheel', LI);
    expect([...li.kinds].sort()).toEqual(
      ['change-request', 'drift', 'entity', 'finding', 'module'].sort(),
    );
    // Harbor's admin asking the same question in harbor-bank gets harbor-bank's items only.
    const omar = await kindsOf('harbor-bank', OMAR);
    const cartwheelIds = new Set(
      priya.items.map((s: any) => `${s.kind}:${s.id}`),
    );
    expect(omar.items.length).toBeGreaterThan(0);
    // (The internet is everyone's.)
    for (const s of omar.items.filter(
      (i: any) => !i.id.startsWith('internet:'),
    ))
      expect(cartwheelIds.has(`${s.kind}:${s.id}`)).toBe(false);
    expect(JSON.stringify(omar.items)).not.toMatch(/storefront|cartwheel/i);

    // Top-k is computed over allowed items: a question about findings still fills the
    // read-only person's five places, with what they may read.
    const findingsQuestion = 'finding encryption storefront bucket';
    const top = await search('cartwheel', as(MARIA), findingsQuestion, 5);
    expect(top.body.items).toHaveLength(5);
    expect(top.body.items.every((s: any) => s.kind !== 'finding')).toBe(true);
    const auditorTop = await search('cartwheel', as(LI), findingsQuestion, 5);
    expect(auditorTop.body.items.some((s: any) => s.kind === 'finding')).toBe(
      true,
    );
  });

  it('answers a conversation with cited sources and tool tables, without a model', async () => {
    const first = await request(server)
      .post(`${cartwheel}/conversations`)
      .set('Authorization', as(PRIYA))
      .send({
        question:
          'Which modules drifted and who approved the last change to them?',
      });
    expect(first.status).toBe(201);
    const { conversation, message } = first.body;
    expect(conversation.title).toMatch(/^Which modules drifted/);
    expect(message).toMatchObject({
      role: 'assistant',
      machineWritten: true,
      mode: 'extractive',
    });
    expect(message.sources.length).toBeGreaterThan(0);
    expect(message.sources.map((s: any) => s.kind)).toEqual(
      expect.arrayContaining(['drift', 'change-request']),
    );
    expect(message.content).toMatch(/\[1\] /);
    const tables = Object.fromEntries(
      message.tables.map((t: any) => [t.title, t]),
    );
    expect(tables['Drift by module'].rows.map((r: string[]) => r[0])).toContain(
      'storefront-prod',
    );
    const changes = tables['Change requests'];
    expect(changes.rows[0][5]).toMatch(
      /approved by user:default\/tomas\.novak .*\(signed\)/,
    );

    // A follow-up, streamed as JSON lines: sources first, tables, text, then the stored answer.
    const streamed = await request(server)
      .post(`${cartwheel}/conversations/${conversation.id}/messages`)
      .set('Authorization', as(PRIYA))
      .set('Accept', 'application/x-ndjson')
      .send({ question: 'What is exposed to the internet?' })
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => cb(null, text));
      });
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-type']).toMatch(/application\/x-ndjson/);
    const events = (streamed.body as string)
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(events[0].type).toBe('sources');
    expect(events.map(e => e.type)).toEqual(
      expect.arrayContaining(['table', 'delta']),
    );
    expect(events.slice(-2).map(e => e.type)).toEqual(['conversation', 'done']);
    const exposure = events.find(e => e.type === 'table').table;
    expect(exposure.title).toBe('Exposed to the internet');
    expect(exposure.rows.length).toBeGreaterThan(0);

    // Stored: four messages in order; listed among her conversations; nobody else's to read.
    const detail = await request(server)
      .get(`${cartwheel}/conversations/${conversation.id}`)
      .set('Authorization', as(PRIYA));
    expect(detail.body.messages.map((m: any) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    const list = await request(server)
      .get(`${cartwheel}/conversations`)
      .set('Authorization', as(PRIYA));
    expect(list.body.items.map((c: any) => c.id)).toContain(conversation.id);
    for (const other of [TOMAS, DANA]) {
      const res = await request(server)
        .get(`${cartwheel}/conversations/${conversation.id}`)
        .set('Authorization', as(other));
      expect(res.status).toBe(404);
      const listed = await request(server)
        .get(`${cartwheel}/conversations`)
        .set('Authorization', as(other));
      expect(listed.body.items.map((c: any) => c.id)).not.toContain(
        conversation.id,
      );
      const follow = await request(server)
        .post(`${cartwheel}/conversations/${conversation.id}/messages`)
        .set('Authorization', as(other))
        .send({ question: 'and?' });
      expect(follow.status).toBe(404);
      const del = await request(server)
        .delete(`${cartwheel}/conversations/${conversation.id}`)
        .set('Authorization', as(other));
      expect(del.status).toBe(404);
    }

    // The tools run with the asker's rights: the auditor gets no exposure table rows.
    const auditor = await request(server)
      .post(`${cartwheel}/conversations`)
      .set('Authorization', as(LI))
      .send({ question: 'What is exposed to the internet?' });
    const auditorTable = auditor.body.message.tables[0];
    expect(auditorTable.rows).toEqual([
      ['You may not read this (infra.asset-graph.read)'],
    ]);

    // Deleted by its owner, it is gone.
    const del = await request(server)
      .delete(`${cartwheel}/conversations/${conversation.id}`)
      .set('Authorization', as(PRIYA));
    expect(del.status).toBe(204);
    const gone = await request(server)
      .get(`${cartwheel}/conversations/${conversation.id}`)
      .set('Authorization', as(PRIYA));
    expect(gone.status).toBe(404);
  });

  it('never lets a planted secret out, in sources, answers or tables', async () => {
    const questions = [
      'cartwheel-deployer deploy token password slack hook',
      'rollback previous release admin password key',
      'DeployKey tags bucket storefront',
      'approved reviewed drift token hook',
      'alerts module webhook hook token',
      'storefront-secrets drift plan',
      'web instance attack path exposed internet',
      'finding on web instance security group',
    ];
    for (const q of questions) {
      const found = await search('cartwheel', as(PRIYA), q);
      expect(found.body.items.length).toBeGreaterThan(0);
      const answer = await request(server)
        .post(`${cartwheel}/conversations`)
        .set('Authorization', as(PRIYA))
        .send({ question: `${q} approvals drift exposed findings` });
      expect(answer.status).toBe(201);
      const text = JSON.stringify([found.body, answer.body]);
      for (const secret of Object.values(PLANTED))
        expect(text).not.toContain(secret);
    }
    // The planted items are indexed, with their secrets replaced.
    const deployer = await search(
      'cartwheel',
      as(PRIYA),
      'cartwheel-deployer deploy token',
    );
    const item = deployer.body.items.find(
      (s: any) => s.id === 'component:default/cartwheel-deployer',
    );
    expect(deployer.body.items.map((s: any) => s.id)).toContain(
      'component:default/cartwheel-deployer',
    );
    expect(item.snippet).toContain('(sensitive)');
    // So are the module with a token in its interface, the instance named with a token (its
    // asset, attack paths and findings) and the drift of the plan with a password in its values.
    const alerts = await search(
      'cartwheel',
      as(PRIYA),
      'webhook_url default hook token alerts',
    );
    const module = alerts.body.items.find(
      (s: any) => s.id === 'component:default/cartwheel-alerts-module',
    );
    expect(module.kind).toBe('module');
    expect(module.snippet).toMatch(/hook token is \(sensitive\)/);
    const web = await search(
      'cartwheel',
      as(PRIYA),
      'aws_instance web attack path',
    );
    const titles = web.body.items.map((s: any) => `${s.kind}: ${s.title}`);
    expect(titles).toContain('asset: aws_instance (sensitive)');
    const drift = await search(
      'cartwheel',
      as(PRIYA),
      'storefront-secrets drift',
    );
    expect(drift.body.items.map((s: any) => s.id)).toContain(
      'storefront-secrets',
    );
  });

  it('assesses a change request, drafts its rollback, summarises its plan: machine-written, with the asker’s rights', async () => {
    const changes = await request(server)
      .get('/api/infra-change/tenants/cartwheel/change-requests')
      .set('Authorization', as(PRIYA));
    const change = changes.body.items[0];
    const post = (what: string, body: object, who = as(PRIYA)) =>
      request(server)
        .post(`${cartwheel}/ai/${what}`)
        .set('Authorization', who)
        .send(body);

    const risk = await post('risk-assessment', { changeId: change.id });
    expect(risk.status).toBe(200);
    expect(risk.body).toMatchObject({
      feature: 'risk-assessment',
      subject: `change:${change.id}`,
      machineWritten: true,
    });
    expect(risk.body.narration).toBeUndefined();
    expect(risk.body.text).toMatch(/^Risk: critical \(module storefront-prod/);
    expect(risk.body.text).toMatch(
      /Approvals: 1 of 2 required \(user:default\/tomas\.novak, signed\)/,
    );
    const rollback = await post('rollback-plan', { changeId: change.id });
    expect(rollback.body.text).toMatch(/^1\. Revert the change/);
    expect(rollback.body.text).toMatch(
      /The requester's rollback note: Re-apply/,
    );
    // The note's planted password and key are not repeated.
    for (const secret of Object.values(PLANTED)) {
      expect(rollback.body.text).not.toContain(secret);
    }
    const summary = await post('plan-summary', { planId: change.planId });
    const plan = await request(server)
      .get(`/api/infra-change/tenants/cartwheel/plans/${change.planId}`)
      .set('Authorization', as(PRIYA));
    expect(summary.body.text).toBe(plan.body.summary.text);

    // Whoever reads changes may ask (read-only, a read-only key); no one else.
    expect(
      (await post('risk-assessment', { changeId: change.id }, as(MARIA)))
        .status,
    ).toBe(200);
    for (const who of [as(OMAR), as(ALEX)]) {
      expect(
        (await post('risk-assessment', { changeId: change.id }, who)).status,
      ).toBe(403);
    }
    expect(
      (
        await request(server)
          .post(`${cartwheel}/ai/rollback-plan`)
          .send({ changeId: change.id })
      ).status,
    ).toBe(401);
    // Harbor's admin cannot reach Cartwheel's change through Harbor's path.
    const harbor = await request(server)
      .post('/api/infra-chat/tenants/harbor-bank/ai/risk-assessment')
      .set('Authorization', as(OMAR))
      .send({ changeId: change.id });
    expect(harbor.status).toBe(404);
    // Bad input names the field; an unknown id is a 404.
    const bad = await post('risk-assessment', { changeId: '../../x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/changeId/);
    expect((await post('plan-summary', {})).status).toBe(400);
    expect(
      (
        await post('rollback-plan', {
          changeId: '00000000-0000-4000-8000-000000000000',
        })
      ).status,
    ).toBe(404);
  });

  it('diagnoses a failed CI run of the pipelines plugin, for whoever reads the tenant’s runs', async () => {
    const runs = await eventually(async () => {
      const res = await request(server)
        .get('/api/infra-pipelines/tenants/cartwheel/runs?limit=50')
        .set('Authorization', as(PRIYA));
      return res.body.items?.length >= 10 ? res.body.items : undefined;
    }, 'the demo’s pipeline runs');
    const failed = runs.find((r: any) => r.externalId === '7003');
    const ok = runs.find((r: any) => r.status === 'succeeded');
    const diagnose = (runId: string, who = as(MARIA)) =>
      request(server)
        .post(`${cartwheel}/ai/failure-diagnosis`)
        .set('Authorization', who)
        .send({ runId });
    const res = await diagnose(failed.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      feature: 'failure-diagnosis',
      subject: `run:${failed.id}`,
      machineWritten: true,
    });
    expect(res.body.text).toMatch(
      /^terraform #3 of cartwheel\/storefront-infra \(github, branch main/,
    );
    expect(res.body.text).toMatch(/Failed job: plan/);
    expect(res.body.text).toMatch(/Its log was not read/);
    expect(res.body.narration).toBeUndefined();
    expect((await diagnose(ok.id)).status).toBe(409);
    expect(
      (await diagnose('00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404);
    expect((await diagnose('not an id')).status).toBe(400);
    expect((await diagnose(failed.id, as(OMAR))).status).toBe(403);
    expect(
      (
        await request(server)
          .post(`${cartwheel}/ai/failure-diagnosis`)
          .send({ runId: failed.id })
      ).status,
    ).toBe(401);
  });

  it('proposes the closest golden paths for a module described, without a model', async () => {
    const draft = (body: object, who = as(PRIYA)) =>
      request(server)
        .post(`${cartwheel}/ai/module-draft`)
        .set('Authorization', who)
        .send(body);
    const bucket = await draft({
      description:
        'A private encrypted S3 bucket for the order exports, versioned',
    });
    expect(bucket.status).toBe(200);
    expect(bucket.body.files).toBeUndefined();
    expect(bucket.body.machineWritten).toBe(true);
    expect(bucket.body.proposals[0].templateRef).toBe(
      'template:default/terraform-aws-s3-bucket',
    );
    const database = await draft({
      description: 'A PostgreSQL database on RDS',
    });
    expect(database.body.proposals[0].templateRef).toBe(
      'template:default/terraform-aws-rds-postgres',
    );
    // Only people who bring modules in; bad input names the field.
    for (const who of [as(MARIA), as(LI), as(OMAR)]) {
      expect((await draft({ description: 'a bucket' }, who)).status).toBe(403);
    }
    for (const [body, field] of [
      [{}, /description/],
      [{ description: 'x'.repeat(2001) }, /description/],
      [{ description: 'a bucket', name: 'Bad Name' }, /name/],
    ] as const) {
      const res = await draft(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(field);
    }
  });

  it('refuses bad questions with a 400 naming what is wrong, storing nothing', async () => {
    const before = await request(server)
      .get(`${cartwheel}/conversations`)
      .set('Authorization', as(TOMAS));
    for (const [body, message] of [
      [{}, /question/],
      [{ question: '' }, /question/],
      [{ question: '   ' }, /question/],
      [{ question: 42 }, /question/],
      [{ question: 'x'.repeat(2001) }, /question.*2000/],
      [{ question: 'ok', entityRef: 'x'.repeat(301) }, /entityRef/],
    ] as const) {
      const res = await request(server)
        .post(`${cartwheel}/conversations`)
        .set('Authorization', as(TOMAS))
        .send(body);
      expect({ status: res.status, body }).toEqual({ status: 400, body });
      expect(res.body.error.message).toMatch(message);
    }
    const tooLarge = await request(server)
      .post(`${cartwheel}/conversations`)
      .set('Authorization', as(TOMAS))
      .send({ question: 'y'.repeat(20_000) });
    expect(tooLarge.status).toBe(413);
    const badId = await request(server)
      .post(`${cartwheel}/conversations/not-a-uuid/messages`)
      .set('Authorization', as(TOMAS))
      .send({ question: 'hello' });
    expect(badId.status).toBe(400);
    const missing = await request(server)
      .post(
        `${cartwheel}/conversations/00000000-0000-4000-8000-000000000000/messages`,
      )
      .set('Authorization', as(TOMAS))
      .send({ question: 'hello' });
    expect(missing.status).toBe(404);
    const emptySearch = await search('cartwheel', as(TOMAS), '');
    expect(emptySearch.status).toBe(400);
    const after = await request(server)
      .get(`${cartwheel}/conversations`)
      .set('Authorization', as(TOMAS));
    expect(after.body.items).toEqual(before.body.items);
  });

  it('keeps every route to its tenant and role: another tenant, system admin, API keys, no credentials', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    const routes: Array<{
      method: 'get' | 'post' | 'put' | 'delete';
      url: string;
      body?: object;
    }> = [
      { method: 'delete', url: `${cartwheel}/conversations/${none}` },
      {
        method: 'post',
        url: `${cartwheel}/conversations/${none}/messages`,
        body: { question: 'and?' },
      },
      { method: 'post', url: `${cartwheel}/index` },
      { method: 'get', url: `${cartwheel}/ai/usage` },
      { method: 'get', url: `${cartwheel}/ai/usage/summary` },
      { method: 'get', url: `${cartwheel}/ai/policies` },
      {
        method: 'put',
        url: `${cartwheel}/ai/policies/default`,
        body: { features: ['chat'], dataClasses: ['catalog'] },
      },
      { method: 'delete', url: `${cartwheel}/ai/policies/default` },
      {
        method: 'post',
        url: `${cartwheel}/ai/plan-summary`,
        body: { planId: none },
      },
      {
        method: 'post',
        url: `${cartwheel}/ai/risk-assessment`,
        body: { changeId: none },
      },
      {
        method: 'post',
        url: `${cartwheel}/ai/rollback-plan`,
        body: { changeId: none },
      },
      {
        method: 'post',
        url: `${cartwheel}/ai/module-draft`,
        body: { description: 'a bucket' },
      },
      {
        method: 'post',
        url: `${cartwheel}/ai/failure-diagnosis`,
        body: { runId: none },
      },
      { method: 'get', url: `${cartwheel}/status` },
      { method: 'get', url: `${cartwheel}/search?q=storefront` },
      { method: 'get', url: `${cartwheel}/conversations` },
      {
        method: 'post',
        url: `${cartwheel}/conversations`,
        body: { question: 'drift?' },
      },
      {
        method: 'get',
        url: `${cartwheel}/conversations/00000000-0000-4000-8000-000000000000`,
      },
    ];
    const call = (r: (typeof routes)[number], auth?: string) => {
      const req = request(server)[r.method](r.url);
      if (auth) req.set('Authorization', auth);
      return r.body ? req.send(r.body) : req;
    };
    for (const r of routes) {
      expect((await call(r)).status).toBe(401);
      expect((await call(r, mockCredentials.none.header())).status).toBe(401);
      expect((await call(r, as(OMAR))).status).toBe(403);
      expect((await call(r, as(ALEX))).status).toBe(403);
    }
    // Reindexing is the tenant admin's.
    const reindex = { method: 'post' as const, url: `${cartwheel}/index` };
    for (const who of [MARIA, LI, TOMAS, OMAR]) {
      expect((await call(reindex, as(who))).status).toBe(403);
    }
    expect((await call(reindex, as(PRIYA))).status).toBe(202);

    // API keys act with their role in their tenant only.
    const mint = async (tenant: string, who: string, role: string) =>
      `Bearer ${
        (
          await request(server)
            .post(`/api/infra-security/tenants/${tenant}/api-keys`)
            .set('Authorization', as(who))
            .send({ name: `chat-${role}`, role })
        ).body.token
      }`;
    const harborKey = await mint('harbor-bank', OMAR, 'tenant-admin');
    for (const r of routes) expect((await call(r, harborKey)).status).toBe(403);
    const readOnlyKey = await mint('cartwheel', PRIYA, 'read-only');
    // A read-only key neither reads AI usage nor sets policies nor drafts modules; it reads
    // changes, so the change control endpoints answer it (404: no such plan or change).
    for (const r of routes.filter(x => x.url.includes('/ai/'))) {
      const expected =
        /plan-summary|risk-assessment|rollback-plan|failure-diagnosis/.test(
          r.url,
        )
          ? 404
          : 403;
      expect({
        url: r.url,
        status: (await call(r, readOnlyKey)).status,
      }).toEqual({
        url: r.url,
        status: expected,
      });
    }
    const found = await search('cartwheel', readOnlyKey, BROAD);
    expect(found.status).toBe(200);
    expect(found.body.items.some((s: any) => s.kind === 'finding')).toBe(false);
    const asked = await request(server)
      .post(`${cartwheel}/conversations`)
      .set('Authorization', readOnlyKey)
      .send({ question: 'Which findings are open and what drifted?' });
    expect(asked.status).toBe(201);
    const tables = Object.fromEntries(
      asked.body.message.tables.map((t: any) => [t.title, t.rows]),
    );
    // The key's role reads drift, not findings.
    expect(tables['Drift by module'].length).toBeGreaterThan(0);
    expect(tables.list_findings).toEqual([
      ['You may not read this (infra.findings.read)'],
    ]);
    expect((await call(reindex, readOnlyKey)).status).toBe(403);

    // The health check needs no token.
    expect((await request(server).get(`${api}/health`)).status).toBe(200);
  });
});
