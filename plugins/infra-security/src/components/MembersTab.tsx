import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  InfraRole,
  RoleBinding,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { infraSecurityApiRef } from '../api';
import {
  FormCard,
  LoadedTable,
  SubmitButton,
  TENANT_ROLES,
  useAction,
  useReloadable,
  when,
} from './common';

export function MembersTab({
  scope,
  canManage,
}: {
  scope: string;
  canManage: boolean;
}) {
  const api = useApi(infraSecurityApiRef);
  const state = useReloadable(() => api.listRoleBindings(scope), [api, scope]);
  const action = useAction(state.retry);
  const roles: readonly InfraRole[] =
    scope === SYSTEM_SCOPE ? ['system-admin'] : TENANT_ROLES;
  const [userRef, setUserRef] = useState('');
  const [role, setRole] = useState<InfraRole>(roles[roles.length - 1]);

  const columns: TableColumn<RoleBinding>[] = [
    { title: 'User', field: 'userRef' },
    { title: 'Role', field: 'role' },
    { title: 'Granted by', field: 'grantedBy' },
    { title: 'Granted', render: b => when(b.grantedAt) },
  ];
  if (canManage) {
    columns.push({
      title: '',
      render: b => (
        <Button
          size="small"
          aria-label={`Revoke ${b.role} from ${b.userRef}`}
          disabled={action.busy}
          onClick={() =>
            action.run(() => api.revokeRole(scope, b.userRef, b.role))
          }
        >
          Revoke
        </Button>
      ),
    });
  }

  return (
    <>
      <LoadedTable
        state={state}
        title="Members and roles"
        columns={columns}
        search
        empty={{
          title: 'No members yet',
          description: 'Nobody holds a role here.',
        }}
      />
      {canManage && (
        <FormCard
          title="Grant a role"
          error={action.error}
          hint="The role takes effect within seconds; every grant and revocation is in the audit log."
          onSubmit={async () => {
            if (
              await action.run(() => api.grantRole(scope, userRef.trim(), role))
            )
              setUserRef('');
          }}
        >
          <TextField
            id="member-user-ref"
            label="User entity ref"
            placeholder="user:default/jane.doe"
            value={userRef}
            onChange={e => setUserRef(e.target.value)}
            required
            style={{ minWidth: 320 }}
          />
          <TextField
            select
            id="member-role"
            label="Role"
            value={role}
            onChange={e => setRole(e.target.value as InfraRole)}
            style={{ minWidth: 200 }}
          >
            {roles.map(r => (
              <MenuItem key={r} value={r}>
                {r}
              </MenuItem>
            ))}
          </TextField>
          <SubmitButton busy={action.busy}>Grant</SubmitButton>
        </FormCard>
      )}
    </>
  );
}
