import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Workspace } from '@infra-hub/plugin-infra-security-common';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { infraSecurityApiRef } from '../api';
import {
  FormCard,
  LoadedTable,
  SubmitButton,
  useAction,
  useReloadable,
  when,
} from './common';

export function WorkspacesTab({
  tenantId,
  canManage,
}: {
  tenantId: string;
  canManage: boolean;
}) {
  const api = useApi(infraSecurityApiRef);
  const state = useReloadable(
    () => api.listWorkspaces(tenantId),
    [api, tenantId],
  );
  const action = useAction(state.retry);
  const [form, setForm] = useState({ id: '', title: '' });

  const columns: TableColumn<Workspace>[] = [
    { title: 'Id', field: 'id' },
    { title: 'Name', field: 'title' },
    { title: 'Created', render: w => when(w.createdAt) },
  ];
  if (canManage) {
    columns.push({
      title: '',
      render: w => (
        <Button
          size="small"
          aria-label={`Delete workspace ${w.id}`}
          disabled={action.busy}
          onClick={() => action.run(() => api.deleteWorkspace(tenantId, w.id))}
        >
          Delete
        </Button>
      ),
    });
  }

  return (
    <>
      <LoadedTable
        state={state}
        title="Workspaces"
        columns={columns}
        empty={{
          title: 'No workspaces',
          description:
            'A workspace is a scoped data environment of the tenant, such as production or staging.',
        }}
      />
      {canManage && (
        <FormCard
          title="Create a workspace"
          error={action.error}
          hint="Ids are lowercase letters, digits and dashes."
          onSubmit={async () => {
            const input = { id: form.id.trim(), title: form.title.trim() };
            if (await action.run(() => api.createWorkspace(tenantId, input)))
              setForm({ id: '', title: '' });
          }}
        >
          <TextField
            id="workspace-id"
            label="Id"
            placeholder="staging"
            value={form.id}
            onChange={e => setForm({ ...form, id: e.target.value })}
            required
          />
          <TextField
            id="workspace-title"
            label="Name"
            value={form.title}
            onChange={e => setForm({ ...form, title: e.target.value })}
            required
          />
          <SubmitButton busy={action.busy}>Create</SubmitButton>
        </FormCard>
      )}
    </>
  );
}
