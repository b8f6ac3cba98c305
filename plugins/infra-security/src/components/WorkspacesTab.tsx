import {
  EmptyState,
  InfoCard,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Workspace } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
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

export function WorkspacesTab({
  tenantId,
  canManage,
}: {
  tenantId: string;
  canManage: boolean;
}) {
  const api = useApi(infraSecurityApiRef);
  const state = useAsyncRetry(
    () => api.listWorkspaces(tenantId),
    [api, tenantId],
  );
  const action = useAction(state.retry);
  const [form, setForm] = useState({ id: '', title: '' });

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (
      await action.run(() =>
        api.createWorkspace(tenantId, {
          id: form.id.trim(),
          title: form.title.trim(),
        }),
      )
    ) {
      setForm({ id: '', title: '' });
    }
  };

  const columns: TableColumn<Workspace>[] = [
    { title: 'Id', field: 'id' },
    { title: 'Name', field: 'title' },
    { title: 'Created', render: w => when(w.createdAt) },
    ...(canManage
      ? [
          {
            title: '',
            render: (w: Workspace) => (
              <Button
                size="small"
                aria-label={`Delete workspace ${w.id}`}
                disabled={action.busy}
                onClick={() =>
                  action.run(() => api.deleteWorkspace(tenantId, w.id))
                }
              >
                Delete
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Loaded state={state}>
        {items =>
          items.length === 0 ? (
            <EmptyState
              missing="data"
              title="No workspaces"
              description="A workspace is a scoped data environment of the tenant, such as production or staging."
            />
          ) : (
            <Table<Workspace>
              title="Workspaces"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={columns}
              data={items}
            />
          )
        }
      </Loaded>
      {canManage && (
        <Box mt={3}>
          <InfoCard title="Create a workspace">
            <form onSubmit={create}>
              <Box
                display="flex"
                gridGap={16}
                alignItems="center"
                flexWrap="wrap"
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
              </Box>
              <Hint>Ids are lowercase letters, digits and dashes.</Hint>
            </form>
            <ActionError error={action.error} />
          </InfoCard>
        </Box>
      )}
    </>
  );
}
