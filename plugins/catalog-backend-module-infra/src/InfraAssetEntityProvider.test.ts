import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import {
  readState,
  stateToGraph,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import { GraphStore } from '@infra-hub/plugin-infra-discovery-backend';
import { createInfraTestDatabases } from '@infra-hub/test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXCLUDED_TYPES, entityRefOf } from './entities';
import { InfraAssetEntityProvider } from './InfraAssetEntityProvider';

const repo = path.resolve(__dirname, '../../..');
const databases = createInfraTestDatabases();

function demo(tenant: string, stack: string) {
  return stateToGraph(
    readState(
      fs.readFileSync(
        path.join(
          repo,
          'examples/terraform',
          tenant,
          'live',
          stack,
          'terraform.tfstate',
        ),
        'utf8',
      ),
    ),
  );
}

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await GraphStore.create({
    database: mockServices.database({ knex }),
  });
  const mutations: EntityProviderMutation[] = [];
  const provider = new InfraAssetEntityProvider({
    tenants: [
      {
        tenantId: 'cartwheel',
        owner: 'group:default/cartwheel-engineering',
        namespace: 'cartwheel',
        systemNamespace: 'default',
      },
    ],
    excludedTypes: new Set(DEFAULT_EXCLUDED_TYPES),
    feed: (tenantId, options) => store.changes(tenantId, options),
    // No catalog here: no tagged group or system is known to belong to another tenant (the
    // module test checks the real lookup against a catalog).
    tenantsOf: async () => new Map(),
    logger: mockServices.logger.mock(),
  });
  await provider.connect({
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  });
  return { store, provider, mutations };
}

describe('InfraAssetEntityProvider', () => {
  it('publishes a full set, then only what a later run changed', async () => {
    const { store, provider, mutations } = await setup();
    const graph = demo('cartwheel', 'storefront-prod');
    await store.replaceSourceGraph(
      'cartwheel',
      'state',
      graph,
      new Date('2026-11-20T10:00:00Z'),
    );
    // Another tenant's assets are not published (it is not configured).
    await store.replaceSourceGraph(
      'harbor-bank',
      'core',
      demo('harbor-bank', 'core-banking'),
    );

    await provider.fullSync();
    expect(mutations).toHaveLength(1);
    const full = mutations[0];
    if (full.type !== 'full') throw new Error('expected a full mutation');
    const published = graph.assets.filter(
      a => !DEFAULT_EXCLUDED_TYPES.includes(a.type),
    );
    expect(full.entities).toHaveLength(published.length);
    expect(
      new Set(full.entities.map(e => e.entity.metadata.namespace)),
    ).toEqual(new Set(['cartwheel']));
    const fn = graph.assets.find(a => a.type === 'aws_lambda_function')!;
    const fnEntity = full.entities.find(
      e => e.entity.metadata.annotations!['infra-hub.io/asset-id'] === fn.id,
    )!.entity;
    const role = graph.edges.find(
      e => e.from === fn.id && e.type === 'executes_as',
    )!.to;
    expect(fnEntity).toMatchObject({
      kind: 'Resource',
      spec: {
        type: 'aws-lambda-function',
        owner: 'group:default/cartwheel-engineering',
        dependsOn: expect.arrayContaining([entityRefOf(role, 'cartwheel')]),
      },
    });
    const modules = full.entities.filter(e => e.entity.kind === 'Component');
    expect(modules.length).toBeGreaterThan(0);
    expect(modules[0].entity.spec).toMatchObject({ type: 'terraform-module' });

    // Nothing changed: the delta is empty.
    await provider.deltaSync('cartwheel');
    expect(mutations).toHaveLength(1);

    // One bucket renamed, the web instance gone.
    const web = graph.assets.find(
      a => a.source?.address === 'aws_instance.web',
    )!;
    const bucket = graph.assets.find(a => a.type === 'aws_s3_bucket')!;
    await store.replaceSourceGraph(
      'cartwheel',
      'state',
      {
        assets: graph.assets
          .filter(a => a.id !== web.id)
          .map(a => (a.id === bucket.id ? { ...a, name: 'renamed' } : a)),
        edges: graph.edges.filter(e => e.from !== web.id && e.to !== web.id),
      },
      new Date('2026-11-21T10:00:00Z'),
    );
    await provider.deltaSync('cartwheel');
    expect(mutations).toHaveLength(2);
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta mutation');
    expect(delta.removed).toEqual([
      {
        entityRef: entityRefOf(web.id, 'cartwheel'),
        locationKey: 'infra-discovery:tenants/cartwheel',
      },
    ]);
    const titles = delta.added.map(e => e.entity.metadata.title);
    expect(titles).toContain('renamed');
    // Only the bucket and the assets that pointed at the instance, not the whole estate.
    expect(delta.added.length).toBeLessThan(6);
    expect(
      delta.added.every(
        e =>
          !JSON.stringify(e.entity.spec).includes(
            entityRefOf(web.id, 'cartwheel'),
          ),
      ),
    ).toBe(true);
  });
});
