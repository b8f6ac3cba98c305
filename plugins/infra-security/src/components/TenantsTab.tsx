import { EmptyState, InfoCard, Table } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Tenant } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { FormEvent, useState } from 'react';
import { infraSecurityApiRef } from '../api';
import { ActionError, Hint, SubmitButton, useAction, when } from './common';

export function TenantsTab({
  tenants,
  refresh,
}: {
  tenants: Tenant[];
  refresh: () => void;
}) {
  const api = useApi(infraSecurityApiRef);
  const action = useAction(refresh);
  const [form, setForm] = useState({ id: '', title: '', description: '' });

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const input = {
      id: form.id.trim(),
      title: form.title.trim(),
      description: form.description.trim() || undefined,
    };
    if (await action.run(() => api.createTenant(input)))
      setForm({ id: '', title: '', description: '' });
  };

  return (
    <>
      {tenants.length === 0 ? (
        <EmptyState
          missing="data"
          title="No tenants"
          description="Create the first client tenant below."
        />
      ) : (
        <Table<Tenant>
          title="Tenants"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Id', field: 'id' },
            { title: 'Name', field: 'title' },
            { title: 'Description', render: t => t.description ?? '' },
            {
              title: 'Created',
              render: t => `${when(t.createdAt)} by ${t.createdBy}`,
            },
          ]}
          data={tenants}
        />
      )}
      <Box mt={3}>
        <InfoCard title="Create a tenant">
          <form onSubmit={create}>
            <Box
              display="flex"
              gridGap={16}
              alignItems="center"
              flexWrap="wrap"
            >
              <TextField
                id="tenant-id"
                label="Id"
                placeholder="acme"
                value={form.id}
                onChange={e => setForm({ ...form, id: e.target.value })}
                required
              />
              <TextField
                id="tenant-name"
                label="Name"
                value={form.title}
                onChange={e => setForm({ ...form, title: e.target.value })}
                required
              />
              <TextField
                id="tenant-description"
                label="Description"
                value={form.description}
                onChange={e =>
                  setForm({ ...form, description: e.target.value })
                }
              />
              <SubmitButton busy={action.busy}>Create</SubmitButton>
            </Box>
            <Hint>
              Ids are lowercase letters, digits and dashes. A system-admin
              manages tenants but sees none of their data without a role in
              them.
            </Hint>
          </form>
          <ActionError error={action.error} />
        </InfoCard>
      </Box>
    </>
  );
}
