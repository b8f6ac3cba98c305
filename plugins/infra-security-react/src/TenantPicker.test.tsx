import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { Tenant } from '@infra-hub/plugin-infra-security-common';
import { fireEvent, screen, within } from '@testing-library/react';
import { InfraSecurityApi, infraSecurityApiRef } from './InfraSecurityApi';
import { TenantPicker } from './TenantPicker';

const tenant = (id: string, title: string): Tenant => ({
  id,
  title,
  createdAt: '2026-11-20T00:00:00Z',
  createdBy: 'config:infra.security.bootstrap',
});

function render(listTenants: InfraSecurityApi['listTenants']) {
  const changes: string[] = [];
  const view = renderInTestApp(
    <TestApiProvider
      apis={[[infraSecurityApiRef, { listTenants } as InfraSecurityApi]]}
    >
      <TenantPicker id="test-tenant" onChange={t => changes.push(t)}>
        {tenantId => <p>showing {tenantId}</p>}
      </TenantPicker>
    </TestApiProvider>,
  );
  return { view, changes };
}

describe('TenantPicker', () => {
  it('shows the first tenant, and the one picked', async () => {
    const { changes } = render(async () => [
      tenant('cartwheel', 'Cartwheel Commerce'),
      tenant('harbor-bank', 'Harbor Bank'),
    ]);
    expect(await screen.findByText('showing cartwheel')).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('button', { name: /Cartwheel/ }));
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText('Harbor Bank'),
    );
    expect(await screen.findByText('showing harbor-bank')).toBeInTheDocument();
    expect(changes).toEqual(['harbor-bank']);
  });

  it('says so when the user holds a role in no tenant', async () => {
    render(async () => []);
    expect(await screen.findByText('No tenant to show')).toBeInTheDocument();
    expect(screen.queryByText(/showing/)).not.toBeInTheDocument();
  });

  it('shows the error when the tenants cannot be read', async () => {
    render(async () => {
      throw new Error('infra-security is unreachable');
    });
    expect(
      await screen.findByText('Error: infra-security is unreachable', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/showing/)).not.toBeInTheDocument();
  });
});
