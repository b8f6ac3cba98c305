import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import {
  createInfraTestDatabases,
  onBehalfOfAwareMockAuth,
} from '@infra-hub/test-utils';
import path from 'node:path';
import request from 'supertest';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';

const repoRoot = path.resolve(__dirname, '../../..');
const databases = createInfraTestDatabases();

// Who belongs to which groups, as the demo estate's org.yaml says.
const memberships: Record<string, string[]> = {
  'user:default/alex.morgan': ['group:default/platform-engineering'],
  'user:default/priya.shah': ['group:default/cartwheel-engineering'],
};

async function startPortal(knex: Awaited<ReturnType<typeof databases.init>>) {
  return startTestBackend({
    features: [
      mockServices.database.factory({ knex }),
      ...onBehalfOfAwareMockAuth,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: { milliseconds: 200 },
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                ],
              },
            ],
            locations: [
              {
                type: 'file',
                target: path.join(repoRoot, 'examples/org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'examples/tenants/cartwheel.yaml'),
              },
              {
                type: 'file',
                target: path.join(
                  repoRoot,
                  'examples/tenants/harbor-bank.yaml',
                ),
              },
            ],
          },
          permission: { enabled: true },
          // Roles decide which tenants' catalog entities a person reads.
          infra: {
            security: {
              bootstrap: {
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel Commerce',
                    members: {
                      'tenant-admin': ['user:default/priya.shah'],
                      auditor: ['user:default/li.wei'],
                    },
                  },
                  'harbor-bank': {
                    title: 'Harbor Trust Bank',
                    members: { auditor: ['user:default/li.wei'] },
                  },
                },
              },
            },
          },
        },
      }),
      mockServices.userInfo.mock({
        async getUserInfo(credentials) {
          const ref = (credentials.principal as BackstageUserPrincipal)
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
          };
        },
      }).factory,
      import('@backstage/plugin-catalog-backend'),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@infra-hub/plugin-infra-hub-backend'),
    ],
  });
}

async function waitForEntities(
  server: Parameters<typeof request>[0],
  filter: string,
  count: number,
  // Li audits both demo tenants, so reads all of their entities.
  user = 'user:default/li.wei',
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server)
      .get(
        `/api/catalog/entities/by-query?filter=${encodeURIComponent(
          filter,
        )}&limit=100`,
      )
      .set('Authorization', mockCredentials.user.header(user));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (res.body.items.length >= count || Date.now() > deadline) {
      return res.body.items as Array<{
        kind: string;
        metadata: { name: string; annotations?: Record<string, string> };
      }>;
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('the portal on each database', () => {
  it.each(databases.eachSupportedId())(
    'loads both demo tenants into the catalog and enforces the portal policy (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startPortal(knex);

      const domains = await waitForEntities(server, 'kind=domain', 2);
      expect(domains.map(d => d.metadata.name).sort()).toEqual([
        'cartwheel-commerce',
        'harbor-trust-bank',
      ]);
      const components = await waitForEntities(server, 'kind=component', 8);
      const tenants = new Set(
        components.map(c => c.metadata.annotations?.['infra-hub.io/tenant']),
      );
      expect(tenants).toEqual(new Set(['cartwheel', 'harbor-bank']));
      const users = await waitForEntities(server, 'kind=user', 8);
      expect(users.map(u => u.metadata.name)).toContain('guest');
      // Priya holds a role in Cartwheel only: the catalog shows her Cartwheel's entities and
      // none of Harbor's.
      const hers = await waitForEntities(
        server,
        'kind=domain',
        1,
        'user:default/priya.shah',
      );
      expect(hers.map(d => d.metadata.name)).toEqual(['cartwheel-commerce']);

      // The suite's own API answers in the same backend.
      const about = await request(server)
        .get('/api/infra-hub/about?enabled=true')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/priya.shah'),
        );
      expect(about.status).toBe(200);
      expect(about.body.features.map((f: { id: string }) => f.id)).toEqual([
        'portal',
        'security',
      ]);

      // Registering and unregistering locations is kept to the platform team.
      // Loopback: registering never needs the location to answer.
      const target = 'http://127.0.0.1:9/infra/catalog-info.yaml';
      const refused = await request(server)
        .post('/api/catalog/locations')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/priya.shah'),
        )
        .send({ type: 'url', target });
      expect(refused.status).toBe(403);
      const created = await request(server)
        .post('/api/catalog/locations')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alex.morgan'),
        )
        .send({ type: 'url', target });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const locationId = created.body.location.id;
      const denied = await request(server)
        .delete(`/api/catalog/locations/${locationId}`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/priya.shah'),
        );
      expect(denied.status).toBe(403);
      const stillThere = await request(server)
        .get(`/api/catalog/locations/${locationId}`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/priya.shah'),
        );
      expect(stillThere.status).toBe(200);
      const deleted = await request(server)
        .delete(`/api/catalog/locations/${locationId}`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alex.morgan'),
        );
      expect(deleted.status).toBe(204);
    },
  );
});
