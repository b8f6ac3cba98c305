import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  POAM_STATES,
  POAM_TRANSITIONS,
  PoamItem,
  PoamState,
} from '@infra-hub/plugin-infra-compliance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { downloadText } from '@infra-hub/plugin-infra-hub-react';
import { infraComplianceApiRef } from '../api';
import { SeverityChip } from './common';

const STATE_LABEL: Record<PoamState, string> = {
  open: 'Open',
  in_progress: 'In progress',
  verification: 'Verification',
  closed: 'Closed',
};

const overdue = (i: PoamItem) =>
  i.state !== 'closed' && new Date(i.dueAt).getTime() < Date.now();

function Due({ item }: { item: PoamItem }) {
  return (
    <Typography variant="body2" color={overdue(item) ? 'error' : 'textPrimary'}>
      {new Date(item.dueAt).toLocaleDateString()}
      {overdue(item) ? ' (overdue)' : ''}
    </Typography>
  );
}

/** The POA&M as a table or a board by state, with its OSCAL export. */
export function PoamView(props: {
  tenantId: string;
  onOpen: (id: string) => void;
}) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [layout, setLayout] = useState<'table' | 'board'>('table');
  const state = useAsyncRetry(
    () => api.listPoam(props.tenantId),
    [api, props.tenantId],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const items = state.value!;
  const exportPoam = async () => {
    try {
      downloadText(
        `poam-${props.tenantId}.json`,
        await api.oscal(props.tenantId, 'poam'),
        'application/json',
      );
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
  return (
    <>
      <Box display="flex" gridGap={8} mb={1}>
        <Button
          size="small"
          variant={layout === 'table' ? 'contained' : 'outlined'}
          onClick={() => setLayout('table')}
        >
          Table
        </Button>
        <Button
          size="small"
          variant={layout === 'board' ? 'contained' : 'outlined'}
          onClick={() => setLayout('board')}
        >
          Board
        </Button>
        <Button size="small" onClick={exportPoam} disabled={!items.length}>
          Download OSCAL POA&amp;M
        </Button>
      </Box>
      {layout === 'table' ? (
        <Table<PoamItem>
          title={`Plan of action and milestones (${items.length})`}
          options={{
            paging: items.length > 50,
            pageSize: 50,
            search: true,
            padding: 'dense',
          }}
          onRowClick={(_e, row) => row && props.onOpen(row.id)}
          columns={[
            {
              title: 'Severity',
              render: i => <SeverityChip severity={i.severity} />,
            },
            { title: 'Weakness', field: 'title' },
            { title: 'State', render: i => STATE_LABEL[i.state] },
            { title: 'Due', render: i => <Due item={i} /> },
            {
              title: 'Milestones',
              render: i =>
                `${i.milestones.filter(m => m.done).length} of ${
                  i.milestones.length
                }`,
            },
            { title: 'Finding', render: i => i.findingStatus ?? 'gone' },
          ]}
          data={items.map(i => ({ ...i }))}
          emptyContent={
            <Box p={2}>
              <Typography>
                Nothing to remediate: items are drafted from open findings after
                each evaluation.
              </Typography>
            </Box>
          }
        />
      ) : (
        <Box display="flex" gridGap={16} alignItems="flex-start">
          {POAM_STATES.map(s => {
            const column = items.filter(i => i.state === s);
            return (
              <Box
                key={s}
                flex={1}
                minWidth={200}
                data-testid={`poam-column-${s}`}
              >
                <Typography variant="h6">
                  {STATE_LABEL[s]} ({column.length})
                </Typography>
                {column.map(i => (
                  <Paper
                    key={i.id}
                    style={{ padding: 8, marginTop: 8, cursor: 'pointer' }}
                    onClick={() => props.onOpen(i.id)}
                  >
                    <Box display="flex" gridGap={8} alignItems="center">
                      <SeverityChip severity={i.severity} />
                      <Due item={i} />
                    </Box>
                    <Typography variant="body2">{i.title}</Typography>
                  </Paper>
                ))}
              </Box>
            );
          })}
        </Box>
      )}
    </>
  );
}

/** One POA&M item: its weakness, controls, milestones, history, and the moves it may make. */
export function PoamDetail(props: { tenantId: string; itemId: string }) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const state = useAsyncRetry(
    () => api.getPoamItem(props.tenantId, props.itemId),
    [api, props.tenantId, props.itemId],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const item = state.value!;
  const move = async (to: PoamState) => {
    setBusy(true);
    try {
      await api.transitionPoam(props.tenantId, item.id, {
        to,
        ...(comment.trim() ? { comment } : {}),
      });
      alerts.post({
        message: `Now ${STATE_LABEL[to]}`,
        severity: 'success',
        display: 'transient',
      });
      setComment('');
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <InfoCard title={item.title} subheader={STATE_LABEL[item.state]}>
        <StructuredMetadataTable
          metadata={{
            severity: item.severity,
            due: new Date(item.dueAt).toLocaleDateString(),
            resource: item.resourceId,
            finding: item.findingStatus ?? 'gone',
            controls: Object.entries(item.controls).map(
              ([framework, ids]) => `${framework}: ${ids.join(', ')}`,
            ),
            description: item.description,
          }}
        />
        <Box mt={1}>
          <Typography variant="subtitle2">Milestones</Typography>
          {item.milestones.map(m => (
            <Typography key={m.title} variant="body2" data-testid="milestone">
              {m.done ? '✓' : '○'} {m.title}, due{' '}
              {new Date(m.due).toLocaleDateString()}
            </Typography>
          ))}
        </Box>
        {POAM_TRANSITIONS[item.state].length > 0 && (
          <Box display="flex" gridGap={8} alignItems="flex-end" mt={2}>
            <TextField
              id="poam-comment"
              label="Comment"
              value={comment}
              onChange={e => setComment(e.target.value)}
              style={{ minWidth: 320 }}
            />
            {POAM_TRANSITIONS[item.state].map(to => (
              <Button
                key={to}
                variant="outlined"
                disabled={busy}
                onClick={() => move(to)}
              >
                Move to {STATE_LABEL[to]}
              </Button>
            ))}
          </Box>
        )}
      </InfoCard>
      <Box mt={2}>
        <Table
          title="Transitions"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'When', render: h => new Date(h.at).toLocaleString() },
            {
              title: 'Move',
              render: h =>
                `${h.from ? `${STATE_LABEL[h.from as PoamState]} → ` : ''}${
                  STATE_LABEL[h.to as PoamState]
                }`,
            },
            { title: 'By', field: 'actor' },
            { title: 'Comment', render: h => h.comment ?? '' },
          ]}
          data={item.history.map(h => ({ ...h }))}
        />
      </Box>
    </>
  );
}
