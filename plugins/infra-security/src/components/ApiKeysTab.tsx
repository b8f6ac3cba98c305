import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ApiKeySummary,
  InfraRole,
} from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
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

export function ApiKeysTab({ tenantId }: { tenantId: string }) {
  const api = useApi(infraSecurityApiRef);
  const state = useReloadable(() => api.listApiKeys(tenantId), [api, tenantId]);
  const action = useAction(state.retry);
  const [name, setName] = useState('');
  const [role, setRole] = useState<InfraRole>('read-only');
  // Empty: the installation's default lifetime (infra.security.apiKeys.defaultDays).
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string }>();

  const create = async () => {
    await action.run(async () => {
      const result = await api.createApiKey(tenantId, {
        name: name.trim(),
        role,
        ...(days.trim() ? { expiresInDays: Number(days) } : {}),
      });
      setCreated({ name: result.key.name, token: result.token });
      setName('');
    });
  };

  const columns: TableColumn<ApiKeySummary>[] = [
    { title: 'Name', field: 'name' },
    { title: 'Role', field: 'role' },
    { title: 'Key', render: k => <code>{k.prefix}.…</code> },
    { title: 'Created', render: k => `${when(k.createdAt)} by ${k.createdBy}` },
    { title: 'Last used', render: k => when(k.lastUsedAt) },
    { title: 'Expires', render: k => when(k.expiresAt) },
    {
      title: 'Status',
      render: k => {
        if (k.revokedAt) return `Revoked ${when(k.revokedAt)}`;
        if (new Date(k.expiresAt).getTime() <= Date.now()) return 'Expired';
        return (
          <Button
            size="small"
            aria-label={`Revoke key ${k.name}`}
            disabled={action.busy}
            onClick={() => action.run(() => api.revokeApiKey(tenantId, k.id))}
          >
            Revoke
          </Button>
        );
      },
    },
  ];

  return (
    <>
      {created && (
        <Box mb={2}>
          <Alert severity="warning" onClose={() => setCreated(undefined)}>
            <Typography variant="body2">
              The token of <strong>{created.name}</strong>, shown this once.
              Store it now; send it as <code>Authorization: Bearer …</code>.
            </Typography>
            <Box mt={1}>
              <code
                data-testid="new-api-key-token"
                style={{ wordBreak: 'break-all' }}
              >
                {created.token}
              </code>
            </Box>
          </Alert>
        </Box>
      )}
      <LoadedTable
        state={state}
        title="Machine API keys"
        columns={columns}
        empty={{
          title: 'No API keys',
          description: 'Create one for a script or a CI pipeline below.',
        }}
      />
      <FormCard
        title="Create an API key"
        error={action.error}
        hint="The key acts with this role in this tenant only, never above your own roles here; it expires, and a revoked key is refused on its next request. Leave the lifetime empty for the default."
        onSubmit={create}
      >
        <TextField
          id="api-key-name"
          label="Name"
          placeholder="github-actions"
          value={name}
          onChange={e => setName(e.target.value)}
          required
        />
        <TextField
          select
          id="api-key-role"
          label="Role"
          value={role}
          onChange={e => setRole(e.target.value as InfraRole)}
          style={{ minWidth: 200 }}
        >
          {TENANT_ROLES.map(r => (
            <MenuItem key={r} value={r}>
              {r}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="api-key-days"
          label="Expires in (days)"
          type="number"
          inputProps={{ min: 1 }}
          value={days}
          onChange={e => setDays(e.target.value)}
          style={{ width: 160 }}
        />
        <SubmitButton busy={action.busy}>Create key</SubmitButton>
      </FormCard>
    </>
  );
}
