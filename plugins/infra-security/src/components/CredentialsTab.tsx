import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CredentialSummary } from '@infra-hub/plugin-infra-security-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { FormEvent, useState } from 'react';
import { infraSecurityApiRef } from '../api';
import {
  FormCard,
  LoadedTable,
  SubmitButton,
  useAction,
  useReloadable,
  when,
} from './common';

export function CredentialsTab({ tenantId }: { tenantId: string }) {
  const api = useApi(infraSecurityApiRef);
  const state = useReloadable(
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

  const add = async () => {
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
      <LoadedTable
        state={state}
        title="Credentials (values are never shown)"
        columns={columns}
        empty={{
          title: 'No credentials',
          description: 'Add the cloud keys and tokens discovery needs below.',
        }}
      />
      <FormCard
        title="Add a credential"
        error={action.error}
        hint="Encrypted with AES-256-GCM before it is stored; only server code can decrypt it, at the moment of use."
        onSubmit={add}
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
      </FormCard>
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
