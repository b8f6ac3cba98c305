import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { InfraChangeApi, infraChangeApiRef } from '../api';
import {
  EntityServiceInfrastructureContent,
  isInfraService,
} from './EntityServiceInfrastructureContent';

const tenant = { 'infra-hub.io/tenant': 'cartwheel' };
const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront-web',
    namespace: 'default',
    annotations: tenant,
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'team',
    system: 'storefront',
  },
  relations: [{ type: 'partOf', targetRef: 'system:default/storefront' }],
};
const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'storefront', namespace: 'default' },
  spec: { owner: 'team' },
  relations: [
    { type: 'hasPart', targetRef: 'component:default/storefront-web' },
    { type: 'hasPart', targetRef: 'component:default/storefront-prod' },
    { type: 'hasPart', targetRef: 'resource:cartwheel/s3-bucket-images' },
  ],
};
const stack: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'storefront-prod',
    namespace: 'default',
    annotations: { ...tenant, 'infra-hub.io/change-module': 'storefront-prod' },
  },
  spec: { type: 'terraform-module', lifecycle: 'production', owner: 'team' },
};
const bucket: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 's3-bucket-images', namespace: 'cartwheel' },
  spec: { type: 's3-bucket', owner: 'team' },
};

const change = {
  listPlans: async (_t: string, q: { module?: string }) =>
    q.module === 'storefront-prod'
      ? [
          {
            id: 'p1',
            tenantId: 'cartwheel',
            moduleId: 'storefront-prod',
            kind: 'plan',
            risk: 'critical',
            drifted: 3,
            uploadedAt: '2026-12-02T10:00:00Z',
          },
        ]
      : [],
  listChangeRequests: async () => [
    { id: 'c1', state: 'pending_approval' },
    { id: 'c2', state: 'applied' },
  ],
} as unknown as InfraChangeApi;

async function render(
  findings: (system: string) => Promise<number | undefined>,
) {
  const api = {
    ...change,
    openFindingsOfSystem: (_t: string, name: string) => findings(name),
  } as InfraChangeApi;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          catalogApiRef,
          catalogApiMock({ entities: [service, system, stack, bucket] }),
        ],
        [infraChangeApiRef, api],
      ]}
    >
      <EntityProvider entity={service}>
        <EntityServiceInfrastructureContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe("a service's Infrastructure tab", () => {
  it("shows its system's modules with their drift and open changes, its resources and the open findings", async () => {
    const queries: unknown[] = [];
    await render(async s => {
      queries.push(s);
      return 5;
    });
    expect(
      await screen.findByText('Terraform modules (1)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('module-drift')).toHaveTextContent(
      '3 drifted resource(s)',
    );
    expect(screen.getByText('critical')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '1' })).toHaveAttribute(
      'href',
      '/catalog/default/component/storefront-prod/changes',
    );
    expect(screen.getByText('Resources (1)')).toBeInTheDocument();
    expect(screen.getByTestId('service-findings')).toHaveTextContent(
      '5 open finding(s) on the assets of system storefront',
    );
    expect(queries).toEqual(['storefront']);
  });

  it('works without the compliance plugin, and is offered only for services of a tenant', async () => {
    await render(async () => undefined);
    expect(
      await screen.findByText('Terraform modules (1)'),
    ).toBeInTheDocument();
    expect(screen.getByText('No findings to show.')).toBeInTheDocument();
    expect(isInfraService(service)).toBe(true);
    expect(isInfraService(stack)).toBe(false);
    expect(isInfraService({ ...service, metadata: { name: 'x' } })).toBe(false);
  });
});
