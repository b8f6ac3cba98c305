import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import {
  createInfraTestDatabases,
  onBehalfOfAwareMockAuth,
} from '@infra-hub/test-utils';
import path from 'node:path';
import request from 'supertest';
import { infraDiscoveryPlugin } from './plugin';

/*
 * The corpus of real-shaped states (in the Terraform module's fixtures), each a source of one
 * tenant, ingested end to end: state file -> provider process -> protocol -> runner -> graph
 * store, on SQLite and PostgreSQL, twice over; then the attack paths across all three clouds.
 */
const estates = path.resolve(
  require.resolve(
    '@infra-hub/plugin-infra-discovery-backend-module-terraform/package.json',
  ),
  '../src/state/__fixtures__/estates',
);
const EXPECTED: Record<string, { assets: number; edges: number }> = {
  'aws-data-sources-1.3': { assets: 5, edges: 1 },
  'aws-large-1.15': { assets: 300, edges: 239 },
  'aws-nested-modules-1.9': { assets: 12, edges: 20 },
  'aws-network-0.14': { assets: 14, edges: 18 },
  'aws-serverless-1.5': { assets: 13, edges: 8 },
  'azure-private-1.8': { assets: 13, edges: 14 },
  'azure-public-1.6': { assets: 13, edges: 8 },
  'google-firewall-1.7': { assets: 12, edges: 8 },
  'google-public-1.10': { assets: 7, edges: 3 },
  'mixed-clouds-1.12': { assets: 8, edges: 1 },
};
const sourceId = (estate: string) => estate.replace(/\./g, '-');
const OWNER = 'user:default/platform.owner';
const as = mockCredentials.user.header(OWNER);
const databases = createInfraTestDatabases();

describe.each(databases.eachSupportedId())(
  'the state corpus through the provider process on %s',
  databaseId => {
    it('ingests every estate, twice, and finds the attack paths across AWS, Azure and Google', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          ...onBehalfOfAwareMockAuth,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              infra: {
                security: {
                  bootstrap: {
                    tenants: {
                      corpus: {
                        title: 'Corpus',
                        members: { 'tenant-admin': [OWNER] },
                      },
                    },
                  },
                },
                discovery: {
                  sources: {
                    corpus: Object.fromEntries(
                      Object.keys(EXPECTED).map(estate => [
                        sourceId(estate),
                        {
                          provider: 'terraform',
                          settings: {
                            type: 'file',
                            path: path.join(estates, `${estate}.tfstate`),
                          },
                        },
                      ]),
                    ),
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
        ],
      });
      const api = '/api/infra-discovery/tenants/corpus';
      for (let round = 1; round <= 2; round++) {
        for (const [estate, expected] of Object.entries(EXPECTED)) {
          const started = await request(server)
            .post(`${api}/sources/${sourceId(estate)}/runs`)
            .set('Authorization', as);
          expect(started.status).toBe(202);
          let job = started.body;
          for (let i = 0; i < 240 && job.status === 'running'; i++) {
            await new Promise(r => setTimeout(r, 100));
            job = (
              await request(server)
                .get(`${api}/jobs/${started.body.id}`)
                .set('Authorization', as)
            ).body;
          }
          expect({
            round,
            estate,
            status: job.status,
            error: job.error,
          }).toEqual({ round, estate, status: 'succeeded', error: undefined });
          expect({
            estate,
            assets: job.counts.assets,
            edges: job.counts.edges,
          }).toEqual({ estate, ...expected });
        }
      }

      const paths = (
        await request(server)
          .get(`${api}/attack-paths`)
          .set('Authorization', as)
      ).body.items as Array<{
        entry: string;
        target: string;
        severity: string;
      }>;
      const named = async (id: string) =>
        (
          await request(server)
            .get(`${api}/asset?id=${encodeURIComponent(id)}`)
            .set('Authorization', as)
        ).body.views?.[0]?.name ?? id;
      const found = new Set<string>();
      for (const p of paths)
        found.add(`${await named(p.entry)} -> ${await named(p.target)}`);
      expect([...found]).toEqual(
        expect.arrayContaining([
          // An internet-exposed VM on Azure whose identity reads a key vault, and a database
          // open to every address.
          'vm-jump -> kv-shop-prod',
          'psql-shop-prod -> psql-shop-prod',
          // A Google VM behind an open firewall whose service account reaches Cloud SQL, and a
          // Cloud SQL instance open to 0.0.0.0/0.
          'bastion -> warehouse',
          'legacy-reporting -> legacy-reporting',
          // AWS, as before.
          'bastion -> prod/db',
          'refunds -> ledger',
        ]),
      );
    }, 240_000);
  },
);
