import { Content, EmptyState, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  roleGrants,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { infraSecurityApiRef } from '../api';
import { ApiKeysTab } from './ApiKeysTab';
import { AuditTab } from './AuditTab';
import { Loaded } from './common';
import { CredentialsTab } from './CredentialsTab';
import { MembersTab } from './MembersTab';
import { TenantsTab } from './TenantsTab';
import { WorkspacesTab } from './WorkspacesTab';

type TabId =
  | 'tenants'
  | 'members'
  | 'workspaces'
  | 'keys'
  | 'credentials'
  | 'audit';

/** The administration of the suite, shared by both frontend systems. */
export function AdminContent() {
  const api = useApi(infraSecurityApiRef);
  const state = useAsyncRetry(async () => {
    const [me, tenants] = await Promise.all([api.me(), api.listTenants()]);
    return { me, tenants };
  }, [api]);
  const [chosenScope, setScope] = useState<string>();
  const [chosenTab, setTab] = useState<TabId>();

  return (
    <Loaded state={state}>
      {({ me, tenants }) => {
        const systemAdmin = me.roles.some(
          r => r.scope === SYSTEM_SCOPE && r.role === 'system-admin',
        );
        const scopes = [
          ...(systemAdmin ? [SYSTEM_SCOPE] : []),
          ...tenants.map(t => t.id),
        ];
        if (scopes.length === 0) {
          return (
            <EmptyState
              missing="info"
              title="You hold no role in any tenant"
              description={`Signed in as ${me.actor}. Ask a tenant-admin of your tenant (or a system-admin) to grant you a role.`}
            />
          );
        }
        const scope =
          chosenScope && scopes.includes(chosenScope) ? chosenScope : scopes[0];
        const rolesHere = me.roles
          .filter(r => r.scope === scope)
          .map(r => r.role);
        const may = (permission: string) =>
          rolesHere.some(role => roleGrants(role, permission)) ||
          (systemAdmin &&
            permission === 'infra.users.manage' &&
            scope !== SYSTEM_SCOPE);
        const tabs: Array<[TabId, string]> = [];
        if (scope === SYSTEM_SCOPE) tabs.push(['tenants', 'Tenants']);
        if (may('infra.users.manage') || may('infra.tenant.read'))
          tabs.push(['members', 'Members and roles']);
        if (
          scope !== SYSTEM_SCOPE &&
          (may('infra.users.manage') || may('infra.tenant.read'))
        ) {
          tabs.push(['workspaces', 'Workspaces']);
        }
        if (scope !== SYSTEM_SCOPE && may('infra.users.manage'))
          tabs.push(['keys', 'API keys']);
        if (scope !== SYSTEM_SCOPE && may('infra.credentials.manage'))
          tabs.push(['credentials', 'Credentials']);
        if (may('infra.audit-log.read')) tabs.push(['audit', 'Audit log']);
        const tab = tabs.find(([id]) => id === chosenTab)?.[0] ?? tabs[0]?.[0];
        const title = (id: string) =>
          id === SYSTEM_SCOPE
            ? 'System (installation-wide)'
            : tenants.find(t => t.id === id)?.title ?? id;

        return (
          <>
            <Box display="flex" alignItems="center" gridGap={24} mb={2}>
              <TextField
                select
                id="admin-tenant"
                label="Tenant"
                value={scope}
                onChange={e => setScope(e.target.value)}
                style={{ minWidth: 280 }}
                inputProps={{ 'aria-label': 'Tenant' }}
              >
                {scopes.map(id => (
                  <MenuItem key={id} value={id}>
                    {title(id)}
                  </MenuItem>
                ))}
              </TextField>
              <span>
                Your roles here:{' '}
                <strong>
                  {rolesHere.length
                    ? rolesHere.join(', ')
                    : 'none (system-admin)'}
                </strong>
              </span>
            </Box>
            {tabs.length === 0 ? (
              <EmptyState
                missing="info"
                title="Nothing to administer here"
                description="Your role in this tenant grants no administration."
              />
            ) : (
              <>
                <Tabs
                  value={tab}
                  onChange={(_e, value) => setTab(value)}
                  indicatorColor="primary"
                >
                  {tabs.map(([id, label]) => (
                    <Tab key={id} value={id} label={label} />
                  ))}
                </Tabs>
                <Box mt={2}>
                  {tab === 'tenants' && (
                    <TenantsTab tenants={tenants} refresh={state.retry} />
                  )}
                  {tab === 'members' && (
                    <MembersTab
                      scope={scope}
                      canManage={may('infra.users.manage')}
                    />
                  )}
                  {tab === 'workspaces' && (
                    <WorkspacesTab
                      tenantId={scope}
                      canManage={may('infra.users.manage')}
                    />
                  )}
                  {tab === 'keys' && <ApiKeysTab tenantId={scope} />}
                  {tab === 'credentials' && <CredentialsTab tenantId={scope} />}
                  {tab === 'audit' && <AuditTab scope={scope} />}
                </Box>
              </>
            )}
          </>
        );
      }}
    </Loaded>
  );
}

/**
 * The Infra Hub administration page: tenants, members and roles, API keys, credentials and the
 * audit log, each shown to the roles that may use it.
 *
 * @public
 */
export const AdminPage = () => (
  <Page themeId="tool">
    <Header
      title="Infra Hub administration"
      subtitle="Tenants, members and roles, API keys, credentials, audit log"
    />
    <Content>
      <AdminContent />
    </Content>
  </Page>
);
