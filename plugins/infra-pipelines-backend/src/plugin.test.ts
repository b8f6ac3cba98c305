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
import crypto from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraPipelinesPlugin } from './plugin';
import { startLocalCiServer } from './testing/localCiServer';

const repo = path.resolve(__dirname, '../../..');
const {
  priya: PRIYA,
  tomas: TOMAS,
  li: LI,
  maria: MARIA,
  omar: OMAR,
  alex: ALEX,
} = PERSONAS;
const as = (ref: string) => mockCredentials.user.header(ref);
const api = '/api/infra-pipelines';
const cartwheel = `${api}/tenants/cartwheel`;

const SECRETS = {
  github: 'cartwheel-github-webhook-secret',
  gitlab: 'cartwheel-gitlab-secret-token',
  azure: 'cartwheel-azure-devops-password',
  harbor: 'harbor-github-webhook-secret',
};
const PLANTED_KEY = 'AKIAZ7QWERTYUIOPLKJH';

let server: any;
let ci: Awaited<ReturnType<typeof startLocalCiServer>>;

async function eventually<T>(fn: () => Promise<T | undefined>, what: string) {
  for (let i = 0; i < 200; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  ci = await startLocalCiServer();
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
                      'tenant-admin': [PRIYA],
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
            pipelines: {
              requestTimeoutSeconds: 5,
              logExcerptKilobytes: 1,
              webhookBodyMegabytes: 1,
              connections: {
                cartwheel: {
                  github: {
                    provider: 'github',
                    name: 'GitHub',
                    baseUrl: ci.urls.github,
                    token: 'local-github-token',
                    webhookSecret: SECRETS.github,
                  },
                  gitlab: {
                    provider: 'gitlab',
                    baseUrl: ci.urls.gitlab,
                    token: 'local-gitlab-token',
                    webhookSecret: SECRETS.gitlab,
                  },
                  azure: {
                    provider: 'azure-devops',
                    baseUrl: ci.urls.azureDevOps,
                    token: 'local-ado-pat',
                    webhookSecret: SECRETS.azure,
                  },
                  unsigned: { provider: 'github' },
                },
                'harbor-bank': {
                  github: {
                    provider: 'github',
                    baseUrl: ci.urls.github,
                    webhookSecret: SECRETS.harbor,
                  },
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
      infraPipelinesPlugin,
    ],
  }));
  await eventually(async () => {
    const res = await request(server)
      .get(
        '/api/catalog/entities/by-name/component/default/cartwheel-storefront-prod',
      )
      .set('Authorization', as(PRIYA));
    return res.status === 200 ? true : undefined;
  }, 'the demo entities');
}, 120_000);

afterAll(async () => {
  await ci.close();
});

const NOW = Date.now();
const at = (minutesAgo: number) =>
  new Date(NOW - minutesAgo * 60_000).toISOString();

/** A delivery to a connection, signed the provider's way (or not, or with another secret). */
function deliver(
  tenant: string,
  connection: string,
  provider: 'github' | 'gitlab' | 'azure-devops',
  event: string,
  body: unknown,
  options: { secret?: string | null; delivery?: string; raw?: string } = {},
) {
  const text = options.raw ?? JSON.stringify(body);
  const delivery = options.delivery ?? crypto.randomUUID();
  const req = request(server)
    .post(`${api}/webhooks/${tenant}/${connection}`)
    .set('Content-Type', 'application/json');
  const secret = options.secret;
  if (provider === 'github') {
    req.set('X-GitHub-Event', event).set('X-GitHub-Delivery', delivery);
    if (secret !== null) {
      req.set(
        'X-Hub-Signature-256',
        `sha256=${crypto
          .createHmac('sha256', secret ?? SECRETS.github)
          .update(text)
          .digest('hex')}`,
      );
    }
  } else if (provider === 'gitlab') {
    req.set('X-Gitlab-Event', event).set('X-Gitlab-Event-UUID', delivery);
    if (secret !== null) req.set('X-Gitlab-Token', secret ?? SECRETS.gitlab);
  } else if (secret !== null) {
    req.set(
      'Authorization',
      `Basic ${Buffer.from(`azure:${secret ?? SECRETS.azure}`).toString(
        'base64',
      )}`,
    );
  }
  return req.send(text);
}

const workflowRun = (
  id: number,
  status: string,
  conclusion: string | null,
  overrides: Record<string, unknown> = {},
) => ({
  action: status === 'completed' ? 'completed' : 'in_progress',
  workflow_run: {
    id,
    name: 'terraform',
    path: '.github/workflows/terraform.yml',
    run_number: id % 100,
    run_attempt: 1,
    event: 'push',
    status,
    conclusion,
    head_branch: 'main',
    head_sha: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
    html_url: `https://github.com/cartwheel/storefront-infra/actions/runs/${id}`,
    actor: { login: 'priya-shah' },
    created_at: at(30),
    run_started_at: at(29),
    updated_at: status === 'completed' ? at(20) : at(28),
    ...overrides,
  },
  repository: { full_name: 'cartwheel/storefront-infra' },
});

describe('webhooks', () => {
  it('stores a GitHub run and its jobs for the entities that claim it; the failed job’s log is read, its end kept, secrets redacted', async () => {
    ci.runs.github.push({
      id: 5001,
      repository: 'cartwheel/storefront-infra',
      pipelineId: 'terraform.yml',
      name: 'terraform',
      status: 'failed',
      branch: 'main',
      sha: 'a1b2',
      actor: 'priya-shah',
      createdAt: at(30),
      updatedAt: at(20),
      jobs: [
        { id: 61, name: 'checks', status: 'succeeded', log: 'ok' },
        {
          id: 62,
          name: 'plan',
          status: 'failed',
          log: `${'terraform init...\n'.repeat(
            200,
          )}Using key ${PLANTED_KEY}\nError: creating S3 bucket: AccessDenied\n`,
        },
      ],
    });
    const started = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      workflowRun(5001, 'in_progress', null),
    );
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'stored' });
    const runId = started.body.runId;
    const job = await deliver('cartwheel', 'github', 'github', 'workflow_job', {
      action: 'completed',
      workflow_job: {
        id: 62,
        run_id: 5001,
        name: 'plan',
        workflow_name: 'terraform',
        status: 'completed',
        conclusion: 'failure',
        started_at: at(25),
        completed_at: at(21),
        html_url:
          'https://github.com/cartwheel/storefront-infra/actions/runs/5001/job/62',
      },
      repository: { full_name: 'cartwheel/storefront-infra' },
    });
    expect(job.body).toEqual({ status: 'stored', runId });
    const done = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      workflowRun(5001, 'completed', 'failure'),
    );
    expect(done.body.runId).toBe(runId);

    const run = await eventually(async () => {
      const res = await request(server)
        .get(`${cartwheel}/runs/${runId}`)
        .set('Authorization', as(MARIA));
      return res.body.jobs?.find((j: any) => j.logExcerpt)
        ? res.body
        : undefined;
    }, 'the failed job’s log');
    expect(run).toMatchObject({
      provider: 'github',
      connectionId: 'github',
      repository: 'cartwheel/storefront-infra',
      pipeline: 'terraform',
      pipelineId: 'terraform.yml',
      externalId: '5001',
      status: 'failed',
      branch: 'main',
      actor: 'priya-shah',
      entityRefs: ['component:default/cartwheel-storefront-prod'],
      module: 'storefront-prod',
      environment: 'production',
      receivedVia: 'webhook',
      durationMs: 9 * 60_000,
    });
    const plan = run.jobs.find((j: any) => j.name === 'plan');
    expect(plan.status).toBe('failed');
    expect(plan.logTruncated).toBe(true);
    expect(plan.logExcerpt).toMatch(/Error: creating S3 bucket: AccessDenied/);
    expect(plan.logExcerpt).toContain('(sensitive)');
    expect(plan.logExcerpt).not.toContain(PLANTED_KEY);
    expect(Buffer.byteLength(plan.logExcerpt)).toBeLessThanOrEqual(1024);
    // The token reached the provider, never a response.
    expect(
      ci.requests.some(
        r =>
          r.provider === 'github' &&
          r.authorization === 'token local-github-token',
      ),
    ).toBe(true);
    expect(JSON.stringify(run)).not.toContain('local-github-token');
  });

  it('refuses deliveries without a valid signature, replays, and connections without a secret; changes nothing', async () => {
    const body = workflowRun(5002, 'in_progress', null);
    const before = await request(server)
      .get(`${cartwheel}/runs?limit=200`)
      .set('Authorization', as(PRIYA));
    const refusals: Array<[any, number, RegExp]> = [
      [
        await deliver('cartwheel', 'github', 'github', 'workflow_run', body, {
          secret: null,
        }),
        401,
        /no X-Hub-Signature-256/,
      ],
      [
        await deliver('cartwheel', 'github', 'github', 'workflow_run', body, {
          secret: 'wrong',
        }),
        401,
        /does not match/,
      ],
      [
        await deliver('cartwheel', 'github', 'github', 'workflow_run', body, {
          secret: SECRETS.harbor,
        }),
        401,
        /does not match/,
      ],
      [
        await deliver(
          'cartwheel',
          'gitlab',
          'gitlab',
          'Pipeline Hook',
          {},
          { secret: SECRETS.github },
        ),
        401,
        /X-Gitlab-Token of the delivery does not match/,
      ],
      [
        await deliver(
          'cartwheel',
          'gitlab',
          'gitlab',
          'Pipeline Hook',
          {},
          { secret: null },
        ),
        401,
        /no X-Gitlab-Token/,
      ],
      [
        await deliver(
          'cartwheel',
          'azure',
          'azure-devops',
          'build.complete',
          { id: crypto.randomUUID() },
          { secret: 'nope' },
        ),
        401,
        /Basic Authorization of the delivery does not match/,
      ],
      [
        await deliver(
          'cartwheel',
          'azure',
          'azure-devops',
          'build.complete',
          {},
          { secret: null },
        ),
        401,
        /no Basic Authorization/,
      ],
      [
        await deliver('cartwheel', 'unsigned', 'github', 'workflow_run', body),
        401,
        /has no webhook secret/,
      ],
      [
        await deliver('cartwheel', 'nowhere', 'github', 'workflow_run', body),
        404,
        /No pipeline connection 'nowhere'/,
      ],
      [
        await deliver('Not_A_Tenant', 'github', 'github', 'workflow_run', body),
        400,
        /Invalid tenant id/,
      ],
      [
        await deliver('cartwheel', 'github', 'github', 'workflow_run', body, {
          raw: '{not json',
        }),
        400,
        /not JSON/,
      ],
      [
        await deliver('cartwheel', 'github', 'github', 'workflow_run', body, {
          raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
        }),
        413,
        /too large/i,
      ],
    ];
    for (const [res, status, message] of refusals) {
      expect({ status: res.status, message: res.body?.error?.message }).toEqual(
        {
          status,
          message: expect.stringMatching(message),
        },
      );
    }
    // A valid delivery, then the same delivery id again.
    const delivery = crypto.randomUUID();
    const first = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      body,
      { delivery },
    );
    expect(first.status).toBe(200);
    const replay = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      workflowRun(5002, 'completed', 'success'),
      { delivery },
    );
    expect(replay.status).toBe(409);
    expect(replay.body.error.message).toMatch(/already received/);
    const stored = await request(server)
      .get(`${cartwheel}/runs/${first.body.runId}`)
      .set('Authorization', as(PRIYA));
    expect(stored.body.status).toBe('running');
    const after = await request(server)
      .get(`${cartwheel}/runs?limit=200`)
      .set('Authorization', as(PRIYA));
    expect(after.body.items.length).toBe(before.body.items.length + 1);
  });

  it('ignores, with the reason, events it does not use and repositories or pipelines no entity of the tenant claims', async () => {
    const ping = await deliver('cartwheel', 'github', 'github', 'ping', {
      zen: 'hi',
    });
    expect(ping.body).toEqual({ status: 'ignored', reason: 'ping' });
    const other = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      {
        ...workflowRun(5003, 'in_progress', null),
        repository: { full_name: 'someone/else' },
      },
    );
    expect(other.body).toEqual({
      status: 'ignored',
      reason:
        "No entity of tenant 'cartwheel' claims github repository someone/else (pipeline terraform.yml)",
    });
    const lint = await deliver(
      'cartwheel',
      'github',
      'github',
      'workflow_run',
      workflowRun(5004, 'in_progress', null, {
        path: '.github/workflows/lint.yml',
        name: 'lint',
      }),
    );
    expect(lint.body.reason).toMatch(
      /claims github repository cartwheel\/storefront-infra \(pipeline lint.yml\)/,
    );
    // Harbor's connection: Cartwheel's repository is nothing of Harbor's.
    const harbor = await deliver(
      'harbor-bank',
      'github',
      'github',
      'workflow_run',
      workflowRun(5005, 'in_progress', null),
      { secret: SECRETS.harbor },
    );
    expect(harbor.body.reason).toMatch(
      /No entity of tenant 'harbor-bank' claims/,
    );
    const push = await deliver('cartwheel', 'gitlab', 'gitlab', 'Push Hook', {
      object_kind: 'push',
      project: { path_with_namespace: 'cartwheel/storefront-assets' },
    });
    expect(push.body.reason).toMatch(/GitLab event 'Push Hook' is not used/);
  });

  it('stores GitLab pipelines with their jobs, and reads a failed job’s trace', async () => {
    ci.runs.gitlab.push({
      id: 8101,
      repository: 'cartwheel/storefront-assets',
      name: 'terraform plan',
      status: 'failed',
      branch: 'main',
      sha: 'c0ffee',
      actor: 'tomas',
      createdAt: at(50),
      updatedAt: at(40),
      jobs: [
        { id: 91, name: 'validate', status: 'succeeded', log: 'fine' },
        {
          id: 92,
          name: 'plan',
          status: 'failed',
          log: 'Error: Invalid provider configuration\npassword: hunter2-hunter2\n',
        },
      ],
    });
    const res = await deliver(
      'cartwheel',
      'gitlab',
      'gitlab',
      'Pipeline Hook',
      {
        object_kind: 'pipeline',
        object_attributes: {
          id: 8101,
          iid: 101,
          name: 'terraform plan',
          ref: 'main',
          sha: 'c0ffee',
          status: 'failed',
          source: 'push',
          created_at: '2026-12-01 09:00:00 UTC',
          finished_at: '2026-12-01 09:10:00 UTC',
          duration: 540,
          url: 'https://gitlab.com/cartwheel/storefront-assets/-/pipelines/8101',
        },
        user: { username: 'tomas' },
        project: {
          path_with_namespace: 'cartwheel/storefront-assets',
          web_url: 'https://gitlab.com/cartwheel/storefront-assets',
        },
        builds: [
          {
            id: 91,
            name: 'validate',
            stage: 'test',
            status: 'success',
            started_at: '2026-12-01 09:01:00 UTC',
            finished_at: '2026-12-01 09:02:00 UTC',
          },
          {
            id: 92,
            name: 'plan',
            stage: 'plan',
            status: 'failed',
            started_at: '2026-12-01 09:02:00 UTC',
            finished_at: '2026-12-01 09:10:00 UTC',
          },
        ],
      },
    );
    expect(res.body.status).toBe('stored');
    const run = await eventually(async () => {
      const r = await request(server)
        .get(`${cartwheel}/runs/${res.body.runId}`)
        .set('Authorization', as(LI));
      return r.body.jobs?.some((j: any) => j.logExcerpt) ? r.body : undefined;
    }, 'the GitLab trace');
    expect(run).toMatchObject({
      provider: 'gitlab',
      status: 'failed',
      number: 101,
      startedAt: '2026-12-01T09:01:00.000Z',
      finishedAt: '2026-12-01T09:10:00.000Z',
      durationMs: 540_000,
      entityRefs: ['component:default/cartwheel-storefront-assets'],
      module: 'cartwheel-storefront-assets',
    });
    expect(run.jobs.map((j: any) => [j.name, j.status])).toEqual([
      ['validate', 'succeeded'],
      ['plan', 'failed'],
    ]);
    const plan = run.jobs[1];
    expect(plan.url).toBe(
      'https://gitlab.com/cartwheel/storefront-assets/-/jobs/92',
    );
    expect(plan.logExcerpt).toContain('Error: Invalid provider configuration');
    expect(plan.logExcerpt).not.toContain('hunter2-hunter2');
    expect(
      ci.requests.some(
        r => r.provider === 'gitlab' && r.privateToken === 'local-gitlab-token',
      ),
    ).toBe(true);
  });

  it('stores Azure DevOps builds, their jobs from the timeline and the failed job’s log', async () => {
    ci.runs['azure-devops'].push({
      id: 3301,
      repository: 'commerce/checkout',
      pipelineId: '12',
      name: 'checkout-ci',
      status: 'failed',
      branch: 'main',
      sha: 'beef',
      actor: 'maria@cartwheel.example',
      createdAt: at(90),
      updatedAt: at(80),
      jobs: [
        {
          id: 5,
          name: 'Build and test',
          status: 'failed',
          log: 'error: tests failed\ntoken=abcdef0123456789abcdef',
        },
      ],
    });
    const res = await deliver(
      'cartwheel',
      'azure',
      'azure-devops',
      'build.complete',
      {
        id: crypto.randomUUID(),
        eventType: 'build.complete',
        publisherId: 'tfs',
        resource: {
          id: 3301,
          buildNumber: '20261201.1',
          status: 'completed',
          result: 'failed',
          queueTime: at(90),
          startTime: at(89),
          finishTime: at(80),
          definition: { id: 12, name: 'checkout-ci' },
          project: { name: 'commerce' },
          repository: { id: 'r', type: 'TfsGit', name: 'checkout' },
          sourceBranch: 'refs/heads/main',
          sourceVersion: 'beef',
          requestedFor: { uniqueName: 'maria@cartwheel.example' },
          reason: 'individualCI',
          _links: {
            web: {
              href: 'https://dev.azure.com/org/commerce/_build/results?buildId=3301',
            },
          },
        },
      },
    );
    expect(res.body.status).toBe('stored');
    const run = await eventually(async () => {
      const r = await request(server)
        .get(`${cartwheel}/runs/${res.body.runId}`)
        .set('Authorization', as(PRIYA));
      return r.body.jobs?.some((j: any) => j.logExcerpt) ? r.body : undefined;
    }, 'the Azure DevOps log');
    expect(run).toMatchObject({
      provider: 'azure-devops',
      repository: 'commerce/checkout',
      pipelineId: '12',
      status: 'failed',
      branch: 'main',
      entityRefs: ['component:default/cartwheel-checkout'],
      environment: 'production',
    });
    expect(run.jobs[0]).toMatchObject({
      name: 'Build and test',
      status: 'failed',
    });
    expect(run.jobs[0].logExcerpt).toContain('error: tests failed');
    expect(run.jobs[0].logExcerpt).not.toContain('abcdef0123456789abcdef');
  });
});

describe('runs', () => {
  it('lists runs newest first or failed first, filtered, keyset-paged; bad filters are 400s', async () => {
    const all = await request(server)
      .get(`${cartwheel}/runs?limit=200`)
      .set('Authorization', as(MARIA));
    expect(all.status).toBe(200);
    const items = all.body.items;
    expect(items.length).toBeGreaterThanOrEqual(4);
    const times = items.map((r: any) => r.id);
    expect(new Set(times).size).toBe(items.length);
    const failedFirst = await request(server)
      .get(`${cartwheel}/runs?failedFirst=true&limit=200`)
      .set('Authorization', as(MARIA));
    const statuses = failedFirst.body.items.map((r: any) => r.status);
    const firstOther = statuses.findIndex((s: string) => s !== 'failed');
    expect(statuses.slice(firstOther).includes('failed')).toBe(false);
    expect(statuses[0]).toBe('failed');
    // Walk both orders a run at a time: the same runs, none twice.
    for (const order of ['', '&failedFirst=true']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await request(server)
          .get(
            `${cartwheel}/runs?limit=1${order}${
              cursor ? `&cursor=${cursor}` : ''
            }`,
          )
          .set('Authorization', as(MARIA));
        seen.push(...page.body.items.map((r: any) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(
        (order ? failedFirst : all).body.items.map((r: any) => r.id),
      );
    }
    const filters: Array<[string, (r: any) => boolean]> = [
      ['status=failed', r => r.status === 'failed'],
      ['provider=gitlab', r => r.provider === 'gitlab'],
      ['module=storefront-prod', r => r.module === 'storefront-prod'],
      ['environment=production', r => r.environment === 'production'],
      [
        `entityRef=${encodeURIComponent(
          'component:default/cartwheel-checkout',
        )}`,
        r => r.entityRefs.includes('component:default/cartwheel-checkout'),
      ],
    ];
    for (const [query, keep] of filters) {
      const res = await request(server)
        .get(`${cartwheel}/runs?${query}&limit=200`)
        .set('Authorization', as(MARIA));
      expect({ query, status: res.status, error: res.body.error }).toEqual({
        query,
        status: 200,
        error: undefined,
      });
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.map((r: any) => r.id)).toEqual(
        items.filter(keep).map((r: any) => r.id),
      );
    }
    for (const query of [
      'status=exploded',
      'provider=jenkins',
      'cursor=abc',
      'limit=0',
    ]) {
      const res = await request(server)
        .get(`${cartwheel}/runs?${query}`)
        .set('Authorization', as(MARIA));
      expect(res.status).toBe(400);
    }
    const stats = await request(server)
      .get(`${cartwheel}/stats?days=7`)
      .set('Authorization', as(MARIA));
    expect(stats.body.items.length).toBeGreaterThan(0);
    const total = stats.body.items.reduce((a: number, d: any) => a + d.runs, 0);
    expect(total).toBe(items.length);
    expect(
      stats.body.items.some((d: any) => d.failed > 0 && d.p50DurationMs > 0),
    ).toBe(true);
  });
});

describe('pulls', () => {
  it('backfills runs from the APIs; a rate limit stops the pull until its reset and loses nothing', async () => {
    ci.runs.gitlab.push({
      id: 8102,
      repository: 'cartwheel/storefront-assets',
      name: 'terraform plan',
      status: 'succeeded',
      branch: 'main',
      sha: 'feed',
      actor: 'priya',
      createdAt: at(15),
      updatedAt: at(10),
      jobs: [],
    });
    // Gitbeaker tries ten times over a quarter of a second before it gives up.
    ci.rateLimit(10);
    const limited = await request(server)
      .post(`${cartwheel}/connections/gitlab/pulls`)
      .set('Authorization', as(PRIYA));
    expect(limited.status).toBe(200);
    expect(limited.body.errors[0]).toMatch(
      /GitLab at 127\.0\.0\.1:\d+ is rate limiting; trying again after/,
    );
    const connections = await request(server)
      .get(`${cartwheel}/connections`)
      .set('Authorization', as(PRIYA));
    const gitlab = connections.body.items.find((c: any) => c.id === 'gitlab');
    expect(gitlab.lastPullError).toMatch(/rate limiting/);
    expect(JSON.stringify(connections.body)).not.toContain(
      'local-gitlab-token',
    );
    expect(JSON.stringify(connections.body)).not.toContain(SECRETS.gitlab);
    const pulled = await request(server)
      .post(`${cartwheel}/connections/gitlab/pulls`)
      .set('Authorization', as(PRIYA));
    expect(pulled.body).toEqual({ runs: 2, errors: [] });
    const runs = await request(server)
      .get(`${cartwheel}/runs?provider=gitlab`)
      .set('Authorization', as(PRIYA));
    const backfilled = runs.body.items.find(
      (r: any) => r.externalId === '8102',
    );
    expect(backfilled).toMatchObject({
      status: 'succeeded',
      receivedVia: 'pull',
    });
    // The run the webhook stored is the same run, updated in place.
    expect(
      runs.body.items.filter((r: any) => r.externalId === '8101'),
    ).toHaveLength(1);

    // Every provider's API: GitHub and Azure DevOps runs come in the same way.
    const github = await request(server)
      .post(`${cartwheel}/connections/github/pulls`)
      .set('Authorization', as(PRIYA));
    expect(github.body.errors).toEqual([]);
    const azure = await request(server)
      .post(`${cartwheel}/connections/azure/pulls`)
      .set('Authorization', as(PRIYA));
    expect(azure.body).toEqual({ runs: 1, errors: [] });
    ci.setDown(true);
    const down = await request(server)
      .post(`${cartwheel}/connections/azure/pulls`)
      .set('Authorization', as(PRIYA));
    ci.setDown(false);
    expect(down.body.errors[0]).toMatch(
      /Azure DevOps at 127\.0\.0\.1:\d+ (answered 502|could not be reached)/,
    );
  });
});

describe('triggers', () => {
  it('starts an entity’s pipeline on its provider for people who may, audited', async () => {
    const res = await request(server)
      .post(`${cartwheel}/triggers`)
      .set('Authorization', as(TOMAS))
      .send({
        entityRef: 'component:default/cartwheel-storefront-prod',
        ref: 'main',
        inputs: { plan_only: 'true' },
      });
    expect(res.status).toBe(202);
    expect(res.body.message).toMatch(/GitHub started terraform.yml on main/);
    expect(ci.triggered[ci.triggered.length - 1]).toEqual({
      provider: 'github',
      repository: 'cartwheel/storefront-infra',
      pipelineId: 'terraform.yml',
      ref: 'main',
      inputs: { plan_only: 'true' },
    });
    const gitlab = await request(server)
      .post(`${cartwheel}/triggers`)
      .set('Authorization', as(PRIYA))
      .send({ entityRef: 'component:default/cartwheel-storefront-assets' });
    expect(gitlab.status).toBe(202);
    expect(gitlab.body.externalId).toMatch(/^9\d+$/);
    const azure = await request(server)
      .post(`${cartwheel}/triggers`)
      .set('Authorization', as(PRIYA))
      .send({
        entityRef: 'component:default/cartwheel-checkout',
        ref: 'release/1.4',
        inputs: { environment: 'staging' },
      });
    expect(azure.status).toBe(202);
    expect(azure.body.message).toMatch(
      /Azure DevOps queued build 7\d+ of definition 12 on release\/1.4/,
    );
    expect(ci.triggered[ci.triggered.length - 1]).toEqual({
      provider: 'azure-devops',
      repository: 'commerce',
      pipelineId: '12',
      ref: 'refs/heads/release/1.4',
      inputs: { environment: 'staging' },
    });
    const audit = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?limit=50')
      .set('Authorization', as(PRIYA));
    const triggered = audit.body.items.filter(
      (e: any) => e.action === 'pipelines.triggered',
    );
    expect(triggered.map((e: any) => [e.actor, e.subject])).toEqual([
      [PRIYA, 'component:default/cartwheel-checkout'],
      [PRIYA, 'component:default/cartwheel-storefront-assets'],
      [TOMAS, 'component:default/cartwheel-storefront-prod'],
    ]);

    for (const [body, status, message] of [
      [{}, 400, /entityRef/],
      [
        {
          entityRef: 'component:default/cartwheel-storefront-prod',
          ref: '../x',
        },
        400,
        /'ref'/,
      ],
      [
        {
          entityRef: 'component:default/cartwheel-storefront-prod',
          inputs: { 'bad name': 'x' },
        },
        400,
        /'inputs'/,
      ],
      [
        { entityRef: 'component:default/cartwheel-order-events-processor' },
        404,
        /names no repository/,
      ],
      [
        {
          entityRef: 'component:default/cartwheel-storefront-prod',
          pipeline: 'other.yml',
        },
        400,
        /'pipeline' other.yml is not a pipeline/,
      ],
      [
        { entityRef: 'component:default/harbor-ledger-service' },
        404,
        /names no repository/,
      ],
    ] as const) {
      const r = await request(server)
        .post(`${cartwheel}/triggers`)
        .set('Authorization', as(PRIYA))
        .send(body);
      expect({ status: r.status, message: r.body.error?.message }).toEqual({
        status,
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('connections', () => {
  it('lets a tenant admin connect a CI system with vault credentials within the egress policy; webhooks then verify with the vault’s secret', async () => {
    const credential = await request(server)
      .post('/api/infra-security/tenants/cartwheel/credentials')
      .set('Authorization', as(PRIYA))
      .send({
        name: 'gitlab-hook',
        kind: 'token',
        value: 'vault-kept-gitlab-token',
      });
    expect(credential.status).toBe(201);
    const put = (id: string, body: object, who = PRIYA) =>
      request(server)
        .put(`${cartwheel}/connections/${id}`)
        .set('Authorization', as(who))
        .send(body);
    for (const [body, message] of [
      [{ provider: 'jenkins' }, /'provider' must be one of/],
      [
        { provider: 'gitlab', baseUrl: 'http://127.0.0.1:9/' },
        /127\.0\.0\.1.*egress/,
      ],
      [{ provider: 'gitlab', baseUrl: 'http://169.254.169.254/' }, /egress/],
      [
        { provider: 'gitlab', baseUrl: 'ftp://gitlab.example.com' },
        /'baseUrl' must be an http\(s\) URL/,
      ],
      [
        {
          provider: 'gitlab',
          webhookSecretCredentialId: '6f1c3a52-3d5e-4b7a-9a36-0d5d9f1d2c11',
        },
        /is not a credential of tenant 'cartwheel'/,
      ],
      [{ provider: 'gitlab', pullMinutes: -1 }, /'pullMinutes'/],
      [{ provider: 'gitlab', colour: 'red' }, /Unknown field/],
    ] as const) {
      const res = await put('self-managed', body);
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 400,
        message: expect.stringMatching(message),
      });
    }
    expect((await put('github', { provider: 'github' })).status).toBe(409);
    expect((await put('Bad_Id', { provider: 'github' })).status).toBe(400);
    const created = await put('self-managed', {
      provider: 'gitlab',
      name: 'Self-managed GitLab',
      baseUrl: 'https://gitlab.cartwheel.example',
      webhookSecretCredentialId: credential.body.id,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'self-managed',
      origin: 'api',
      webhookSecret: true,
      token: false,
      webhookPath: '/api/infra-pipelines/webhooks/cartwheel/self-managed',
    });
    const pipeline = {
      object_kind: 'pipeline',
      object_attributes: {
        id: 8200,
        ref: 'main',
        status: 'running',
        created_at: at(5),
      },
      project: { path_with_namespace: 'cartwheel/storefront-assets' },
    };
    expect(
      (
        await deliver(
          'cartwheel',
          'self-managed',
          'gitlab',
          'Pipeline Hook',
          pipeline,
          { secret: 'vault-kept-gitlab-token' },
        )
      ).body.status,
    ).toBe('stored');
    expect(
      (
        await deliver(
          'cartwheel',
          'self-managed',
          'gitlab',
          'Pipeline Hook',
          pipeline,
          { secret: SECRETS.gitlab },
        )
      ).status,
    ).toBe(401);
    const audit = await request(server)
      .get('/api/infra-security/audit/cartwheel/events?limit=100')
      .set('Authorization', as(PRIYA));
    const actions = audit.body.items.map((e: any) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'pipelines.connection.created',
        'credential.used',
      ]),
    );
    const deleted = await request(server)
      .delete(`${cartwheel}/connections/self-managed`)
      .set('Authorization', as(PRIYA));
    expect(deleted.status).toBe(204);
    expect(
      (
        await request(server)
          .delete(`${cartwheel}/connections/github`)
          .set('Authorization', as(PRIYA))
      ).status,
    ).toBe(409);
  });
});

describe('hostile callers', () => {
  it('keeps every route to its tenant and role: another tenant, system admin, API keys, no credentials', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    const routes: Array<{
      method: 'get' | 'post' | 'put' | 'delete';
      url: string;
      body?: object;
      needs: 'read' | 'trigger' | 'manage';
    }> = [
      { method: 'get', url: `${cartwheel}/runs`, needs: 'read' },
      { method: 'get', url: `${cartwheel}/runs/${none}`, needs: 'read' },
      { method: 'get', url: `${cartwheel}/stats`, needs: 'read' },
      { method: 'get', url: `${cartwheel}/connections`, needs: 'manage' },
      {
        method: 'put',
        url: `${cartwheel}/connections/x`,
        body: { provider: 'github' },
        needs: 'manage',
      },
      { method: 'delete', url: `${cartwheel}/connections/x`, needs: 'manage' },
      {
        method: 'post',
        url: `${cartwheel}/connections/github/pulls`,
        needs: 'manage',
      },
      {
        method: 'post',
        url: `${cartwheel}/triggers`,
        body: { entityRef: 'component:default/x' },
        needs: 'trigger',
      },
    ];
    const call = (r: (typeof routes)[number], auth?: string) => {
      const req = request(server)[r.method](r.url);
      if (auth) req.set('Authorization', auth);
      return r.body ? req.send(r.body) : req;
    };
    const mint = async (tenant: string, who: string, role: string) =>
      `Bearer ${
        (
          await request(server)
            .post(`/api/infra-security/tenants/${tenant}/api-keys`)
            .set('Authorization', as(who))
            .send({ name: `pipelines-${role}`, role })
        ).body.token
      }`;
    const harborKey = await mint('harbor-bank', OMAR, 'tenant-admin');
    const readOnlyKey = await mint('cartwheel', PRIYA, 'read-only');
    for (const r of routes) {
      expect((await call(r)).status).toBe(401);
      expect((await call(r, mockCredentials.none.header())).status).toBe(401);
      expect((await call(r, as(OMAR))).status).toBe(403);
      expect((await call(r, as(ALEX))).status).toBe(403);
      expect((await call(r, harborKey)).status).toBe(403);
      const byRole = {
        [MARIA]: r.needs === 'read',
        [LI]: r.needs === 'read',
        [TOMAS]: r.needs !== 'manage',
      };
      for (const [who, may] of Object.entries(byRole)) {
        const status = (await call(r, as(who))).status;
        expect({ who, url: r.url, denied: status === 403 }).toEqual({
          who,
          url: r.url,
          denied: !may,
        });
      }
      const keyStatus = (await call(r, readOnlyKey)).status;
      expect({ url: r.url, denied: keyStatus === 403 }).toEqual({
        url: r.url,
        denied: r.needs !== 'read',
      });
    }
    // Harbor's people read Harbor's runs only.
    const harborRuns = await request(server)
      .get(`${api}/tenants/harbor-bank/runs`)
      .set('Authorization', as(OMAR));
    expect(harborRuns.status).toBe(200);
    expect(harborRuns.body.items).toEqual([]);
    expect((await request(server).get(`${api}/health`)).status).toBe(200);
  });
});
