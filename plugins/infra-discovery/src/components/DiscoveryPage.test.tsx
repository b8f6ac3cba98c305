import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security';
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

function render(api: InfraDiscoveryApi, tenants = security) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [infraDiscoveryApiRef, api],
        [infraSecurityApiRef, tenants],
      ]}
    >
      <DiscoveryPage />
    </TestApiProvider>,
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
});
