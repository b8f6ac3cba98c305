import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CHANGE_TRANSITIONS,
  ChangeState,
} from '@infra-hub/plugin-infra-change-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  AssistText,
  ChangeRequest,
  infraChangeApiRef,
  ReportRow,
} from '../api';
import { downloadText } from '@infra-hub/plugin-infra-hub-react';
import { RiskChip } from './common';
import { ResourceDiffs } from './Drift';
import { PlanFindings } from './PlanFindings';

const STATE_LABEL: Record<ChangeState, string> = {
  draft: 'draft',
  pending_approval: 'pending approval',
  approved: 'approved',
  rejected: 'rejected',
  applied: 'applied',
  cancelled: 'cancelled',
};

const ACTION_LABEL: Partial<Record<ChangeState, string>> = {
  pending_approval: 'Submit',
  applied: 'Mark applied',
  cancelled: 'Cancel',
};

/** The CAB queue: change requests of the tenant, those waiting for approval first. */
export function ChangeQueue(props: {
  tenantId: string;
  module?: string;
  onOpen: (id: string) => void;
}) {
  const api = useApi(infraChangeApiRef);
  const state = useAsync(
    () =>
      api.listChangeRequests(props.tenantId, {
        ...(props.module ? { module: props.module } : {}),
      }),
    [api, props.tenantId, props.module],
  );
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const items = [...state.value!].sort(
    (a, b) =>
      Number(b.state === 'pending_approval') -
      Number(a.state === 'pending_approval'),
  );
  if (!items.length) {
    return (
      <EmptyState
        missing="data"
        title="No change requests"
        description="Open one from a plan on the Drift tab (Request change)."
      />
    );
  }
  return (
    <Table<ChangeRequest>
      title="Change requests"
      options={{
        paging: items.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      onRowClick={(_e, row) => row && props.onOpen(row.id)}
      columns={[
        { title: 'Module', field: 'moduleId' },
        {
          title: 'State',
          render: c => (
            <Chip
              size="small"
              label={STATE_LABEL[c.state]}
              data-testid={`state-${c.state}`}
            />
          ),
        },
        { title: 'Risk', render: c => <RiskChip risk={c.risk} /> },
        {
          title: 'Approvals',
          render: c =>
            `${c.decisions.filter(d => d.decision === 'approve').length} of ${
              c.requiredApprovals
            }`,
        },
        { title: 'Requester', field: 'requester' },
        {
          title: 'Opened',
          render: c => new Date(c.createdAt).toLocaleString(),
        },
      ]}
      data={items}
    />
  );
}

function Verification(props: {
  tenantId: string;
  changeId: string;
  decisionId: string;
}) {
  const api = useApi(infraChangeApiRef);
  const state = useAsync(
    () => api.verify(props.tenantId, props.changeId, props.decisionId),
    [api, props.tenantId, props.changeId, props.decisionId],
  );
  if (state.loading)
    return <Typography variant="caption">checking…</Typography>;
  if (state.error)
    return <Typography color="error">{state.error.message}</Typography>;
  const v = state.value!;
  return (
    <Typography
      variant="body2"
      color={v.valid ? 'textPrimary' : 'error'}
      title={v.checks
        .map(c => `${c.ok ? 'ok' : 'FAIL'} ${c.check} ${c.detail ?? ''}`)
        .join('\n')}
      data-testid="signature-status"
    >
      {v.valid ? 'signature valid (ML-DSA-65)' : 'signature INVALID'}
    </Typography>
  );
}

/** A change request: summary, risk, drift diffs, decisions and what can be done next. */
export function ChangeDetail(props: { tenantId: string; changeId: string }) {
  const api = useApi(infraChangeApiRef);
  const alerts = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const state = useAsyncRetry(async () => {
    const change = await api.getChangeRequest(props.tenantId, props.changeId);
    const plan = await api.getPlan(props.tenantId, change.planId);
    return { change, plan };
  }, [api, props.tenantId, props.changeId]);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { change, plan } = state.value!;
  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      alerts.post({ message: done, severity: 'success', display: 'transient' });
      setComment('');
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const next = Object.entries(CHANGE_TRANSITIONS[change.state]).filter(
    ([, via]) => via !== 'approve' && via !== 'reject',
  ) as Array<[ChangeState, string]>;
  const approvals = change.decisions.filter(
    d => d.decision === 'approve',
  ).length;
  return (
    <>
      <InfoCard
        title={`Change to ${change.moduleId}`}
        subheader={`${STATE_LABEL[change.state]} · ${approvals} of ${
          change.requiredApprovals
        } approvals`}
      >
        <Box display="flex" gridGap={8} mb={1} alignItems="center">
          <RiskChip risk={change.risk} />
          <Chip
            size="small"
            label={STATE_LABEL[change.state]}
            data-testid="change-state"
          />
        </Box>
        <StructuredMetadataTable
          metadata={{
            requester: change.requester,
            opened: new Date(change.createdAt).toLocaleString(),
            'plan sha256': change.planHash,
            'rollback note': change.rollbackNote,
          }}
        />
        <Box
          component="pre"
          data-testid="change-summary"
          style={{ whiteSpace: 'pre-wrap' }}
        >
          {change.summary.text}
        </Box>
        {change.state === 'pending_approval' && (
          <Box display="flex" gridGap={8} alignItems="flex-end" mt={1}>
            <TextField
              id="decision-comment"
              label="Comment"
              value={comment}
              onChange={e => setComment(e.target.value)}
              style={{ minWidth: 360 }}
            />
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={() =>
                act(
                  () =>
                    api.decide(props.tenantId, change.id, {
                      decision: 'approve',
                      comment,
                    }),
                  'Approved and signed',
                )
              }
            >
              Approve
            </Button>
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() =>
                act(
                  () =>
                    api.decide(props.tenantId, change.id, {
                      decision: 'reject',
                      comment,
                    }),
                  'Rejected',
                )
              }
            >
              Reject
            </Button>
          </Box>
        )}
        <Box display="flex" gridGap={8} mt={2}>
          {next.map(([to]) => (
            <Button
              key={to}
              size="small"
              disabled={busy}
              onClick={() =>
                act(
                  () => api.transition(props.tenantId, change.id, to),
                  `Now ${STATE_LABEL[to]}`,
                )
              }
            >
              {ACTION_LABEL[to] ?? to}
            </Button>
          ))}
          {(change.state === 'approved' || change.state === 'applied') && (
            <Button
              size="small"
              color="primary"
              disabled={busy}
              onClick={() =>
                act(async () => {
                  const text = await api.evidence(props.tenantId, change.id);
                  downloadText(
                    `evidence-${change.id}.json`,
                    text,
                    'application/json',
                  );
                }, 'Evidence bundle downloaded: check it with yarn infra-verify')
              }
            >
              Download evidence
            </Button>
          )}
        </Box>
      </InfoCard>
      <MachineWritten tenantId={props.tenantId} changeId={change.id} />
      <Box mt={2}>
        <Table
          title={`Decisions (${change.decisions.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Approver', field: 'approver' },
            { title: 'Decision', field: 'decision' },
            {
              title: 'When',
              render: d => new Date(d.decidedAt).toLocaleString(),
            },
            { title: 'Comment', field: 'comment' },
            {
              title: 'Signature',
              render: d =>
                d.signed ? (
                  <Verification
                    tenantId={props.tenantId}
                    changeId={change.id}
                    decisionId={d.id}
                  />
                ) : (
                  'unsigned (rejection)'
                ),
            },
          ]}
          data={change.decisions.map(d => ({ ...d }))}
          emptyContent={
            <Box p={2}>
              <Typography>No decision yet.</Typography>
            </Box>
          }
        />
      </Box>
      {plan.compliance && (
        <Box mt={2}>
          <PlanFindings compliance={plan.compliance} />
        </Box>
      )}
      <Box mt={2}>
        <ResourceDiffs
          title={`Drifted attributes (${plan.drift.length})`}
          resources={plan.drift}
          empty="Nothing had drifted when the plan was made."
        />
      </Box>
    </>
  );
}

/** The compliance report: every change with approvers, times, risk and signature status. */
export function Report({ tenantId }: { tenantId: string }) {
  const api = useApi(infraChangeApiRef);
  const alerts = useApi(alertApiRef);
  const state = useAsync(() => api.report(tenantId), [api, tenantId]);
  const download = async (format: 'csv' | 'json') => {
    try {
      const text = await api.reportFile(tenantId, format);
      downloadText(
        `change-report-${tenantId}.${format}`,
        text,
        format === 'csv' ? 'text/csv' : 'application/json',
      );
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const rows = state.value!.flatMap(r =>
    (r.approvals.length ? r.approvals : [undefined]).map((a, i) => ({
      key: `${r.id}-${i}`,
      change: r,
      approval: a,
    })),
  );
  return (
    <>
      <Box display="flex" gridGap={8} mb={1}>
        <Button size="small" onClick={() => download('csv')}>
          Download CSV
        </Button>
        <Button size="small" onClick={() => download('json')}>
          Download JSON
        </Button>
      </Box>
      <Table<{
        key: string;
        change: ReportRow;
        approval?: ReportRow['approvals'][number];
      }>
        title="Compliance report"
        options={{
          paging: rows.length > 25,
          pageSize: 25,
          search: false,
          padding: 'dense',
        }}
        columns={[
          { title: 'Change', render: r => r.change.id.slice(0, 8) },
          { title: 'Module', render: r => r.change.module },
          { title: 'Risk', render: r => <RiskChip risk={r.change.risk} /> },
          { title: 'State', render: r => STATE_LABEL[r.change.state] },
          { title: 'Requester', render: r => r.change.requester },
          { title: 'Approver', render: r => r.approval?.approver ?? '' },
          {
            title: 'When',
            render: r =>
              r.approval ? new Date(r.approval.decidedAt).toLocaleString() : '',
          },
          { title: 'Signature', render: r => r.approval?.signature ?? '' },
        ]}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography>No change requests yet.</Typography>
          </Box>
        }
      />
    </>
  );
}

/**
 * The Infra chat's machine-written help on a change request: its risk assessment and a rollback
 * plan, asked for by the reader, shown as machine-written; they inform and never decide.
 */
function MachineWritten(props: { tenantId: string; changeId: string }) {
  const api = useApi(infraChangeApiRef);
  const [shown, setShown] = useState<{
    feature: string;
    result?: AssistText;
    error?: Error;
    missing?: boolean;
  }>();
  const ask = async (feature: 'risk-assessment' | 'rollback-plan') => {
    setShown({ feature });
    try {
      const result = await api.assist(props.tenantId, feature, props.changeId);
      setShown(result ? { feature, result } : { feature, missing: true });
    } catch (error) {
      setShown({ feature, error: error as Error });
    }
  };
  return (
    <Box mt={2}>
      <InfoCard title="Machine-written help">
        <Box display="flex" gridGap={8}>
          <Button
            size="small"
            variant="outlined"
            onClick={() => ask('risk-assessment')}
          >
            Assess the risk
          </Button>
          <Button
            size="small"
            variant="outlined"
            onClick={() => ask('rollback-plan')}
          >
            Draft a rollback plan
          </Button>
        </Box>
        {shown && !shown.result && !shown.error && !shown.missing && (
          <Progress />
        )}
        {shown?.missing && (
          <Typography variant="body2">
            The Infra chat backend is not installed in this portal.
          </Typography>
        )}
        {shown?.error && <ResponseErrorPanel error={shown.error} />}
        {shown?.result && (
          <Box mt={2} data-testid="machine-written">
            <Chip
              size="small"
              color="secondary"
              label={
                shown.result.model
                  ? `Machine-written by ${shown.result.model}: informs, never decides`
                  : 'Machine-written from the change data: informs, never decides'
              }
            />
            {shown.result.narration && (
              <Typography variant="body2" paragraph style={{ marginTop: 8 }}>
                {shown.result.narration}
              </Typography>
            )}
            {shown.result.refusal && (
              <Typography variant="caption" display="block">
                Not sent to a model: {shown.result.refusal}
              </Typography>
            )}
            <Box component="pre" style={{ whiteSpace: 'pre-wrap' }}>
              {shown.result.text}
            </Box>
          </Box>
        )}
      </InfoCard>
    </Box>
  );
}
