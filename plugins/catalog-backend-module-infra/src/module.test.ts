import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth } from '@infra-hub/test-utils';
import path from 'node:path';
import request from 'supertest';
import { entityNameOf } from './entities';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = 'user:default/priya.shah';
const as = (ref: string) => mockCredentials.user.header(ref);

async function eventually<T>(fn: () => Promise<T | undefined>, what: string) {
  for (let i = 0; i < 240; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the catalog module in a backend', () => {
  it('turns a discovery run into catalog entities the catalog accepts, with relations', async () => {
    const { server } = await startTestBackend({
      features: [
        ...onBehalfOfAwareMockAuth,
        // The real events service (test backends give each plugin its own mock by default).
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Component', 'Resource', 'System', 'Group'] }],
            },
            infra: {
              security: {
                bootstrap: {
                  tenants: {
                    cartwheel: {
                      title: 'Cartwheel',
                      members: { 'tenant-admin': [PRIYA] },
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
              catalog: {
                tenants: {
                  cartwheel: { owner: 'group:default/cartwheel-engineering' },
                },
                deltaRefreshSeconds: 3600,
              },
            },
          },
        }),
        import('@backstage/plugin-permission-backend'),
        permissionModuleInfraPolicy,
        import('@infra-hub/plugin-infra-security-backend'),
        import('@infra-hub/plugin-infra-discovery-backend'),
        import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
        import('@backstage/plugin-catalog-backend'),
        import('./index'),
      ],
    });

    const run = await request(server)
      .post('/api/infra-discovery/tenants/cartwheel/sources/storefront/runs')
      .set('Authorization', as(PRIYA));
    expect(run.status).toBe(202);
    await eventually(async () => {
      const job = await request(server)
        .get(`/api/infra-discovery/tenants/cartwheel/jobs/${run.body.id}`)
        .set('Authorization', as(PRIYA));
      return job.body.status === 'succeeded' ? true : undefined;
    }, 'the discovery run');

    const fn = (
      await request(server)
        .get(
          '/api/infra-discovery/tenants/cartwheel/assets?type=aws_lambda_function',
        )
        .set('Authorization', as(PRIYA))
    ).body.items[0];
    // The run's graph-changed event reaches the module, whose delta the catalog processes.
    const entity = await eventually(async () => {
      const res = await request(server)
        .get(
          `/api/catalog/entities/by-name/resource/cartwheel/${entityNameOf(
            fn.id,
          )}`,
        )
        .set('Authorization', as(PRIYA));
      return res.status === 200 && res.body.relations?.length
        ? res.body
        : undefined;
    }, 'the function entity');
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: {
        namespace: 'cartwheel',
        title: fn.name,
        annotations: { 'infra-hub.io/asset-id': fn.id },
      },
      spec: {
        type: 'aws-lambda-function',
        owner: 'group:default/cartwheel-engineering',
      },
    });
    const relationTypes = entity.relations.map((r: { type: string }) => r.type);
    expect(relationTypes).toEqual(
      expect.arrayContaining(['ownedBy', 'dependsOn']),
    );

    const modules = await eventually(async () => {
      const res = await request(server)
        .get(
          '/api/catalog/entities/by-query?filter=kind=component,spec.type=terraform-module',
        )
        .set('Authorization', as(PRIYA));
      return res.body.items?.length ? res.body.items : undefined;
    }, 'the module entities');
    expect(
      modules[0].metadata.annotations['infra-hub.io/terraform-module'],
    ).toMatch(/^module\./);
  });
});
