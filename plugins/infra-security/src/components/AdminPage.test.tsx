import { ResponseError } from '@backstage/errors';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  ApiKeySummary,
  InfraRole,
  RoleBinding,
  Tenant,
} from '@infra-hub/plugin-infra-security-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InfraSecurityApi, infraSecurityApiRef } from '../api';
import { AdminPage } from './AdminPage';

const tenants: Tenant[] = [
  {
    id: 'cartwheel',
    title: 'Cartwheel Commerce',
    createdAt: '2026-11-01T00:00:00Z',
    createdBy: 'config',
  },
  {
    id: 'harbor-bank',
    title: 'Harbor Trust Bank',
    createdAt: '2026-11-01T00:00:00Z',
    createdBy: 'config',
  },
];

/** An in-memory stand-in for the backend, enough to drive the page. */
function fakeApi(
  roles: Array<{ scope: string; role: InfraRole }>,
): InfraSecurityApi {
  const bindings: RoleBinding[] = [
    {
      scope: 'cartwheel',
      userRef: 'user:default/priya.shah',
      role: 'tenant-admin',
      grantedBy: 'config',
      grantedAt: '2026-11-01T00:00:00Z',
    },
  ];
  const keys: ApiKeySummary[] = [];
  return {
    me: async () => ({ actor: 'user:default/test', roles }),
    listTenants: async () =>
      tenants.filter(t => roles.some(r => r.scope === t.id)),
    createTenant: async () => tenants[0],
    listWorkspaces: async tenantId => [
      {
        tenantId,
        id: 'production',
        title: 'Production',
        createdAt: '2026-11-01T00:00:00Z',
      },
    ],
    createWorkspace: async (tenantId, input) => ({
      tenantId,
      ...input,
      createdAt: new Date().toISOString(),
    }),
    deleteWorkspace: async () => {},
    listRoleBindings: async scope => bindings.filter(b => b.scope === scope),
    grantRole: async (scope, userRef, role) => {
      const b = {
        scope,
        userRef,
        role,
        grantedBy: 'user:default/test',
        grantedAt: new Date().toISOString(),
      };
      bindings.push(b);
      return b;
    },
    revokeRole: async () => {},
    listApiKeys: async () => keys,
    createApiKey: async (tenantId, input) => {
      const key = {
        tenantId,
        id: 'AbCdEfGhIjKlMnOp',
        name: input.name,
        role: input.role,
        prefix: `sk_${tenantId}.AbCdEfGhIjKlMnOp`,
        createdAt: new Date().toISOString(),
        createdBy: 'user:default/test',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      keys.push(key);
      return { key, token: `${key.prefix}.the-secret-part` };
    },
    revokeApiKey: async () => keys[0],
    listCredentials: async () => [],
    createCredential: async () => {
      throw new Error('not used');
    },
    replaceCredential: async () => {
      throw new Error('not used');
    },
    deleteCredential: async () => {},
    listAuditEvents: async scope => ({
      items: [
        {
          seq: 1,
          id: 'e1',
          scope,
          occurredAt: '2026-11-01T00:00:00Z',
          actor: 'config',
          action: 'tenant.created',
          outcome: 'success',
          details: {},
          prevHash: '0',
          hash: '1',
        },
      ],
    }),
    verifyAuditChain: async () => ({ valid: true, checked: 1 }),
    exportAudit: async () => '',
  };
}

const render = (api: InfraSecurityApi) =>
  renderInTestApp(
    <TestApiProvider apis={[[infraSecurityApiRef, api]]}>
      <AdminPage />
    </TestApiProvider>,
  );

describe('AdminPage', () => {
  it('gives a tenant-admin every tab and shows a new API key once', async () => {
    await render(fakeApi([{ scope: 'cartwheel', role: 'tenant-admin' }]));
    expect(
      await screen.findByRole('tab', { name: 'Members and roles' }),
    ).toBeInTheDocument();
    for (const name of ['Workspaces', 'API keys', 'Credentials', 'Audit log']) {
      expect(screen.getByRole('tab', { name })).toBeInTheDocument();
    }
    expect(
      await screen.findByText('user:default/priya.shah'),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: 'API keys' }));
    expect(await screen.findByText('No API keys')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/^Name/), 'ci');
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByTestId('new-api-key-token')).toHaveTextContent(
      'sk_cartwheel.AbCdEfGhIjKlMnOp.the-secret-part',
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Revoke key ci' }),
      ).toBeInTheDocument(),
    );
  });

  it('shows an auditor the members and the audit log, and no keys or credentials', async () => {
    await render(fakeApi([{ scope: 'harbor-bank', role: 'auditor' }]));
    expect(
      await screen.findByRole('tab', { name: 'Audit log' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'API keys' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Credentials' }),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'Audit log' }));
    const table = await screen.findByText('tenant.created');
    expect(
      within(table.closest('tr')!).getByText('config'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(
      await screen.findByText(/The hash chain holds: 1 events checked/),
    ).toBeInTheDocument();
  });

  it('tells a user without roles how to get one', async () => {
    await render(fakeApi([]));
    expect(
      await screen.findByText('You hold no role in any tenant'),
    ).toBeInTheDocument();
  });

  it('shows the backend error when the page cannot load', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'AuthenticationError',
            message: 'Missing credentials',
          },
          request: { method: 'GET', url: '/me' },
          response: { statusCode: 401 },
        }),
        {
          status: 401,
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    await render({ ...fakeApi([]), me: async () => Promise.reject(error) });
    expect(await screen.findByText(/Missing credentials/)).toBeInTheDocument();
  });
});
