import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth } from '@infra-hub/test-utils';
import path from 'node:path';
import request from 'supertest';
import { infraDiscoveryPlugin } from './plugin';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = 'user:default/priya.shah'; // tenant-admin of cartwheel
const MARIA = 'user:default/maria.garcia'; // read-only in cartwheel
const LI = 'user:default/li.wei'; // auditor of cartwheel
const as = (ref: string) => mockCredentials.user.header(ref);

async function start() {
  const { server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          infra: {
            security: {
              bootstrap: {
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
