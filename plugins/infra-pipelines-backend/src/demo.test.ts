import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import {
  onBehalfOfAwareMockAuth,
  PERSONAS,
  testVault,
} from '@infra-hub/test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { infraPipelinesPlugin } from './plugin';
import { PROVIDER_ADAPTERS } from './providers';

const repo = path.resolve(__dirname, '../../..');
const { priya: PRIYA, omar: OMAR, alex: ALEX } = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
// The portal's own pipelines configuration: its connections and their (demo) secrets.
const portal = parseYaml(
  fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8'),
).infra.pipelines;

let server: any;

async function runsOf(tenant: string, who: string) {
  const res = await request(server)
    .get(`/api/infra-pipelines/tenants/${tenant}/runs?limit=200`)
    .set('Authorization', as(who));
  return res.body.items ?? [];
}

beforeAll(async () => {
  ({ server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'API',
                  'System',
                  'Domain',
                  'Group',
                  'User',
                  'Location',
                ],
              },
            ],
            locations: [
              'org.yaml',
              'tenants/cartwheel.yaml',
              'tenants/harbor-bank.yaml',
            ].map(f => ({
              type: 'file',
              target: path.join(repo, 'examples', f),
            })),
          },
          infra: {
            security: {
              vault: testVault(),
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel',
                    members: { 'tenant-admin': [PRIYA] },
                  },
                  'harbor-bank': {
                    title: 'Harbor',
                    members: { 'tenant-admin': [OMAR] },
                  },
                },
              },
            },
            pipelines: {
              ...portal,
              recordedEvents: path.join(repo, 'examples/pipelines'),
            },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@backstage/plugin-catalog-backend'),
      infraPipelinesPlugin,
    ],
  }));
  // Delivered at start once the catalog holds the entities that claim the runs.
  for (let i = 0; i < 300; i++) {
    if (
      (await runsOf('cartwheel', PRIYA)).length === 10 &&
      (await runsOf('harbor-bank', OMAR)).length === 2
    )
      break;
    await new Promise(r => setTimeout(r, 200));
  }
}, 120_000);

describe('the demo estate’s recorded deliveries', () => {
  it('show runs of all three providers on the modules and services that claim them, times moved to now', async () => {
    const cartwheel = await runsOf('cartwheel', PRIYA);
    expect(cartwheel).toHaveLength(10);
    const byExternal = Object.fromEntries(
      cartwheel.map((r: any) => [r.externalId, r]),
    );
    expect(new Set(cartwheel.map((r: any) => r.provider))).toEqual(
      new Set(['github', 'gitlab', 'azure-devops']),
    );
    expect(byExternal['7002']).toMatchObject({
      provider: 'github',
      status: 'succeeded',
      entityRefs: ['component:default/cartwheel-storefront-prod'],
      module: 'storefront-prod',
      actor: 'tomas-novak',
    });
    expect(byExternal['7003'].status).toBe('failed');
    expect(byExternal['7010'].entityRefs).toEqual([
      'component:default/cartwheel-storefront-edge',
    ]);
    expect(byExternal['7020'].status).toBe('running');
    expect(byExternal['8302']).toMatchObject({
      provider: 'gitlab',
      status: 'failed',
      entityRefs: ['component:default/cartwheel-storefront-assets'],
    });
    expect(byExternal['9402']).toMatchObject({
      provider: 'azure-devops',
      status: 'failed',
      entityRefs: ['component:default/cartwheel-checkout'],
      durationMs: 12 * 60_000,
    });
    const newest = Math.max(
      ...cartwheel.map((r: any) => Date.parse(r.updatedAt)),
    );
    expect(Date.now() - newest).toBeLessThan(60 * 60_000);
    expect(Date.now() - newest).toBeGreaterThan(0);
    const detail = await request(server)
      .get(
        `/api/infra-pipelines/tenants/cartwheel/runs/${byExternal['9402'].id}`,
      )
      .set('Authorization', as(PRIYA));
    expect(detail.body.jobs).toEqual([
      expect.objectContaining({ name: 'Build and test', status: 'failed' }),
    ]);
    const github = await request(server)
      .get(
        `/api/infra-pipelines/tenants/cartwheel/runs/${byExternal['7003'].id}`,
      )
      .set('Authorization', as(PRIYA));
    expect(github.body.jobs.map((j: any) => [j.name, j.status])).toEqual([
      ['checks', 'succeeded'],
      ['plan', 'failed'],
    ]);

    const harbor = await runsOf('harbor-bank', OMAR);
    expect(
      harbor.map((r: any) => [r.provider, r.entityRefs[0]]).sort(),
    ).toEqual([
      ['azure-devops', 'component:default/harbor-ledger-service'],
      ['gitlab', 'component:default/harbor-core-banking-stack'],
    ]);
  });

  it('are replays once delivered: a restart adds nothing', async () => {
    const file = path.join(
      repo,
      'examples/pipelines/cartwheel/github/08-workflow_run-7002-completed.json',
    );
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8'));
    const body = Buffer.from(JSON.stringify(recorded.body));
    const res = await request(server)
      .post('/api/infra-pipelines/webhooks/cartwheel/github')
      .set('Content-Type', 'application/json')
      .set(
        PROVIDER_ADAPTERS.github.sign(
          portal.connections.cartwheel.github.webhookSecret,
          body,
          {
            id: recorded.delivery,
            event: recorded.event,
          },
        ),
      )
      .send(body.toString('utf8'));
    expect(res.status).toBe(409);
    expect(await runsOf('cartwheel', PRIYA)).toHaveLength(10);
  });
});
