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
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './__testUtils__/context';

const repo = path.resolve(__dirname, '../../..');
const { priya: PRIYA, omar: OMAR, alex: ALEX } = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const cleanups: Array<() => void> = [];

let server: any;
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
  const dir = tempDir('infra-draft-template-', cleanups);
  // A template that drafts a module and scans it as the golden paths do.
  fs.writeFileSync(
    path.join(dir, 'draft.yaml'),
    `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: module-from-description
  title: Terraform module from a description
spec:
  owner: platform-engineering
  type: service
  parameters:
    - properties:
        tenant: { type: string }
        description: { type: string }
  steps:
    - id: draft
      action: infra:module:draft
      input:
        tenant: \${{ parameters.tenant }}
        description: \${{ parameters.description }}
        name: orders-exports
    - id: scan
      action: infra:scan
      input:
        failOn: high
  output:
    text:
      - title: Scan
        content: \${{ steps.scan.output.summary }}
`,
  );
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
              { allow: ['Component', 'System', 'Group', 'User', 'Location'] },
            ],
            locations: [
              { type: 'file', target: path.join(repo, 'examples/org.yaml') },
              {
                type: 'file',
                target: path.join(repo, 'templates/catalog-info.yaml'),
                rules: [{ allow: ['Location', 'Template'] }],
              },
              {
                type: 'file',
                target: path.join(dir, 'draft.yaml'),
                rules: [{ allow: ['Template'] }],
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
      import('@backstage/plugin-catalog-backend'),
      import(
        '@backstage/plugin-catalog-backend-module-scaffolder-entity-model'
      ),
      import('@infra-hub/plugin-infra-chat-backend'),
      import('@backstage/plugin-scaffolder-backend'),
      import('./index'),
      urlReaderServiceFactory,
    ],
  }));
  await eventually(async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=template')
      .set('Authorization', as(PRIYA));
    return res.body.items?.length === 5 ? true : undefined;
  }, 'the templates in the catalog');
}, 120_000);

afterAll(async () => {
  cleanups.splice(0).forEach(c => c());
  await model.close();
});

async function run(who: string, values: Record<string, string>) {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', as(who))
    .send({ templateRef: 'template:default/module-from-description', values });
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
    log: events.body.map((e: any) => e.body?.message ?? '').join('\n'),
  };
}

describe('infra:module:draft', () => {
  it('drafts a module with the model, then the golden paths’ scans pass it', async () => {
    const { status, log } = await run(PRIYA, {
      tenant: 'cartwheel',
      description: 'A private encrypted bucket for the order exports',
    });
    expect(status).toBe('completed');
    expect(log).toMatch(
      /infra:module:draft: machine-written by local-model: README\.md, main\.tf, outputs\.tf, variables\.tf, versions\.tf/,
    );
    expect(log).toMatch(
      /The closest golden paths: AWS S3 bucket \(Terraform module\)/,
    );
    expect(log).toMatch(
      /infra:scan: 4 Terraform files, \d+ resources: \d+ failing rules, 0 secrets, 0 at or above high/,
    );
  });

  it('stops naming the closest golden paths when the policy keeps the model out', async () => {
    const { status, log } = await run(OMAR, {
      tenant: 'harbor-bank',
      description: 'A PostgreSQL database for the ledger',
    });
    expect(status).toBe('failed');
    expect(log).toMatch(
      /no module was drafted \(the AI policy of default does not allow the feature 'module-scaffold'\)\. The closest golden paths: RDS PostgreSQL \(Terraform module\)/,
    );
  });

  it('refuses people of another tenant', async () => {
    const { status, log } = await run(OMAR, {
      tenant: 'cartwheel',
      description: 'A bucket',
    });
    expect(status).toBe('failed');
    expect(log).toMatch(/infra\.plan\.upload/);
  });
});
