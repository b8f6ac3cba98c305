import {
  EmptyState,
  InfoCard,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CredentialSummary } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { FormEvent, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { infraSecurityApiRef } from '../api';
import {
  ActionError,
  Hint,
  Loaded,
  SubmitButton,
  useAction,
  when,
} from './common';

export function CredentialsTab({ tenantId }: { tenantId: string }) {
  const api = useApi(infraSecurityApiRef);
  const state = useAsyncRetry(
    () => api.listCredentials(tenantId),
    [api, tenantId],
  );
  const action = useAction(state.retry);
  const [form, setForm] = useState({
    name: '',
    kind: 'aws-secret-key',
    value: '',
  });
  const [replacing, setReplacing] = useState<CredentialSummary>();
  const [newValue, setNewValue] = useState('');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await action.run(() =>
        api.createCredential(tenantId, { ...form, name: form.name.trim() }),
      )
    ) {
      setForm({ name: '', kind: form.kind, value: '' });
    }
  };
  const replace = async (e: FormEvent) => {
    e.preventDefault();
    if (
      replacing &&
      (await action.run(() =>
        api.replaceCredential(tenantId, replacing.id, newValue),
      ))
    ) {
      setReplacing(undefined);
      setNewValue('');
    }
  };

  const columns: TableColumn<CredentialSummary>[] = [
    { title: 'Name', field: 'name' },
    { title: 'Kind', field: 'kind' },
    { title: 'Vault key', field: 'keyId' },
    { title: 'Updated', render: c => when(c.updatedAt) },
    { title: 'Last used', render: c => when(c.lastUsedAt) },
    {
      title: '',
      render: c => (
        <>
          <Button
            size="small"
            aria-label={`Replace ${c.name}`}
            onClick={() => setReplacing(c)}
          >
            Replace
          </Button>
          <Button
            size="small"
            aria-label={`Delete ${c.name}`}
            disabled={action.busy}
            onClick={() =>
              action.run(() => api.deleteCredential(tenantId, c.id))
            }
          >
            Delete
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <Loaded state={state}>
        {items =>
          items.length === 0 ? (
            <EmptyState
              missing="data"
              title="No credentials"
              description="Add the cloud keys and tokens discovery needs below."
            />
          ) : (
            <Table<CredentialSummary>
              title="Credentials (values are never shown)"
              options={{
                paging: items.length > 20,
                pageSize: 20,
                search: false,
                padding: 'dense',
              }}
              columns={columns}
              data={items}
            />
          )
        }
      </Loaded>
      <Box mt={3}>
        <InfoCard title="Add a credential">
          <form onSubmit={add}>
            <Box
              display="flex"
              gridGap={16}
              alignItems="center"
              flexWrap="wrap"
            >
              <TextField
                id="credential-name"
                label="Name"
                value={form.name}
                onChange={e => setForm({ ...form, name: e.target.value })}
                required
              />
              <TextField
                id="credential-kind"
                label="Kind"
                value={form.kind}
                onChange={e => setForm({ ...form, kind: e.target.value })}
                required
              />
              <TextField
                id="credential-value"
                label="Value"
                type="password"
                autoComplete="new-password"
                value={form.value}
                onChange={e => setForm({ ...form, value: e.target.value })}
                required
              />
              <SubmitButton busy={action.busy}>Add</SubmitButton>
            </Box>
            <Hint>
              Encrypted with AES-256-GCM before it is stored; only server code
              can decrypt it, at the moment of use.
            </Hint>
          </form>
          <ActionError error={action.error} />
        </InfoCard>
      </Box>
      <Dialog open={Boolean(replacing)} onClose={() => setReplacing(undefined)}>
        <form onSubmit={replace}>
          <DialogTitle>Replace {replacing?.name}</DialogTitle>
          <DialogContent>
            <TextField
              id="credential-new-value"
              label="New value"
              type="password"
              autoComplete="new-password"
              value={newValue}
              onChange={e => setNewValue(e.target.value)}
              required
              fullWidth
            />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setReplacing(undefined)}>Cancel</Button>
            <SubmitButton busy={action.busy}>Replace</SubmitButton>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
