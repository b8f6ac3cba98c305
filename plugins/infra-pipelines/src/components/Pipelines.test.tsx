import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import {
  InfraPipelinesApi,
  infraPipelinesApiRef,
  PipelineRun,
  PlanRecord,
} from '../api';
import { EntityPipelinesContent } from './EntityPipelinesContent';
import { PipelinesPage } from './PipelinesPage';

const security = {
  listTenants: async () => [
    {
      id: 'cartwheel',
      title: 'Cartwheel Commerce',
      createdAt: '',
      createdBy: '',
    },
  ],
} as unknown as InfraSecurityApi;

const run = (
  id: string,
  overrides: Partial<PipelineRun> = {},
): PipelineRun => ({
  id,
  provider: 'github',
  connectionId: 'github',
  repository: 'cartwheel/storefront-infra',
  pipeline: 'terraform',
  pipelineId: 'terraform.yml',
  externalId: id,
  number: 12,
  status: 'succeeded',
  branch: 'main',
  commitSha: '9f2c1e79f2c1e7',
  actor: 'tomas-novak',
  entityRefs: ['component:default/cartwheel-storefront-prod'],
  module: 'storefront-prod',
  startedAt: '2026-12-02T10:00:00Z',
  finishedAt: '2026-12-02T10:04:05Z',
  durationMs: 245_000,
  updatedAt: '2026-12-02T10:04:05Z',
  receivedVia: 'webhook',
  ...overrides,
});

const plan = {
  id: 'p1',
  tenantId: 'cartwheel',
  moduleId: 'storefront-prod',
  kind: 'plan',
  sha256: 'ab'.repeat(32),
  risk: 'high',
  drifted: 2,
  summary: {
    text: '3 to change, 1 to destroy: aws_s3_bucket.assets',
    risk: 'high',
  },
} as unknown as PlanRecord;

function pipelinesApi(
  overrides: Partial<InfraPipelinesApi> = {},
): InfraPipelinesApi {
  return {
    listRuns: vi.fn(async (_t, filter) => ({
      items: filter.cursor
        ? [run('r3', { status: 'cancelled', pipeline: 'older' })]
        : [run('r1', { status: 'failed' }), run('r2', { provider: 'gitlab' })],
      ...(filter.cursor ? {} : { nextCursor: 'next' }),
    })),
    getRun: vi.fn(async (_t, id) => ({
      ...run(id, { status: 'failed' }),
      jobs: [
        {
          id: 'j1',
          name: 'checks',
          status: 'succeeded' as const,
          durationMs: 60_000,
        },
        {
          id: 'j2',
          name: 'plan',
          status: 'failed' as const,
          logExcerpt:
            'Error: creating S3 bucket: AccessDenied\nkey (sensitive)',
          logTruncated: true,
        },
      ],
    })),
    stats: vi.fn(async () => [
      {
        day: '2026-12-01',
        runs: 3,
        failed: 1,
        p50DurationMs: 200_000,
        p95DurationMs: 300_000,
      },
      { day: '2026-12-02', runs: 2, failed: 0, p50DurationMs: 100_000 },
    ]),
    trigger: vi.fn(async () => ({
      message: 'GitHub started terraform.yml on main',
    })),
    plansOfRun: vi.fn(async () => [plan]),
    diagnose: vi.fn(async () => ({
      text: 'terraform #12 failed after 4 min 5 s.\nLikely cause: permissions',
      narration: 'The plan job lacked s3:CreateBucket.',
      model: 'local-model',
      machineWritten: true as const,
    })),
    ...overrides,
  };
}

describe('PipelinesPage', () => {
  it('lists the tenant’s runs failed first with filters, pages on, and opens a run with its plan and failed job’s log', async () => {
    const api = pipelinesApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [infraSecurityApiRef, security],
          [infraPipelinesApiRef, api],
        ]}
      >
        <PipelinesPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('table', { name: 'Pipeline runs' }),
    ).toBeInTheDocument();
    expect(api.listRuns).toHaveBeenCalledWith('cartwheel', {
      failedFirst: true,
      limit: 25,
    });
    expect(screen.getByText('GitLab CI')).toBeInTheDocument();
    expect(screen.getAllByText('cartwheel-storefront-prod').length).toBe(2);
    expect(
      screen.getByRole('img', { name: 'Durations over time' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('4m 05s').length).toBe(2);

    fireEvent.click(await screen.findByRole('button', { name: 'More runs' }));
    expect(await screen.findByText(/older/)).toBeInTheDocument();
    expect(screen.getByText('3 runs')).toBeInTheDocument();

    fireEvent.click(screen.getAllByText(/terraform #12/)[0]);
    expect(
      await screen.findByText(/The end of the log \(secrets redacted\)/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Log of plan').textContent).toContain(
      'Error: creating S3 bucket: AccessDenied',
    );
    expect(
      await screen.findByText(/3 to change, 1 to destroy/),
    ).toBeInTheDocument();
    expect(screen.getByText(/high risk, 2 drifted/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the runs' }));
    expect(
      await screen.findByRole('table', { name: 'Pipeline runs' }),
    ).toBeInTheDocument();
  });

  it('says so when the tenant has no runs', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [infraSecurityApiRef, security],
          [
            infraPipelinesApiRef,
            pipelinesApi({ listRuns: vi.fn(async () => ({ items: [] })) }),
          ],
        ]}
      >
        <PipelinesPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('No runs')).toBeInTheDocument();
  });
});

describe('EntityPipelinesContent', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'cartwheel-storefront-prod',
      annotations: {
        'infra-hub.io/tenant': 'cartwheel',
        'github.com/project-slug': 'cartwheel/storefront-infra',
      },
    },
    spec: {},
  };

  it('shows the entity’s runs and starts its pipeline', async () => {
    const api = pipelinesApi();
    await renderInTestApp(
      <TestApiProvider apis={[[infraPipelinesApiRef, api]]}>
        <EntityProvider entity={entity}>
          <EntityPipelinesContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('table', { name: 'Pipeline runs' }),
    ).toBeInTheDocument();
    expect(api.listRuns).toHaveBeenCalledWith('cartwheel', {
      entityRef: 'component:default/cartwheel-storefront-prod',
      limit: 25,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Run pipeline' }));
    await waitFor(() =>
      expect(api.trigger).toHaveBeenCalledWith('cartwheel', {
        entityRef: 'component:default/cartwheel-storefront-prod',
        ref: 'main',
      }),
    );
  });

  it('explains what is missing on an entity without a repository', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[infraPipelinesApiRef, pipelinesApi()]]}>
        <EntityProvider
          entity={{
            ...entity,
            metadata: {
              name: 'x',
              annotations: { 'infra-hub.io/tenant': 'cartwheel' },
            },
          }}
        >
          <EntityPipelinesContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      screen.getByText('No pipelines for this entity'),
    ).toBeInTheDocument();
  });
});
