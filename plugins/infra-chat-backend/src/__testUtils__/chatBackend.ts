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
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { infraChatPlugin } from '../plugin';

const repo = path.resolve(__dirname, '../../../..');
const {
  priya: PRIYA,
  tomas: TOMAS,
  li: LI,
  maria: MARIA,
  omar: OMAR,
  alex: ALEX,
  dana: DANA,
} = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const api = '/api/infra-chat';
const cartwheel = `${api}/tenants/cartwheel`;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Secrets planted in every kind of source; none may come out of the chat. */
/** Throws unless `res` has `status` (this helper also runs outside the test runner, in the bench). */
function answered(
  res: { status: number; text?: string },
  status: number,
  what: string,
) {
  if (res.status !== status) {
    throw new Error(
      `${what} answered ${res.status}, not ${status}: ${res.text ?? ''}`,
    );
  }
}

export const PLANTED = {
  githubToken: 'ghp_Zq8vN3kR5tW1yB7cD9fH2jL4mP6sX0aQeU3i',
  awsKey: 'AKIAZ7QWERTYUIOPLKJH',
  password: 'Tr0ub4dor-Horse-Battery',
  slack: 'xoxb-2648137490-98173625401-QwErTyUiOpAsDfGh',
};

export async function eventually<T>(
  fn: () => Promise<T | undefined>,
  what: string,
) {
  for (let i = 0; i < 600; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function discover(
  server: any,
  tenant: string,
  source: string,
  user: string,
) {
  const started = await request(server)
    .post(`/api/infra-discovery/tenants/${tenant}/sources/${source}/runs`)
    .set('Authorization', as(user));
  answered(started, 202, 'a discovery run');
  await eventually(async () => {
    const job = await request(server)
      .get(`/api/infra-discovery/tenants/${tenant}/jobs/${started.body.id}`)
      .set('Authorization', as(user));
    return job.body.status === 'running' ? undefined : job.body.status;
  }, 'the discovery run');
}

export function search(
  server: any,
  tenant: string,
  who: string,
  q: string,
  limit = 50,
) {
  return request(server)
    .get(`${api}/tenants/${tenant}/search`)
    .query({ q, limit })
    .set('Authorization', who);
}

/**
 * A backend with the security spine, discovery, change control, compliance, the catalog and the
 * chat (`infra.chat` extended with `chat`), the demo estate of both tenants discovered, a change
 * request approved, and secrets planted in every kind of source; resolves once both tenants are
 * indexed.
 */
export async function startChatTestBackend(
  chat: Record<string, unknown> = {},
): Promise<{ server: any; close: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-chat-'));
  // A catalog file of cartwheel whose component carries secrets in its description and annotations.
  fs.writeFileSync(
    path.join(dir, 'secret-component.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cartwheel-deployer
  description: "Deploys the storefront. Deploy token ${PLANTED.githubToken} and password: ${PLANTED.password}"
  annotations:
    infra-hub.io/tenant: cartwheel
    example.com/deploy-token: ${PLANTED.githubToken}
    example.com/slack-hook: ${PLANTED.slack}
spec:
  type: service
  lifecycle: production
  owner: group:default/cartwheel-engineering
  system: cartwheel-storefront
`,
  );
  // A Terraform module whose interface (a variable's description) carries a secret.
  const moduleDir = path.join(dir, 'secret-module');
  fs.mkdirSync(moduleDir);
  fs.writeFileSync(
    path.join(moduleDir, 'variables.tf'),
    `variable "webhook_url" {
  description = "Where alerts go; the default hook token is ${PLANTED.slack}"
  type        = string
}
`,
  );
  fs.writeFileSync(
    path.join(moduleDir, 'main.tf'),
    'resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n',
  );
  fs.writeFileSync(
    path.join(dir, 'secret-module.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cartwheel-alerts-module
  description: Alerting module
  annotations:
    infra-hub.io/tenant: cartwheel
    infra-hub.io/terraform-module-path: ./secret-module
spec:
  type: terraform-module
  lifecycle: production
  owner: group:default/cartwheel-engineering
  system: cartwheel-storefront
`,
  );
  // The storefront state with a planted key in a bucket's tags.
  const state = JSON.parse(
    fs.readFileSync(
      path.join(
        repo,
        'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
      ),
      'utf8',
    ),
  );
  for (const resource of state.resources) {
    for (const instance of resource.instances ?? []) {
      if (instance.attributes?.tags) {
        instance.attributes.tags.DeployKey = PLANTED.awsKey;
        // A name that carries a token reaches asset titles, attack paths and findings.
        if (resource.type === 'aws_instance') {
          instance.attributes.tags.Name = `web-${PLANTED.githubToken}`;
        }
        instance.attributes.tags_all = instance.attributes.tags;
      }
    }
  }
  fs.writeFileSync(path.join(dir, 'storefront.tfstate'), JSON.stringify(state));

  const { server } = await startTestBackend({
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
              { type: 'file', target: path.join(dir, 'secret-component.yaml') },
              { type: 'file', target: path.join(dir, 'secret-module.yaml') },
              {
                type: 'file',
                target: path.join(repo, 'templates/catalog-info.yaml'),
                rules: [{ allow: ['Location', 'Template'] }],
              },
            ],
          },
          infra: {
            security: {
              vault: testVault(),
              bootstrap: {
                systemAdmins: [ALEX],
                tenants: {
                  cartwheel: {
                    title: 'Cartwheel',
                    members: {
                      'tenant-admin': [PRIYA, DANA],
                      'security-analyst': [TOMAS],
                      auditor: [LI],
                      'read-only': [MARIA],
                    },
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
                      path: path.join(dir, 'storefront.tfstate'),
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
            change: {
              seedPlans: {
                cartwheel: {
                  'storefront-prod': path.join(
                    repo,
                    'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
                  ),
                },
                'harbor-bank': {
                  'core-banking': path.join(
                    repo,
                    'examples/terraform/harbor-bank/plans/core-banking.plan.json',
                  ),
                },
              },
            },
            compliance: { graphChangeDelaySeconds: 0 },
            // The demo's pipeline runs (recorded deliveries, the portal's connections).
            pipelines: {
              connections: parseYaml(
                fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8'),
              ).infra.pipelines.connections,
              recordedEvents: path.join(repo, 'examples/pipelines'),
            },
            chat: {
              initialIndexDelaySeconds: 0,
              eventDelaySeconds: 0,
              ...chat,
            },
          },
        },
      }),
      import('@backstage/plugin-permission-backend'),
      permissionModuleInfraPolicy,
      import('@infra-hub/plugin-infra-security-backend'),
      import('@infra-hub/plugin-infra-discovery-backend'),
      import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
      import('@infra-hub/plugin-infra-change-backend'),
      import('@infra-hub/plugin-infra-compliance-backend'),
      import('@backstage/plugin-catalog-backend'),
      import(
        '@backstage/plugin-catalog-backend-module-scaffolder-entity-model'
      ),
      import('@infra-hub/plugin-catalog-backend-module-infra'),
      import('@infra-hub/plugin-infra-pipelines-backend'),
      infraChatPlugin,
    ],
  });

  await discover(server, 'cartwheel', 'storefront', PRIYA);
  await discover(server, 'harbor-bank', 'core', OMAR);

  // A plan whose values hold a password (a drift and a plan the chat indexes by their summary).
  const plan = JSON.parse(
    fs.readFileSync(
      path.join(
        repo,
        'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
      ),
      'utf8',
    ),
  );
  for (const change of plan.resource_changes) {
    if (change.change?.after && typeof change.change.after === 'object') {
      change.change.after.password = PLANTED.password;
    }
  }
  answered(
    await request(server)
      .post(
        '/api/infra-change/tenants/cartwheel/plans?module=storefront-secrets',
      )
      .set('Authorization', as(PRIYA))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(plan)),
    201,
    'the planted plan',
  );

  // A change request with a secret in its rollback note, approved with a secret in the comment.
  const { items: plans } = (
    await eventually(async () => {
      const res = await request(server)
        .get('/api/infra-change/tenants/cartwheel/plans')
        .set('Authorization', as(PRIYA));
      return res.body.items?.some((p: any) => p.moduleId === 'storefront-prod')
        ? res
        : undefined;
    }, 'the seeded plan')
  ).body;
  const seeded = plans.find((p: any) => p.moduleId === 'storefront-prod');
  const change = await request(server)
    .post('/api/infra-change/tenants/cartwheel/change-requests')
    .set('Authorization', as(PRIYA))
    .send({
      planId: seeded.id,
      rollbackNote: `Re-apply the previous release; the admin password: ${PLANTED.password} and key ${PLANTED.awsKey}.`,
      submit: true,
    });
  answered(change, 201, 'the change request');
  const decided = await request(server)
    .post(
      `/api/infra-change/tenants/cartwheel/change-requests/${change.body.id}/decisions`,
    )
    .set('Authorization', as(TOMAS))
    .send({
      decision: 'approve',
      comment: `Reviewed the drift; used token ${PLANTED.slack} to check the hook.`,
    });
  answered(decided, 200, 'the approval');

  // Everything indexed: the catalog, assets, attack paths, drift, the change and findings.
  let polls = 0;
  await eventually(async () => {
    const res = await request(server)
      .get(`${cartwheel}/status`)
      .set('Authorization', as(PRIYA));
    const d = res.body.documents ?? {};
    const deployer = await search(
      server,
      'cartwheel',
      as(PRIYA),
      'cartwheel-deployer',
    );
    const approved = await search(
      server,
      'cartwheel',
      as(PRIYA),
      'rollback release approved',
    );
    const ready =
      d.module > 2 &&
      d.drift > 1 &&
      deployer.body.items?.some(
        (i: any) => i.id === 'component:default/cartwheel-deployer',
      ) &&
      d.asset > 0 &&
      d['attack-path'] > 0 &&
      d.drift > 0 &&
      d.finding > 0 &&
      approved.body.items?.some(
        (s: any) =>
          s.kind === 'change-request' && /Approved by/.test(s.snippet),
      );
    if (ready) return true;
    // The catalog fills in after the first indexing; index again, as a tenant admin may.
    if (++polls % 20 === 0) {
      await request(server)
        .post(`${cartwheel}/index`)
        .set('Authorization', as(PRIYA));
    }
    return undefined;
  }, 'the cartwheel index');
  await eventually(async () => {
    const res = await request(server)
      .get(`${api}/tenants/harbor-bank/status`)
      .set('Authorization', as(OMAR));
    const d = res.body.documents ?? {};
    return d.asset > 0 && d.drift > 0 && d.finding > 0 ? true : undefined;
  }, 'the harbor-bank index');
  return {
    server,
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
