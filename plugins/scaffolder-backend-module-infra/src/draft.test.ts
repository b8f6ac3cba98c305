import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { startLocalModelServer } from '@infra-hub/plugin-infra-chat-backend/testing';
import permissionModuleInfraPolicy from '@infra-hub/plugin-permission-backend-module-infra';
import { onBehalfOfAwareMockAuth, PERSONAS } from '@infra-hub/test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraLocalGitUrlReader } from './LocalGitUrlReader';
import { tempDir } from './__testUtils__/context';

const repo = path.resolve(__dirname, '../../..');
const { priya: PRIYA, omar: OMAR, alex: ALEX } = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const cleanups: Array<() => void> = [];

let server: any;
let remote: string;
let model: Awaited<ReturnType<typeof startLocalModelServer>>;

async function eventually<T>(fn: () => Promise<T | undefined>, what: string) {
  for (let i = 0; i < 240; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  model = await startLocalModelServer();
  remote = tempDir('infra-draft-remote-', cleanups);
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
                  'Group',
                  'User',
                  'Location',
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
                    members: { 'tenant-admin': [PRIYA] },
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
            chat: {
              initialIndexDelaySeconds: 3600,
              model: { baseUrl: model.url, chatModel: 'local-model' },
              seedPolicies: {
                'harbor-bank': {
                  default: { features: ['chat'], dataClasses: ['catalog'] },
                },
              },
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
      import('@infra-hub/plugin-infra-chat-backend'),
      import('@backstage/plugin-scaffolder-backend'),
      import('./index'),
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

afterAll(async () => {
  cleanups.splice(0).forEach(c => c());
  await model.close();
});

async function run(who: string, values: Record<string, string>) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as(who))
    .send({
      templateRef: 'template:default/terraform-module-from-description',
      values: {
        name: 'orders-exports',
        owner: 'group:default/cartwheel-engineering',
        region: 'eu-west-1',
        ...values,
      },
    });
  expect(created.status).toBe(201);
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
  return {
    status: task.status as string,
    output: task,
    log: events.body.map((e: any) => e.body?.message ?? '').join('\n'),
  };
}

describe('the template terraform-module-from-description', () => {
  it('drafts a module with the model, scans it like a golden path, publishes and registers it', async () => {
    const { status, log } = await run(PRIYA, {
      tenant: 'cartwheel',
      system: 'system:default/cartwheel-payments',
      description: 'A private encrypted bucket for the order exports',
    });
    expect(log).toMatch(
      /infra:module:draft: machine-written by local-model: README\.md, main\.tf, outputs\.tf, variables\.tf, versions\.tf/,
    );
    // Golden paths only (not this template) are proposed.
    expect(log).toMatch(
      /The closest golden paths: AWS S3 bucket \(Terraform module\) \(template:default\/terraform-aws-s3-bucket\)/,
    );
    expect(log).not.toMatch(/closest golden paths:[^\n]*from a description/);
    expect(log).toMatch(
      /infra:scan: 4 Terraform files, \d+ resources: \d+ failing rules, 0 secrets, 0 at or above high/,
    );
    expect(status).toBe('completed');

    // Published with the golden paths' CI, the commit saying who drafted it.
    const gitdir = path.join(remote, 'orders-exports.git');
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', gitdir, ...args], {
        encoding: 'utf8',
      });
    expect(git('ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
      expect.arrayContaining([
        'main.tf',
        'variables.tf',
        '.github/workflows/terraform.yml',
        '.gitlab-ci.yml',
        'catalog-info.yaml',
      ]),
    );
    expect(git('log', '-1', '--format=%s', 'main')).toMatch(
      /drafted by local-model \(machine-written\)/,
    );

    // Registered with change control, and in the catalog with the interface of its code.
    const registered = await request(server)
      .get('/api/infra-change/tenants/cartwheel/modules/orders-exports')
      .set('Authorization', as(PRIYA));
    expect(registered.body).toMatchObject({
      entityRef: 'component:default/orders-exports',
      registeredBy: PRIYA,
    });
    const entity = await eventually(async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/orders-exports')
        .set('Authorization', as(PRIYA));
      return res.body?.spec?.terraform ? res.body : undefined;
    }, 'the drafted module in the catalog');
    expect(entity.metadata.tags).toEqual(['terraform', 'machine-drafted']);
    expect(entity.spec.terraform.inputs.length).toBeGreaterThan(0);
  });

  it('stops naming the closest golden paths when the policy keeps the model out', async () => {
    const { status, log } = await run(OMAR, {
      name: 'ledger-db',
      tenant: 'harbor-bank',
      system: 'system:default/harbor-core-banking',
      owner: 'group:default/harbor-engineering',
      description: 'A PostgreSQL database for the ledger',
    });
    expect(status).toBe('failed');
    expect(log).toMatch(
      /no module was drafted \(the AI policy of default does not allow the feature 'module-scaffold'\)\. The closest golden paths: RDS PostgreSQL \(Terraform module\)/,
    );
    expect(fs.existsSync(path.join(remote, 'ledger-db.git'))).toBe(false);
  });

  it('refuses people of another tenant before anything is drafted', async () => {
    const before = model.requests.length;
    const { status, log } = await run(OMAR, {
      name: 'foreign-bucket',
      tenant: 'cartwheel',
      system: 'system:default/cartwheel-payments',
      description: 'A bucket for someone else',
    });
    expect(status).toBe('failed');
    expect(log).toMatch(/you hold no role in tenant cartwheel/);
    expect(model.requests.length).toBe(before);
  });
});
