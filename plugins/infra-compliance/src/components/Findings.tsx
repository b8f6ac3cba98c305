import {
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  InfoCard,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  FINDING_STATUSES,
  FindingStatus,
  SEVERITIES,
  Severity,
} from '@infra-hub/plugin-infra-compliance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Finding, FindingQuery, infraComplianceApiRef } from '../api';
import { downloadText } from '@infra-hub/plugin-infra-hub-react';
import { SeverityChip, StatusChip } from './common';

const PAGE = 50;

/**
 * Findings of a tenant: filtered by status and severity (and whatever `scope` fixes: a control,
 * a resource, a system), most severe first, a page at a time, downloadable as CSV.
 */
export function FindingsTable(props: {
  tenantId: string;
  scope?: Omit<FindingQuery, 'status' | 'severity' | 'after' | 'limit'>;
  title?: string;
  onOpen: (id: string) => void;
}) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [status, setStatus] = useState<FindingStatus | ''>('open');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [pages, setPages] = useState<string[]>([]);
  const query: FindingQuery = {
    ...props.scope,
    ...(status ? { status } : {}),
    ...(severity ? { severity } : {}),
  };
  const key = JSON.stringify([props.tenantId, query]);
  // A new filter starts from the first page.
  useEffect(() => setPages([]), [key]);
  const state = useAsyncRetry(async () => {
    const first = await api.listFindings(props.tenantId, {
      ...query,
      limit: PAGE,
    });
    const items = [...first.items];
    let next = first.nextAfter;
    for (const _ of pages) {
      if (!next) break;
      const page = await api.listFindings(props.tenantId, {
        ...query,
        limit: PAGE,
        after: next,
      });
      items.push(...page.items);
      next = page.nextAfter;
    }
    return { items, total: first.total, next };
  }, [api, key, pages.length]);

  const filters = (
    <Box display="flex" gridGap={16} alignItems="flex-end" mb={1}>
      <TextField
        select
        id="finding-status"
        label="Status"
        value={status}
        onChange={e => setStatus(e.target.value as FindingStatus | '')}
        style={{ minWidth: 140 }}
      >
        <MenuItem value="">any</MenuItem>
        {FINDING_STATUSES.map(s => (
          <MenuItem key={s} value={s}>
            {s}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        id="finding-severity"
        label="Severity"
        value={severity}
        onChange={e => setSeverity(e.target.value as Severity | '')}
        style={{ minWidth: 140 }}
      >
        <MenuItem value="">any</MenuItem>
        {SEVERITIES.map(s => (
          <MenuItem key={s} value={s}>
            {s}
          </MenuItem>
        ))}
      </TextField>
      <Button
        size="small"
        onClick={async () => {
          try {
            downloadText(
              `findings-${props.tenantId}.csv`,
              await api.findingsCsv(props.tenantId, query),
              'text/csv',
            );
          } catch (e) {
            alerts.post({ message: (e as Error).message, severity: 'error' });
          }
        }}
      >
        Download CSV
      </Button>
    </Box>
  );
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const value = state.value;
  return (
    <>
      {filters}
      {!value ? (
        <Progress />
      ) : (
        <>
          <Table<Finding>
            title={`${props.title ?? 'Findings'} (${value.total})`}
            options={{ paging: false, search: false, padding: 'dense' }}
            onRowClick={(_e, row) => row && props.onOpen(row.id)}
            columns={[
              {
                title: 'Severity',
                render: f => <SeverityChip severity={f.severity} />,
              },
              {
                title: 'Status',
                render: f => <StatusChip status={f.status} />,
              },
              { title: 'Rule', field: 'title' },
              {
                title: 'Resource',
                render: f => (
                  <>
                    <Typography variant="body2">{f.resourceName}</Typography>
                    <Typography variant="caption">{f.resourceType}</Typography>
                  </>
                ),
              },
              { title: 'System', render: f => f.system ?? '' },
              {
                title: 'Last seen',
                render: f => new Date(f.lastSeenAt).toLocaleString(),
              },
            ]}
            data={value.items.map(f => ({ ...f }))}
            emptyContent={
              <Box p={2}>
                <Typography>
                  No finding matches. Findings appear once discovery has run and
                  the tenant has been evaluated.
                </Typography>
              </Box>
            }
          />
          {value.next && (
            <Box mt={1}>
              <Button onClick={() => setPages(p => [...p, value.next!])}>
                Load more ({value.items.length} of {value.total})
              </Button>
            </Box>
          )}
        </>
      )}
    </>
  );
}

const inDays = (days: number) =>
  new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

/** One finding: what failed, where, which controls, how to fix it, its history; accept its risk. */
export function FindingDetail(props: { tenantId: string; findingId: string }) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(inDays(30));
  const [busy, setBusy] = useState(false);
  const state = useAsyncRetry(
    () => api.getFinding(props.tenantId, props.findingId),
    [api, props.tenantId, props.findingId],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const f = state.value!;
  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      alerts.post({ message: done, severity: 'success', display: 'transient' });
      setReason('');
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <InfoCard title={f.title} subheader={`${f.ruleId} · ${f.resourceName}`}>
        <Box display="flex" gridGap={8} mb={1}>
          <SeverityChip severity={f.severity} />
          <StatusChip status={f.status} />
        </Box>
        <StructuredMetadataTable
          metadata={{
            resource: f.resourceId,
            type: f.resourceType,
            ...(f.system ? { system: f.system } : {}),
            ...(f.owner ? { owner: f.owner } : {}),
            controls: Object.entries(f.controls).map(
              ([framework, ids]) => `${framework}: ${ids.join(', ')}`,
            ),
            'first seen': new Date(f.firstSeenAt).toLocaleString(),
            'last seen': new Date(f.lastSeenAt).toLocaleString(),
            ...(f.resolvedAt
              ? { resolved: new Date(f.resolvedAt).toLocaleString() }
              : {}),
            ...(f.suppression
              ? {
                  'risk accepted by': f.suppression.approver,
                  because: f.suppression.reason,
                  until: new Date(f.suppression.expiresAt).toLocaleDateString(),
                }
              : {}),
          }}
        />
        <Box mt={1}>
          <Typography variant="subtitle2">Remediation</Typography>
          <Typography variant="body2" data-testid="remediation">
            {f.remediation}
          </Typography>
        </Box>
        {f.status === 'open' && (
          <Box display="flex" gridGap={8} alignItems="flex-end" mt={2}>
            <TextField
              id="suppression-reason"
              label="Why the risk is accepted"
              value={reason}
              onChange={e => setReason(e.target.value)}
              style={{ minWidth: 360 }}
            />
            <TextField
              id="suppression-expiry"
              label="Until"
              type="date"
              value={expires}
              onChange={e => setExpires(e.target.value)}
              InputLabelProps={{ shrink: true }}
            />
            <Button
              variant="outlined"
              disabled={busy || !reason.trim()}
              onClick={() =>
                act(
                  () =>
                    api.suppress(props.tenantId, f.id, {
                      reason,
                      expiresAt: new Date(`${expires}T23:59:59Z`).toISOString(),
                    }),
                  'Risk accepted; the finding is suppressed until then',
                )
              }
            >
              Accept risk
            </Button>
          </Box>
        )}
        {f.status === 'suppressed' && (
          <Box mt={2}>
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() =>
                act(
                  () => api.unsuppress(props.tenantId, f.id),
                  'Suppression lifted',
                )
              }
            >
              Lift suppression
            </Button>
          </Box>
        )}
      </InfoCard>
      <Box mt={2}>
        <Table
          title="History"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'When', render: h => new Date(h.at).toLocaleString() },
            { title: 'What', field: 'kind' },
            { title: 'By', field: 'actor' },
            {
              title: 'Details',
              render: h =>
                h.details && 'reason' in h.details
                  ? String(h.details.reason)
                  : '',
            },
          ]}
          data={f.history.map(h => ({ ...h }))}
        />
      </Box>
    </>
  );
}
