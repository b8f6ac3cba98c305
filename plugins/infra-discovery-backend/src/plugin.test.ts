import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { createDiscoveryProviderModule } from '@infra-hub/plugin-infra-discovery-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import {
  deleteTenantAndAwaitPurge,
  onBehalfOfAwareMockAuth,
  PERSONAS,
  testVault,
} from '@infra-hub/test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { infraDiscoveryPlugin } from './plugin';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel
const MARIA = PERSONAS.maria; // read-only in cartwheel
const LI = PERSONAS.li; // auditor of cartwheel
const ALEX = PERSONAS.alex; // system-admin
const as = (ref: string) => mockCredentials.user.header(ref);

/** A provider kind whose program dies without saying "done" (src/__fixtures__). */
const dyingProviderModule = createDiscoveryProviderModule({
  moduleId: 'dying',
  provider: {
    id: 'dying',
    title: 'A provider that dies',
    credentialHint: 'none',
    command: () => ({
      command: process.execPath,
      args: [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        path.join(__dirname, '__fixtures__/dyingProvider.ts'),
      ],
    }),
    validateSettings: settings => settings,
  },
});

async function start(
  options: { egress?: { allowedNetworks: string[] }; dying?: boolean } = {},
) {
  const { egress } = options;
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
                      'read-only': [MARIA],
                      auditor: [LI],
                    },
                  },
                  'harbor-bank': { title: 'Harbor' },
                },
              },
            },
            discovery: {
              ...(egress ? { egress } : {}),
              sources: {
                cartwheel: {
                  storefront: {
                    name: 'Storefront production state',
                    provider: 'terraform',
                    settings: {
                      type: 'file',
                      path: path.join(
                        repo,
                        'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
                      ),
                    },
                  },
                  ...(options.dying
                    ? { dying: { provider: 'dying', settings: {} } }
                    : {}),
                  broken: {
                    provider: 'terraform',
                    settings: {
                      type: 'file',
                      path: path.join(
                        repo,
                        'examples/terraform/cartwheel/no-such.tfstate',
                      ),
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
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      infraDiscoveryPlugin,
      import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
      dyingProviderModule,
    ],
  });
  return server;
}

async function runToEnd(
  server: any,
  tenant: string,
  source: string,
  user = PRIYA,
) {
  const started = await request(server)
    .post(`/api/infra-discovery/tenants/${tenant}/sources/${source}/runs`)
    .set('Authorization', as(user));
  expect(started.status).toBe(202);
  expect(started.body.status).toBe('running');
  for (let i = 0; i < 240; i++) {
    const job = await request(server)
      .get(`/api/infra-discovery/tenants/${tenant}/jobs/${started.body.id}`)
      .set('Authorization', as(user));
    if (job.body.status !== 'running') return job.body;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error('the run did not finish');
}

describe('infra-discovery API', () => {
  it('runs a configured source in its own process and serves the graph and attack paths', async () => {
    const server = await start();
    const sources = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/sources')
      .set('Authorization', as(PRIYA));
    expect(sources.body.items.map((s: { id: string }) => s.id)).toEqual([
      'broken',
      'storefront',
    ]);

    const job = await runToEnd(server, 'cartwheel', 'storefront');
    expect(job).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      requestedBy: PRIYA,
    });
    expect(job.counts.assets).toBeGreaterThan(30);

    const buckets = await request(server)
      .get(
        '/api/infra-discovery/tenants/cartwheel/assets?type=aws_s3_bucket&limit=2',
      )
      .set('Authorization', as(MARIA));
    expect(buckets.body.total).toBe(3);
    expect(buckets.body.items).toHaveLength(2);
    const rest = await request(server)
      .get(
        `/api/infra-discovery/tenants/cartwheel/assets?type=aws_s3_bucket&limit=2&after=${encodeURIComponent(
          buckets.body.nextAfter,
        )}`,
      )
      .set('Authorization', as(MARIA));
    expect(rest.body.items).toHaveLength(1);

    const fn = (
      await request(server)
        .get(
          '/api/infra-discovery/tenants/cartwheel/assets?type=aws_lambda_function',
        )
        .set('Authorization', as(MARIA))
    ).body.items[0];
    // Lists carry no attributes unless asked; the detail route always does.
    expect(fn).not.toHaveProperty('attributes');
    expect(fn).toMatchObject({ type: 'aws_lambda_function', tags: {} });
    const withAttributes = (
      await request(server)
        .get(
          '/api/infra-discovery/tenants/cartwheel/assets?type=aws_lambda_function&include=attributes',
        )
        .set('Authorization', as(MARIA))
    ).body.items[0];
    expect(withAttributes.attributes).toMatchObject({
      function_name: expect.any(String),
    });
    const detail = await request(server)
      .get(
        `/api/infra-discovery/tenants/cartwheel/asset?id=${encodeURIComponent(
          fn.id,
        )}`,
      )
      .set('Authorization', as(MARIA));
    expect(detail.status).toBe(200);
    expect(detail.body.edges.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'executes_as',
        'encrypted_by',
        'internet_ingress',
      ]),
    );

    const paths = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/attack-paths')
      .set('Authorization', as(MARIA));
    expect(paths.body.items.length).toBeGreaterThanOrEqual(5);
    expect(paths.body.items[0]).toMatchObject({
      severity: expect.stringMatching(/critical|high/),
    });
    const throughFn = await request(server)
      .get(
        `/api/infra-discovery/tenants/cartwheel/attack-paths?assetId=${encodeURIComponent(
          fn.id,
        )}`,
      )
      .set('Authorization', as(MARIA));
    expect(throughFn.body.items.length).toBeGreaterThan(0);
    expect(throughFn.body.items.length).toBeLessThan(paths.body.items.length);
    for (const p of throughFn.body.items) {
      expect(JSON.stringify(p)).toContain(fn.id);
    }
  });

  it('records a failed run with its reason and keeps the previous graph', async () => {
    const server = await start();
    await runToEnd(server, 'cartwheel', 'storefront');
    const before = (
      await request(server)
        .get('/api/infra-discovery/tenants/cartwheel/assets?limit=500')
        .set('Authorization', as(PRIYA))
    ).body;
    const failed = await runToEnd(server, 'cartwheel', 'broken');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/Cannot read .*no-such\.tfstate: ENOENT/);
    const after = (
      await request(server)
        .get('/api/infra-discovery/tenants/cartwheel/assets?limit=500')
        .set('Authorization', as(PRIYA))
    ).body;
    expect(after).toEqual(before);
    const history = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/jobs')
      .set('Authorization', as(PRIYA));
    expect(
      history.body.items.map(
        (j: { sourceId: string; status: string }) =>
          `${j.sourceId}:${j.status}`,
      ),
    ).toEqual(['broken:failed', 'storefront:succeeded']);
  });

  it('applies the role in the tenant: readers read, runners run, others nothing', async () => {
    const server = await start();
    expect(
      (
        await request(server)
          .post(
            '/api/infra-discovery/tenants/cartwheel/sources/storefront/runs',
          )
          .set('Authorization', as(MARIA))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get('/api/infra-discovery/tenants/cartwheel/assets')
          .set('Authorization', as(LI))
      ).status,
    ).toBe(403);
    for (const url of [
      '/tenants/harbor-bank/sources',
      '/tenants/harbor-bank/assets',
      '/tenants/harbor-bank/attack-paths',
      '/tenants/harbor-bank/jobs',
    ]) {
      const res = await request(server)
        .get(`/api/infra-discovery${url}`)
        .set('Authorization', as(PRIYA));
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect(
      (
        await request(server)
          .post('/api/infra-discovery/tenants/harbor-bank/sources/core/runs')
          .set('Authorization', as(PRIYA))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(server)
          .get('/api/infra-discovery/tenants/cartwheel/assets')
          .set('Authorization', mockCredentials.none.header())
      ).status,
    ).toBe(401);
  });

  it('answers bad input with 4xx naming the problem', async () => {
    const server = await start();
    const bad = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/assets?limit=abc')
      .set('Authorization', as(PRIYA));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/limit/);
    const unknownParam = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/assets?owner=me')
      .set('Authorization', as(PRIYA));
    expect(unknownParam.status).toBe(400);
    const include = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/assets?include=secrets')
      .set('Authorization', as(PRIYA));
    expect(include.status).toBe(400);
    expect(include.body.error.message).toMatch(/include/);
    const cursor = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/assets?after=garbage')
      .set('Authorization', as(PRIYA));
    expect(cursor.status).toBe(400);
    const missing = await request(server)
      .post('/api/infra-discovery/tenants/cartwheel/sources/nope/runs')
      .set('Authorization', as(PRIYA));
    expect(missing.status).toBe(404);
    const noAsset = await request(server)
      .get(
        `/api/infra-discovery/tenants/cartwheel/asset?id=${encodeURIComponent(
          'aws:x:y:z:nothing',
        )}`,
      )
      .set('Authorization', as(PRIYA));
    expect(noAsset.status).toBe(404);
    expect(noAsset.body.error.message).toContain(
      "No asset 'aws:x:y:z:nothing'",
    );
    const first = await request(server)
      .post('/api/infra-discovery/tenants/cartwheel/sources/storefront/runs')
      .set('Authorization', as(PRIYA));
    const second = await request(server)
      .post('/api/infra-discovery/tenants/cartwheel/sources/storefront/runs')
      .set('Authorization', as(PRIYA));
    expect([first.status, second.status]).toEqual([202, 409]);
    expect(second.body.error.message).toMatch(/already running/);
    // Let the run finish before the backend stops.
    for (let i = 0; i < 240; i++) {
      const job = await request(server)
        .get(`/api/infra-discovery/tenants/cartwheel/jobs/${first.body.id}`)
        .set('Authorization', as(PRIYA));
      if (job.body.status !== 'running') break;
      await new Promise(r => setTimeout(r, 250));
    }
  });
});

/** A state file served over HTTP only to a caller with the right bearer token. */
async function stateServer(token: string) {
  const state = fs.readFileSync(
    path.join(
      repo,
      'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
    ),
  );
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(state);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/state`,
    seen,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('a provider that dies', () => {
  it("fails the job with the provider's last stderr lines, secrets left out, and keeps the graph", async () => {
    const server = await start({ dying: true });
    const job = await runToEnd(server, 'cartwheel', 'dying');
    expect(job.status).toBe('failed');
    expect(job.error).toBe(
      [
        'the provider exited with code 9',
        "The provider's last words on stderr:",
        'listing page 2 of the inventory',
        '(a line that looked like a secret was left out)',
        'inventory service unavailable, giving up',
      ].join('\n'),
    );
    // Nothing of the half-done run reached the graph.
    const assets = await request(server)
      .get('/api/infra-discovery/tenants/cartwheel/assets?type=thing')
      .set('Authorization', as(PRIYA));
    expect(assets.body.total).toBe(0);
  });
});

describe('a deleted tenant', () => {
  it('leaves no source, job or asset behind for a re-created id', async () => {
    const server = await start();
    const job = await runToEnd(server, 'cartwheel', 'storefront');
    expect(job.status).toBe('succeeded');
    const security = '/api/infra-security';
    const purged = await deleteTenantAndAwaitPurge(server, {
      tenantId: 'cartwheel',
      authorization: as(ALEX),
      pluginId: 'infra-discovery',
    });
    expect(purged.details.removed).toMatchObject({
      sources: 2,
      jobs: 1,
      assets: job.counts.assets,
    });
    await request(server)
      .post(`${security}/tenants`)
      .set('Authorization', as(ALEX))
      .send({ id: 'cartwheel', title: 'Cartwheel, again' })
      .expect(201);
    await request(server)
      .post(`${security}/tenants/cartwheel/role-bindings`)
      .set('Authorization', as(ALEX))
      .send({ userRef: PRIYA, role: 'tenant-admin' })
      .expect(201);
    const api = '/api/infra-discovery/tenants/cartwheel';
    for (const [route, field] of [
      ['/assets', 'total'],
      ['/sources', 'items'],
      ['/jobs', 'items'],
    ] as const) {
      const res = await request(server)
        .get(`${api}${route}`)
        .set('Authorization', as(PRIYA));
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
      expect(field === 'total' ? res.body.total : res.body.items).toEqual(
        field === 'total' ? 0 : [],
      );
    }
  });
});

describe('discovery sources through the API', () => {
  const api = '/api/infra-discovery/tenants/cartwheel';

  it('creates a source with a vault credential, runs it with the secret handed over stdin, and audits the use', async () => {
    // The state server is on loopback: the operator allows that network here.
    const server = await start({
      egress: { allowedNetworks: ['127.0.0.0/8'] },
    });
    const secret = 'tfstate-reader-7f3a9c21e4';
    const states = await stateServer(secret);
    try {
      const credential = await request(server)
        .post('/api/infra-security/tenants/cartwheel/credentials')
        .set('Authorization', as(PRIYA))
        .send({
          name: 'state-reader',
          kind: 'token',
          value: JSON.stringify({ token: secret, host: '127.0.0.1' }),
        });
      expect(credential.status).toBe(201);
      const workspace = await request(server)
        .post('/api/infra-security/tenants/cartwheel/workspaces')
        .set('Authorization', as(PRIYA))
        .send({ id: 'storefront', title: 'Storefront' });
      expect(workspace.status).toBe(201);

      const created = await request(server)
        .post(`${api}/sources`)
        .set('Authorization', as(PRIYA))
        .send({
          id: 'remote-state',
          name: 'Storefront state over HTTP',
          provider: 'terraform',
          settings: { type: 'http', url: states.url },
          credentialId: credential.body.id,
          workspaceId: 'storefront',
          schedule: 'PT6H',
        });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        origin: 'api',
        credentialId: credential.body.id,
        workspaceId: 'storefront',
        schedule: 'PT6H',
        createdBy: PRIYA,
      });
      expect(JSON.stringify(created.body)).not.toContain(secret);

      const job = await runToEnd(server, 'cartwheel', 'remote-state');
      expect(job.status).toBe('succeeded');
      expect(job.counts.assets).toBeGreaterThan(30);
      expect(states.seen).toEqual([`Bearer ${secret}`]);

      const audit = await request(server)
        .get('/api/infra-security/audit/cartwheel/events?limit=50')
        .set('Authorization', as(PRIYA));
      const actions = audit.body.items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'credential.created',
          'discovery.source.created',
          'credential.used',
        ]),
      );
      const used = audit.body.items.find(
        (e: { action: string }) => e.action === 'credential.used',
      );
      expect(used).toMatchObject({
        actor: PRIYA,
        subject: credential.body.id,
        details: { purpose: expect.stringContaining("'remote-state'") },
      });
      expect(JSON.stringify(audit.body)).not.toContain(secret);

      // Edited, then deleted with its view of the graph.
      const patched = await request(server)
        .patch(`${api}/sources/remote-state`)
        .set('Authorization', as(PRIYA))
        .send({ name: 'Renamed', schedule: null, enabled: false });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Renamed', enabled: false });
      expect(patched.body.schedule).toBeUndefined();
      const deleted = await request(server)
        .delete(`${api}/sources/remote-state`)
        .set('Authorization', as(PRIYA));
      expect(deleted.status).toBe(204);
      const assets = await request(server)
        .get(`${api}/assets`)
        .set('Authorization', as(PRIYA));
      expect(assets.body.total).toBe(0);
      // Marked gone, so that the catalog sees them leave.
      const removed = await request(server)
        .get(`${api}/changes?limit=5`)
        .set('Authorization', as(PRIYA));
      expect(removed.body.items[0]).toMatchObject({ removed: true });
      expect(
        (
          await request(server)
            .get(`${api}/sources/remote-state`)
            .set('Authorization', as(PRIYA))
        ).status,
      ).toBe(404);
    } finally {
      await states.close();
    }
  });

  it('keeps API sources to the egress policy: no loopback or metadata address, the credential never sent', async () => {
    const server = await start();
    const secret = 'tfstate-reader-egress';
    const states = await stateServer(secret);
    try {
      const credential = await request(server)
        .post('/api/infra-security/tenants/cartwheel/credentials')
        .set('Authorization', as(PRIYA))
        .send({
          name: 'state-reader',
          kind: 'token',
          value: JSON.stringify({ token: secret, host: 'state.internal' }),
        });
      for (const [id, url, why] of [
        [
          'loopback',
          states.url,
          /127\.0\.0\.1 is a loopback address: refused by the egress policy/,
        ],
        [
          'metadata',
          'http://169.254.169.254/latest/meta-data/',
          /link-local address \(cloud metadata\)/,
        ],
      ] as const) {
        const created = await request(server)
          .post(`${api}/sources`)
          .set('Authorization', as(PRIYA))
          .send({
            id,
            name: id,
            provider: 'terraform',
            settings: { type: 'http', url },
            credentialId: credential.body.id,
          });
        expect(created.status).toBe(201);
        const job = await runToEnd(server, 'cartwheel', id);
        expect(job.status).toBe('failed');
        expect(job.error).toMatch(why);
      }
      expect(states.seen).toEqual([]);
    } finally {
      await states.close();
    }
  });

  it('refuses bad sources with 400 naming the field, and changes nothing', async () => {
    const server = await start();
    const valid = {
      id: 'remote',
      name: 'Remote',
      provider: 'terraform',
      settings: { type: 'http', url: 'https://state.example.com/x' },
    };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ provider: 'gcp' }, /provider 'gcp' is not installed/],
      [
        { settings: { type: 'file', path: '/etc/passwd' } },
        /'file' is only allowed in app-config/,
      ],
      [
        { settings: { type: 'http', url: 'https://x', token: 'abc' } },
        /settings\.token looks like a secret/,
      ],
      [{ settings: { type: 'ftp' } }, /settings\.type must be/],
      [
        { credentialId: '6f1c3a52-3d5e-4b7a-9a36-0d5d9f1d2c11' },
        /credentialId .* is not a credential of tenant 'cartwheel'/,
      ],
      [{ workspaceId: 'nowhere' }, /workspaceId 'nowhere' is not a workspace/],
      [{ schedule: 'PT1M' }, /between PT5M and P30D/],
      [{ id: 'Bad Id' }, /id/],
      [{ owner: 'me' }, /owner|additional/i],
    ];
    for (const [change, message] of cases) {
      const res = await request(server)
        .post(`${api}/sources`)
        .set('Authorization', as(PRIYA))
        .send({ ...valid, ...change });
      expect({ change, status: res.status }).toEqual({ change, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const notJson = await request(server)
      .post(`${api}/sources`)
      .set('Authorization', as(PRIYA))
      .set('Content-Type', 'application/json')
      .send('{"id":');
    expect(notJson.status).toBe(400);
    const huge = await request(server)
      .post(`${api}/sources`)
      .set('Authorization', as(PRIYA))
      .send({
        ...valid,
        settings: { ...valid.settings, pad: 'x'.repeat(70_000) },
      });
    expect(huge.status).toBe(413);

    // A reader may not create; config sources are changed in config.
    expect(
      (
        await request(server)
          .post(`${api}/sources`)
          .set('Authorization', as(MARIA))
          .send(valid)
      ).status,
    ).toBe(403);
    const configured = await request(server)
      .patch(`${api}/sources/storefront`)
      .set('Authorization', as(PRIYA))
      .send({ name: 'x' });
    expect(configured.status).toBe(409);
    expect(configured.body.error.message).toMatch(/defined in app-config/);
    expect(
      (
        await request(server)
          .delete(`${api}/sources/storefront`)
          .set('Authorization', as(PRIYA))
      ).status,
    ).toBe(409);

    const created = await request(server)
      .post(`${api}/sources`)
      .set('Authorization', as(PRIYA))
      .send(valid);
    expect(created.status).toBe(201);
    const again = await request(server)
      .post(`${api}/sources`)
      .set('Authorization', as(PRIYA))
      .send(valid);
    expect(again.status).toBe(409);
    const list = await request(server)
      .get(`${api}/sources`)
      .set('Authorization', as(PRIYA));
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([
      'broken',
      'remote',
      'storefront',
    ]);
  });

  it('serves the neighbourhood of an asset for the graph view', async () => {
    const server = await start();
    await runToEnd(server, 'cartwheel', 'storefront');
    const fn = (
      await request(server)
        .get(`${api}/assets?type=aws_lambda_function`)
        .set('Authorization', as(MARIA))
    ).body.items[0];
    const near = await request(server)
      .get(`${api}/graph?id=${encodeURIComponent(fn.id)}&depth=1`)
      .set('Authorization', as(MARIA));
    expect(near.status).toBe(200);
    expect(near.body.truncated).toBe(false);
    const types = near.body.nodes.map((n: { type: string }) => n.type);
    expect(types).toEqual(
      expect.arrayContaining(['aws_lambda_function', 'aws_iam_role']),
    );
    for (const e of near.body.edges) {
      expect(e.from === fn.id || e.to === fn.id).toBe(true);
    }
    const wider = await request(server)
      .get(`${api}/graph?id=${encodeURIComponent(fn.id)}&depth=2`)
      .set('Authorization', as(MARIA));
    expect(wider.body.nodes.length).toBeGreaterThan(near.body.nodes.length);
    expect(
      (
        await request(server)
          .get(`${api}/graph?id=${encodeURIComponent(fn.id)}&depth=9`)
          .set('Authorization', as(MARIA))
      ).status,
    ).toBe(400);
  });
});
