import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen } from '@testing-library/react';
import {
  DiscoveredAsset,
  InfraDiscoveryApi,
  infraDiscoveryApiRef,
} from '../api';
import { DiscoveryPage } from './DiscoveryPage';

const asset = (n: number, type = 'aws_s3_bucket'): DiscoveredAsset => ({
  id: `aws:1:eu-west-1:${type}:${n}`,
  provider: 'aws',
  account: '1',
  region: 'eu-west-1',
  type,
  nativeId: String(n),
  name: `${type}-${n}`,
  tags: {},
  attributes: {},
  sourceId: 'storefront',
  firstSeen: '2026-11-20T00:00:00Z',
  lastSeen: '2026-11-21T00:00:00Z',
});

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

function render(
  api: Partial<InfraDiscoveryApi>,
  tenants = security,
  catalog = catalogApiMock(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalog],
        [infraDiscoveryApiRef, api as InfraDiscoveryApi],
        [infraSecurityApiRef, tenants],
      ]}
    >
      <DiscoveryPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DiscoveryPage', () => {
  it('lists the tenant inventory, pages it, and passes the filters to the backend', async () => {
    const calls: unknown[] = [];
    await render({
      listAssets: async (_t, q) => {
        calls.push(q);
        return q.after
          ? { items: [asset(3)], total: 3 }
          : { items: [asset(1), asset(2)], total: 3, nextAfter: 'cursor-1' };
      },
      listAttackPaths: async () => [],
    });
    expect(await screen.findByText('aws_s3_bucket-1')).toBeInTheDocument();
    expect(screen.getByText('Assets (3)')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('aws_s3_bucket-3')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Type/), {
      target: { value: 'aws_kms_key' },
    });
    expect(calls).toContainEqual(
      expect.objectContaining({ type: 'aws_kms_key', after: undefined }),
    );
  });

  it('shows the attack paths with names, severity and reasons', async () => {
    const entry = asset(7, 'aws_instance');
    const target = asset(8, 'aws_db_instance');
    await render({
      listAssets: async () => ({ items: [entry, target], total: 2 }),
      listAttackPaths: async () => [
        {
          id: 'p1',
          entry: entry.id,
          target: target.id,
          score: 110,
          severity: 'critical',
          steps: [
            {
              edge: {
                from: INTERNET_ASSET_ID,
                to: entry.id,
                type: 'internet_ingress',
              },
              reversed: false,
            },
            {
              edge: { from: entry.id, to: target.id, type: 'can_access' },
              reversed: false,
            },
          ],
          reasons: [
            'open to the internet on administrative ports (22/tcp)',
            'reaches a database',
          ],
        },
      ],
    });
    fireEvent.click(await screen.findByRole('tab', { name: 'Attack paths' }));
    expect(await screen.findByText('critical')).toBeInTheDocument();
    expect(screen.getByTestId('attack-path')).toHaveTextContent(
      'the internet · internet_ingress → aws_instance-7 · can_access → aws_db_instance-8',
    );
    expect(screen.getByText(/administrative ports/)).toBeInTheDocument();
  });

  it('says so when nothing was discovered, or the user holds no role', async () => {
    await render({
      listAssets: async () => ({ items: [], total: 0 }),
      listAttackPaths: async () => [],
    });
    expect(await screen.findByText('No assets')).toBeInTheDocument();
  });

  it('tells a user without a tenant why the page is empty', async () => {
    await render(
      {
        listAssets: async () => ({ items: [], total: 0 }),
        listAttackPaths: async () => [],
      },
      { listTenants: async () => [] } as unknown as InfraSecurityApi,
    );
    expect(await screen.findByText('No tenant to show')).toBeInTheDocument();
  });

  it('opens an asset from the inventory: attributes, relationships, graph and paths through it', async () => {
    // jsdom does not lay out SVG; the graph measures its nodes.
    (SVGElement.prototype as any).getBBox = () => ({
      x: 0,
      y: 0,
      width: 190,
      height: 44,
    });
    const fn = asset(1, 'aws_lambda_function');
    const role = asset(2, 'aws_iam_role');
    const asked: unknown[] = [];
    await render(
      {
        listAssets: async () => ({ items: [fn], total: 1 }),
        getAsset: async (_t, id) => {
          asked.push(id);
          return {
            views: [{ ...fn, attributes: { runtime: 'nodejs20.x' } }],
            edges: [
              { from: fn.id, to: role.id, type: 'executes_as', sourceId: 's' },
            ],
          };
        },
        getNeighbourhood: async (_t, _id, depth) => ({
          nodes:
            depth === 1 ? [fn, role] : [fn, role, asset(3, 'aws_iam_policy')],
          edges: [
            { from: fn.id, to: role.id, type: 'executes_as', sourceId: 's' },
          ],
          truncated: false,
        }),
        listAttackPaths: async (_t, through) => {
          asked.push(`paths:${through}`);
          return [];
        },
      },
      security,
      catalogApiMock({
        entities: [
          // A compliance finding about the function names the same asset: not its entity.
          {
            apiVersion: 'infra-hub.io/v1alpha1',
            kind: 'Finding',
            metadata: {
              name: 'aws-lambda-tracing-0123456789ab',
              namespace: 'cartwheel',
              title: 'Lambda traces requests: aws_lambda_function-1',
              annotations: { 'infra-hub.io/asset-id': fn.id },
            },
            spec: { severity: 'low', owner: 'group:default/x' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'lambda-function-1-abcdef12',
              namespace: 'cartwheel',
              title: 'aws_lambda_function-1',
              annotations: { 'infra-hub.io/asset-id': fn.id },
            },
            spec: { type: 'aws-lambda-function', owner: 'group:default/x' },
          },
        ],
      }),
    );
    fireEvent.click(await screen.findByText('aws_lambda_function-1'));
    expect(await screen.findByTestId('asset-attributes')).toHaveTextContent(
      '"runtime": "nodejs20.x"',
    );
    expect(screen.getByText('Relationships (1)')).toBeInTheDocument();
    expect(screen.getByTitle(role.id)).toHaveTextContent(
      'aws_iam_role-2aws_iam_role',
    );
    expect(asked).toEqual([fn.id, `paths:${fn.id}`]);
    expect(await screen.findByTestId('asset-catalog-link')).toHaveTextContent(
      'In the catalog: aws_lambda_function-1',
    );
    expect(await screen.findAllByTestId('asset-graph-node')).toHaveLength(2);
    expect(
      screen.getByText(/No attack path from the internet passes through/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Back to inventory' }));
    expect(await screen.findByText('Assets (1)')).toBeInTheDocument();
  });

  it('lists sources and jobs, with the progress of a running job, and starts a run', async () => {
    const runs: string[] = [];
    await render({
      listAssets: async () => ({ items: [], total: 0 }),
      listSources: async () => [
        {
          tenantId: 'cartwheel',
          id: 'storefront',
          name: 'Storefront state',
          provider: 'terraform',
          settings: {},
          enabled: true,
          origin: 'config',
          createdBy: 'config:infra.discovery.sources',
          createdAt: '',
          updatedAt: '',
        },
      ],
      listJobs: async () => ({
        items: [
          {
            tenantId: 'cartwheel',
            id: 'j2',
            sourceId: 'storefront',
            trigger: 'manual',
            status: 'running',
            requestedBy: 'user:default/priya.shah',
            startedAt: '2026-11-25T10:00:00Z',
            warnings: [],
            progress: {
              message: 'Reading ec2 DescribeInstances in eu-west-1',
              assets: 120,
              edges: 40,
            },
          },
          {
            tenantId: 'cartwheel',
            id: 'j1',
            sourceId: 'storefront',
            trigger: 'schedule',
            status: 'failed',
            requestedBy: 'plugin:infra-discovery',
            startedAt: '2026-11-25T09:00:00Z',
            finishedAt: '2026-11-25T09:00:02Z',
            warnings: [],
            error: 'Cannot reach https://state: ECONNREFUSED',
          },
        ],
      }),
      runSource: async (_t, id) => {
        runs.push(id);
        return {} as any;
      },
    });
    fireEvent.click(
      await screen.findByRole('tab', { name: 'Sources and jobs' }),
    );
    expect(await screen.findByText('Storefront state')).toBeInTheDocument();
    expect(screen.getByText('app-config')).toBeInTheDocument();
    expect(await screen.findByTestId('job-progress')).toHaveTextContent(
      'Reading ec2 DescribeInstances in eu-west-1 · 120 assets, 40 relationships so far',
    );
    expect(screen.getByText(/ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText('2.0 s')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('run-storefront'));
    await screen.findByText('Started Storefront state');
    expect(runs).toEqual(['storefront']);
  });
});
