import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth, PERSONAS } from '@infra-hub/test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import { infraLocalGitUrlReader } from './LocalGitUrlReader';
import { tempDir } from './__testUtils__/context';

const repo = path.resolve(__dirname, '../../..');
const { priya: PRIYA, tomas: TOMAS, li: LI, omar: OMAR, alex: ALEX } = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const cleanups: Array<() => void> = [];

async function eventually<T>(fn: () => Promise<T | undefined>, what: string) {
  for (let i = 0; i < 240; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let server: any;
let remote: string;

beforeAll(async () => {
  remote = tempDir('infra-golden-remote-', cleanups);
  ({ server } = await startTestBackend({
    features: [
      ...onBehalfOfAwareMockAuth,
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
                  'API',
                  'System',
                  'Domain',
                  'Resource',
                  'Location',
                  'Group',
                  'User',
                ],
              },
            ],
            locations: [
              { type: 'file', target: path.join(repo, 'examples/org.yaml') },
              {
                type: 'file',
                target: path.join(repo, 'examples/tenants/cartwheel.yaml'),
              },
              {
                type: 'file',
                target: path.join(repo, 'examples/tenants/harbor-bank.yaml'),
              },
              // As app-config.yaml: Template allowed from the templates' location only.
              {
                type: 'file',
                target: path.join(repo, 'templates/catalog-info.yaml'),
                rules: [{ allow: ['Location', 'Template'] }],
              },
            ],
          },
          infra: {
            security: {
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel',
                    members: {
                      'tenant-admin': [PRIYA],
                      'security-analyst': [TOMAS],
                      auditor: [LI],
                    },
                  },
                  'harbor-bank': {
                    title: 'Harbor',
                    members: { 'tenant-admin': [OMAR] },
                  },
                },
              },
            },
            scaffolder: {
              gitRemotes: [{ name: 'demo', directory: remote }],
            },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@infra-hub/plugin-infra-change-backend'),
      import('@backstage/plugin-catalog-backend'),
      import(
        '@backstage/plugin-catalog-backend-module-scaffolder-entity-model'
      ),
      import('@infra-hub/plugin-catalog-backend-module-infra'),
      import('@backstage/plugin-scaffolder-backend'),
      import('./index'),
      // Backstage's URL readers (test backends mock them), with the folder remotes' reader.
      urlReaderServiceFactory,
      infraLocalGitUrlReader,
    ],
  }));
  await eventually(async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=template')
      .set('Authorization', as(PRIYA));
    return res.body.items?.length === 5 ? true : undefined;
  }, 'the templates in the catalog');
  await eventually(async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/system/default/cartwheel-payments')
      .set('Authorization', as(PRIYA));
    return res.status === 200 ? true : undefined;
  }, 'the systems');
}, 120_000);

afterAll(() => cleanups.splice(0).forEach(c => c()));

const values = (overrides: Record<string, unknown> = {}) => ({
  name: 'orders-exports',
  description: 'Exports of orders for the finance team, kept seven years.',
  tenant: 'cartwheel',
  system: 'system:default/cartwheel-payments',
  owner: 'group:default/cartwheel-engineering',
  region: 'eu-west-1',
  noncurrentVersionDays: 90,
  ...overrides,
});

/** Runs a template as `who` through the scaffolder's API; its final status and log. */
async function run(who: string, body: Record<string, unknown>) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as(who))
    .send({
      templateRef: 'template:default/terraform-aws-s3-bucket',
      ...body,
    });
  if (created.status !== 201) return { created, status: undefined, log: '' };
  const task = await eventually(async () => {
    const res = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
      .set('Authorization', as(who));
    return ['completed', 'failed'].includes(res.body.status)
      ? res.body
      : undefined;
  }, 'the task');
  const events = await request(server)
    .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
    .set('Authorization', as(who));
  const log = events.body.map((e: any) => e.body?.message ?? '').join('\n');
  return { created, status: task.status as string, output: task, log };
}

const published = () => fs.readdirSync(remote).sort();

/** The defaults of a template's parameters, as the Create page's form fills them in. */
function defaultsOf(template: string): Record<string, unknown> {
  const spec = parseYaml(
    fs.readFileSync(path.join(repo, 'templates', `${template}.yaml`), 'utf8'),
  ).spec;
  return Object.fromEntries(
    spec.parameters.flatMap((page: any) =>
      Object.entries<any>(page.properties ?? {})
        .filter(([, p]) => p.default !== undefined)
        .map(([k, p]) => [k, p.default]),
    ),
  );
}

function skeletonFiles() {
  const base = path.join(repo, 'templates');
  return fs
    .readdirSync(path.join(base, 'skeletons'), {
      recursive: true,
      withFileTypes: true,
    })
    .filter(e => e.isFile())
    .map(e => {
      const full = path.join(e.parentPath, e.name);
      return {
        path: path.relative(base, full),
        base64Content: fs.readFileSync(full).toString('base64'),
      };
    });
}

describe('the golden paths in the scaffolder', () => {
  it('creates a module: scanned, published to the git remote, registered with change control, in the catalog with its interface', async () => {
    const { status, log } = await run(PRIYA, { values: values() });
    expect(log).toMatch(
      /infra:scan: 5 Terraform files, 8 resources: 0 failing rules, 0 secrets/,
    );
    expect(status).toBe('completed');

    const gitdir = path.join(remote, 'orders-exports.git');
    const files = execFileSync(
      'git',
      ['--git-dir', gitdir, 'ls-tree', '-r', '--name-only', 'main'],
      { encoding: 'utf8' },
    );
    expect(files).toContain('.github/workflows/terraform.yml');
    expect(files).toContain('tests/module.tftest.hcl');

    const module = await request(server)
      .get('/api/infra-change/tenants/cartwheel/modules/orders-exports')
      .set('Authorization', as(LI));
    expect(module.body).toMatchObject({
      system: 'system:default/cartwheel-payments',
      entityRef: 'component:default/orders-exports',
      repository: `file://${gitdir}`,
      registeredBy: PRIYA,
    });

    // The catalog reads it from the remote, with the interface read from its code.
    const entity = await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/orders-exports')
        .set('Authorization', as(PRIYA));
      return res.body?.spec?.terraform ? res.body : undefined;
    }, 'the module in the catalog');
    expect(entity.spec).toMatchObject({
      type: 'terraform-module',
      owner: 'group:default/cartwheel-engineering',
      system: 'system:default/cartwheel-payments',
    });
    expect(entity.spec.terraform.inputs.map((i: any) => i.name).sort()).toEqual(
      [
        'access_log_bucket',
        'bucket_name',
        'kms_key_arn',
        'noncurrent_version_expiration_days',
        'tags',
      ],
    );
    expect(entity.spec.terraform.outputs.map((o: any) => o.name)).toContain(
      'bucket_arn',
    );
    // Another tenant's people do not see it.
    expect(
      (
        await request(server)
          .get('/api/catalog/entities/by-name/component/default/orders-exports')
          .set('Authorization', as(OMAR))
      ).status,
    ).toBe(404);
  });

  it.each([
    [
      'terraform-aws-rds-postgres',
      'orders-db',
      ['identifier', 'kms_key_arn', 'subnet_ids'],
    ],
    [
      'terraform-aws-network',
      'payments-network',
      ['cidr_block', 'kms_key_arn', 'name'],
    ],
    [
      'terraform-root-stack',
      'payments-staging',
      ['account_id', 'environment', 'region'],
    ],
  ])(
    'creates a module from %s with its defaults, in the catalog with its inputs',
    async (template, name, inputs) => {
      const { status, log } = await run(PRIYA, {
        templateRef: `template:default/${template}`,
        values: {
          // What the form fills in: the template's defaults.
          ...defaultsOf(template),
          name,
          description: `The ${template} golden path, run by the test.`,
          tenant: 'cartwheel',
          system: 'system:default/cartwheel-payments',
          owner: 'group:default/cartwheel-engineering',
        },
      });
      expect(log).toMatch(/infra:scan: .* 0 failing rules, 0 secrets/);
      expect(status).toBe('completed');
      const entity = await eventually(async () => {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/component/default/${name}`)
          .set('Authorization', as(PRIYA));
        return res.body?.spec?.terraform ? res.body : undefined;
      }, `${name} in the catalog`);
      const names = entity.spec.terraform.inputs.map((i: any) => i.name);
      for (const input of inputs) expect(names).toContain(input);
    },
  );

  it('refuses what it must, and publishes nothing then', async () => {
    const before = published();

    // A tenant the person holds no role in.
    const foreign = await run(OMAR, {
      values: values({ name: 'not-mine' }),
    });
    expect(foreign.status).toBe('failed');
    expect(foreign.log).toMatch(/you hold no role in tenant cartwheel/);

    // A system of another tenant.
    const otherSystem = await run(PRIYA, {
      values: values({
        name: 'wrong-system',
        system: 'system:default/harbor-core-banking',
      }),
    });
    expect(otherSystem.status).toBe('failed');
    expect(otherSystem.log).toMatch(
      /there is no system system:default\/harbor-core-banking in the catalog/,
    );

    // Inputs the template's schema refuses.
    const invalid = await run(PRIYA, {
      values: values({ name: 'Bad Name', noncurrentVersionDays: 0 }),
    });
    expect(invalid.created.status).toBe(400);
    expect(JSON.stringify(invalid.created.body)).toMatch(/name|pattern/);

    // No credentials.
    const none = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.none.header())
      .send({
        templateRef: 'template:default/terraform-aws-s3-bucket',
        values: values({ name: 'anonymous' }),
      });
    expect(none.status).toBe(401);
    expect(published()).toEqual(before);
  });

  it('lets an auditor of the tenant try it, but not register a module', async () => {
    const { status, log } = await run(LI, {
      values: values({ name: 'audited' }),
    });
    expect(status).toBe('failed');
    expect(log).toMatch(
      /your role in tenant cartwheel may not register modules \(it needs infra\.plan\.upload\)/,
    );
    expect(published()).not.toContain('audited.git');
  });

  it('dry-runs a template without writing anything', async () => {
    const before = published();
    const template = fs.readFileSync(
      path.join(repo, 'templates/terraform-aws-s3-bucket.yaml'),
      'utf8',
    );
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', as(TOMAS))
      .send({
        template: parseYaml(template),
        values: values({ name: 'dry-run-only' }),
        // The template's folder, as the template editor sends it.
        directoryContents: skeletonFiles(),
      });
    expect(res.status).toBe(200);
    expect(res.body.log.map((l: any) => l.body.message).join('\n')).toMatch(
      /Dry run: would register module dry-run-only of tenant cartwheel/,
    );
    expect(published()).toEqual(before);
  });
});
