import { EmptyState, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AuditEvent } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { AuditFilter, infraSecurityApiRef } from '../api';
import { ActionError, Loaded, useAction, when } from './common';

const columns: TableColumn<AuditEvent>[] = [
  { title: '#', field: 'seq', width: '6%' },
  { title: 'When', render: e => when(e.occurredAt) },
  { title: 'Actor', field: 'actor' },
  { title: 'Action', field: 'action' },
  { title: 'Outcome', field: 'outcome' },
  { title: 'Subject', render: e => e.subject ?? '' },
  { title: 'Details', render: e => <code>{JSON.stringify(e.details)}</code> },
];

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export function AuditTab({ scope }: { scope: string }) {
  const api = useApi(infraSecurityApiRef);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [pages, setPages] = useState<number[]>([]);
  const before = pages[pages.length - 1];
  const state = useAsyncRetry(
    () => api.listAuditEvents(scope, { ...filter, before, limit: 50 }),
    [api, scope, filter, before],
  );
  const [verification, setVerification] =
    useState<Awaited<ReturnType<typeof api.verifyAuditChain>>>();
  const action = useAction(() => {});

  const set = (key: keyof AuditFilter) => (value: string) => {
    setPages([]);
    setFilter({ ...filter, [key]: value || undefined });
  };

  return (
    <>
      <Box
        display="flex"
        gridGap={16}
        alignItems="center"
        flexWrap="wrap"
        mb={2}
      >
        <TextField
          id="audit-action"
          label="Action"
          placeholder="role.granted"
          value={filter.action ?? ''}
          onChange={e => set('action')(e.target.value)}
        />
        <TextField
          id="audit-actor"
          label="Actor"
          placeholder="user:default/…"
          value={filter.actor ?? ''}
          onChange={e => set('actor')(e.target.value)}
        />
        <TextField
          select
          id="audit-outcome"
          label="Outcome"
          value={filter.outcome ?? ''}
          onChange={e => set('outcome')(e.target.value)}
          style={{ minWidth: 140 }}
        >
          <MenuItem value="">any</MenuItem>
          <MenuItem value="success">success</MenuItem>
          <MenuItem value="failure">failure</MenuItem>
          <MenuItem value="denied">denied</MenuItem>
        </TextField>
        <Button
          variant="outlined"
          disabled={action.busy}
          onClick={() =>
            action.run(async () =>
              setVerification(await api.verifyAuditChain(scope)),
            )
          }
        >
          Verify chain
        </Button>
        <Button
          variant="outlined"
          disabled={action.busy}
          onClick={() =>
            action.run(async () =>
              download(
                `audit-${scope}.csv`,
                'text/csv',
                await api.exportAudit(scope, filter, 'csv'),
              ),
            )
          }
        >
          Export CSV
        </Button>
        <Button
          variant="outlined"
          disabled={action.busy}
          onClick={() =>
            action.run(async () =>
              download(
                `audit-${scope}.json`,
                'application/json',
                await api.exportAudit(scope, filter, 'json'),
              ),
            )
          }
        >
          Export JSON
        </Button>
      </Box>
      {verification && (
        <Box mb={2}>
          <Alert
            severity={verification.valid ? 'success' : 'error'}
            onClose={() => setVerification(undefined)}
          >
            {verification.valid
              ? `The hash chain holds: ${verification.checked} events checked.`
              : `The chain breaks at event #${verification.brokenAt?.seq}: ${verification.brokenAt?.reason}.`}
          </Alert>
        </Box>
      )}
      <ActionError error={action.error} />
      <Loaded state={state}>
        {page =>
          page.items.length === 0 ? (
            <EmptyState
              missing="data"
              title="No events"
              description="Nothing in this log matches the filters."
            />
          ) : (
            <>
              <Table<AuditEvent>
                title="Audit log (newest first)"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={columns}
                data={page.items}
              />
              <Box mt={1} display="flex" gridGap={8}>
                <Button
                  disabled={pages.length === 0}
                  onClick={() => setPages(pages.slice(0, -1))}
                >
                  Newer
                </Button>
                <Button
                  disabled={page.nextBefore === undefined}
                  onClick={() => setPages([...pages, page.nextBefore!])}
                >
                  Older
                </Button>
              </Box>
            </>
          )
        }
      </Loaded>
    </>
  );
}
