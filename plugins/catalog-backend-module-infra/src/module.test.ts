import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth, PERSONAS } from '@infra-hub/test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { entityNameOf } from './entities';

const repo = path.resolve(__dirname, '../../..');
const PRIYA = PERSONAS.priya; // tenant-admin of cartwheel
const OMAR = PERSONAS.omar; // tenant-admin of harbor-bank, no role in cartwheel
const ALEX = PERSONAS.alex; // system-admin, no tenant role

/**
 * The demo's storefront state with tags on its function that name Harbor's system and group,
 * and a catalog file with those (annotated for Harbor), a Cartwheel system and an entity of no
 * tenant.
 */
function hostileEstate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-tenants-'));
  const state = JSON.parse(
    fs.readFileSync(
      path.join(
        repo,
        'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
      ),
      'utf8',
    ),
  );
  const tagsByType: Record<string, Record<string, string>> = {
    aws_lambda_function: {
      System: 'harbor-core-banking',
      Owner: 'harbor-engineering',
    },
    aws_s3_bucket: { System: 'cartwheel-storefront' },
  };
  for (const r of state.resources) {
    const tags = tagsByType[r.type];
    if (!tags) continue;
    for (const i of r.instances)
      i.attributes.tags = { ...i.attributes.tags, ...tags };
  }
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(state));
  const entity = (kind: string, name: string, tenant?: string) =>
    `apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
${tenant ? `  annotations:\n    infra-hub.io/tenant: ${tenant}\n` : ''}spec:
${
  kind === 'Group' ? '  type: team\n  children: []' : '  owner: group:default/x'
}
`;
  fs.writeFileSync(
    path.join(dir, 'catalog.yaml'),
    [
      entity('System', 'harbor-core-banking', 'harbor-bank'),
      entity('Group', 'harbor-engineering', 'harbor-bank'),
      entity('System', 'cartwheel-storefront', 'cartwheel'),
      entity('System', 'shared-platform'),
      // A Finding from a file (a manual assessment) is accepted; one the kind's schema refuses
      // (no such severity) never enters the catalog.
      `apiVersion: infra-hub.io/v1alpha1
kind: Finding
metadata:
  name: filed-finding
  annotations:
    infra-hub.io/tenant: cartwheel
spec:
  severity: medium
  status: open
  rule: manual-review
  owner: group:default/x
  controls: ['soc2:CC6.1']
  remediation: Review access quarterly.
  firstSeen: '2026-12-01T00:00:00Z'
  lastSeen: '2026-12-01T00:00:00Z'
`,
      `apiVersion: infra-hub.io/v1alpha1
kind: Finding
metadata:
  name: forged-finding
spec:
  severity: urgent
  status: open
  rule: x
  owner: group:default/x
  controls: []
  remediation: x
  firstSeen: x
  lastSeen: x
`,
    ].join('---\n'),
  );
  return dir;
}
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
  it('turns a discovery run into catalog entities the catalog accepts, with relations, read only within their tenant', async () => {
    const estate = hostileEstate();
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
              rules: [
                {
                  allow: [
                    'Component',
                    'Resource',
                    'System',
                    'Group',
                    'Finding',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: path.join(estate, 'catalog.yaml') },
              ],
            },
            infra: {
              security: {
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
              discovery: {
                sources: {
                  cartwheel: {
                    storefront: {
                      provider: 'terraform',
                      settings: {
                        type: 'file',
                        path: path.join(estate, 'state.json'),
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
              compliance: { graphChangeDelaySeconds: 0 },
            },
          },
        }),
        import('@backstage/plugin-permission-backend'),
        permissionModuleInfraPolicy,
        import('@infra-hub/plugin-infra-security-backend'),
        import('@infra-hub/plugin-infra-discovery-backend'),
        import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
        import('@infra-hub/plugin-infra-compliance-backend'),
        import('@backstage/plugin-catalog-backend'),
        import('./index'),
      ],
    });

    // The catalog has the systems and groups before the assets arrive.
    await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=system')
        .set('Authorization', as(OMAR));
      return res.body.items?.length === 2 ? true : undefined;
    }, 'the catalog file');
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

    // Its tags named Harbor's system and group: neither is attached. A bucket's tag naming
    // Cartwheel's own system is.
    expect(entity.spec.system).toBeUndefined();
    const buckets = await request(server)
      .get(
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=aws-s3-bucket',
      )
      .set('Authorization', as(PRIYA));
    expect(buckets.body.items.length).toBeGreaterThan(0);
    for (const b of buckets.body.items)
      expect(b.spec.system).toBe('system:default/cartwheel-storefront');
    expect(
      entity.relations.map((r: { targetRef: string }) => r.targetRef),
    ).not.toEqual(
      expect.arrayContaining(['system:default/harbor-core-banking']),
    );

    // The evaluation after the run made its open findings Finding entities: in the tenant's
    // namespace, related to their resource and owner; tags of another tenant ignored again.
    const finding = await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-query?filter=kind=finding&limit=500')
        .set('Authorization', as(PRIYA));
      return res.body.items?.find(
        (e: any) =>
          e.metadata.annotations['infra-hub.io/asset-id'] === fn.id &&
          e.spec.rule === 'aws-lambda-tracing' &&
          e.relations?.length,
      );
    }, 'the Finding entity of the function');
    expect(finding).toMatchObject({
      apiVersion: 'infra-hub.io/v1alpha1',
      metadata: {
        namespace: 'cartwheel',
        annotations: {
          'infra-hub.io/tenant': 'cartwheel',
          'infra-hub.io/finding-id': expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      },
      spec: {
        severity: 'low',
        status: 'open',
        owner: 'group:default/cartwheel-engineering',
        resource: `resource:cartwheel/${entityNameOf(fn.id)}`,
        controls: expect.arrayContaining([
          expect.stringMatching(/^nist-800-53-r5:/),
        ]),
      },
    });
    expect(finding.spec.system).toBeUndefined();
    expect(
      finding.relations.map((r: any) => `${r.type} ${r.targetRef}`).sort(),
    ).toEqual(
      [
        `findingOf resource:cartwheel/${entityNameOf(fn.id)}`,
        'ownedBy group:default/cartwheel-engineering',
      ].sort(),
    );
    await eventually(async () => {
      const res = await request(server)
        .get(
          `/api/catalog/entities/by-name/resource/cartwheel/${entityNameOf(
            fn.id,
          )}`,
        )
        .set('Authorization', as(PRIYA));
      return res.body.relations?.some(
        (r: any) =>
          r.type === 'hasFinding' &&
          r.targetRef === `finding:cartwheel/${finding.metadata.name}`,
      )
        ? true
        : undefined;
    }, 'the reverse hasFinding relation');
    const filed = await request(server)
      .get('/api/catalog/entities/by-name/finding/default/filed-finding')
      .set('Authorization', as(PRIYA));
    expect(filed.status).toBe(200);
    const forged = await request(server)
      .get('/api/catalog/entities/by-name/finding/default/forged-finding')
      .set('Authorization', as(PRIYA));
    expect(forged.status).toBe(404);

    // Catalog reads follow tenant roles: Harbor's admin and the system-admin see none of
    // Cartwheel's entities (not by name, not in lists), entities of no tenant stay readable.
    const byName = `/api/catalog/entities/by-name/resource/cartwheel/${entityNameOf(
      fn.id,
    )}`;
    for (const outsider of [OMAR, ALEX]) {
      expect(
        (await request(server).get(byName).set('Authorization', as(outsider)))
          .status,
      ).toBe(404);
      const listed = await request(server)
        .get('/api/catalog/entities/by-query?limit=500')
        .set('Authorization', as(outsider));
      expect(listed.status).toBe(200);
      const tenantsSeen = new Set(
        listed.body.items.map(
          (e: any) => e.metadata.annotations?.['infra-hub.io/tenant'],
        ),
      );
      expect(tenantsSeen.has('cartwheel')).toBe(false);
      expect(listed.body.items.map((e: any) => e.metadata.name)).toContain(
        'shared-platform',
      );
    }
    const harborSees = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=system')
      .set('Authorization', as(OMAR));
    expect(
      harborSees.body.items.map((e: any) => e.metadata.name).sort(),
    ).toEqual(['harbor-core-banking', 'shared-platform']);
    const cartwheelSees = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=system')
      .set('Authorization', as(PRIYA));
    expect(
      cartwheelSees.body.items.map((e: any) => e.metadata.name).sort(),
    ).toEqual(['cartwheel-storefront', 'shared-platform']);
    fs.rmSync(estate, { recursive: true, force: true });
  });
});
