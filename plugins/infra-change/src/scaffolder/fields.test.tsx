import { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { vi } from 'vitest';
import { InfraSystemPickerField, InfraTenantPickerField } from './fields';

const system = (name: string, tenant: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name,
    namespace: 'default',
    title,
    annotations: { 'infra-hub.io/tenant': tenant },
  },
  spec: { owner: 'x' },
});

const security = (scopes: string[]) =>
  ({
    me: async () => ({
      actor: 'user:default/priya.shah',
      roles: scopes.map(scope => ({ scope, role: 'tenant-admin' })),
    }),
    listTenants: async () => [
      { id: 'cartwheel', title: 'Cartwheel Commerce' },
      { id: 'harbor-bank', title: 'Harbor Trust Bank' },
      { id: 'northwind', title: 'Northwind' },
    ],
  } as unknown as InfraSecurityApi);

const fieldProps = (extra: Record<string, unknown>) =>
  ({
    schema: { title: 'Tenant' },
    uiSchema: {},
    idSchema: { $id: 'root_tenant' },
    required: true,
    rawErrors: [],
    formContext: {},
    ...extra,
  } as any);

async function openSelect(label: RegExp) {
  fireEvent.mouseDown(await screen.findByLabelText(label));
  return within(await screen.findByRole('listbox'));
}

describe('the golden paths’ form fields', () => {
  it('offers only the tenants the person holds a role in', async () => {
    const onChange = vi.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [infraSecurityApiRef, security(['cartwheel', 'northwind', 'system'])],
        ]}
      >
        <InfraTenantPickerField {...fieldProps({ onChange })} />
      </TestApiProvider>,
    );
    const list = await openSelect(/Tenant/);
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'Cartwheel Commerce (cartwheel)',
      'Northwind (northwind)',
    ]);
    fireEvent.click(list.getByText('Northwind (northwind)'));
    expect(onChange).toHaveBeenLastCalledWith('northwind');
  });

  it('chooses the only tenant, and says so when there is none', async () => {
    const onChange = vi.fn();
    const { unmount } = await renderInTestApp(
      <TestApiProvider
        apis={[[infraSecurityApiRef, security(['harbor-bank'])]]}
      >
        <InfraTenantPickerField {...fieldProps({ onChange })} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('harbor-bank'));
    unmount();
    await renderInTestApp(
      <TestApiProvider apis={[[infraSecurityApiRef, security(['system'])]]}>
        <InfraTenantPickerField {...fieldProps({ onChange: vi.fn() })} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/You hold no role in any tenant/),
    ).toBeInTheDocument();
  });

  it("offers the chosen tenant's systems only", async () => {
    const onChange = vi.fn();
    const catalog = catalogApiMock({
      entities: [
        system('cartwheel-payments', 'cartwheel', 'Payments and Orders'),
        system('cartwheel-storefront', 'cartwheel', 'Storefront'),
        system('harbor-core-banking', 'harbor-bank', 'Core banking'),
      ],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalog]]}>
        <InfraSystemPickerField
          {...fieldProps({
            schema: { title: 'System' },
            idSchema: { $id: 'root_system' },
            formContext: { formData: { tenant: 'cartwheel' } },
            onChange,
          })}
        />
      </TestApiProvider>,
    );
    const list = await openSelect(/System/);
    expect(list.getAllByRole('option').map(o => o.textContent)).toEqual([
      'Payments and Orders',
      'Storefront',
    ]);
    fireEvent.click(list.getByText('Storefront'));
    expect(onChange).toHaveBeenLastCalledWith(
      'system:default/cartwheel-storefront',
    );
  });
});
