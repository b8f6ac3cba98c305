import { useApi } from '@backstage/core-plugin-api';
import { Tenant } from '@infra-hub/plugin-infra-security-common';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { infraSecurityApiRef } from '../api';
import { FormCard, LoadedTable, SubmitButton, useAction, when } from './common';

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

  return (
    <>
      <LoadedTable<Tenant>
        state={{ loading: false, value: tenants }}
        title="Tenants"
        columns={[
          { title: 'Id', field: 'id' },
          { title: 'Name', field: 'title' },
          { title: 'Description', render: t => t.description ?? '' },
          {
            title: 'Created',
            render: t => `${when(t.createdAt)} by ${t.createdBy}`,
          },
        ]}
        empty={{
          title: 'No tenants',
          description: 'Create the first client tenant below.',
        }}
      />
      <FormCard
        title="Create a tenant"
        error={action.error}
        hint="Ids are lowercase letters, digits and dashes. A system-admin manages tenants but sees none of their data without a role in them."
        onSubmit={async () => {
          const input = {
            id: form.id.trim(),
            title: form.title.trim(),
            description: form.description.trim() || undefined,
          };
          if (await action.run(() => api.createTenant(input)))
            setForm({ id: '', title: '', description: '' });
        }}
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
          onChange={e => setForm({ ...form, description: e.target.value })}
        />
        <SubmitButton busy={action.busy}>Create</SubmitButton>
      </FormCard>
    </>
  );
}
