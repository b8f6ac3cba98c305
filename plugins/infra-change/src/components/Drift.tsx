import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ResourceChangeAnalysis } from '@infra-hub/plugin-infra-change-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraChangeApiRef, PlanRecord } from '../api';
import { RiskChip, showValue } from './common';

/** The number of drifted resources of each plan, oldest first, as a small bar chart. */
function Trend({ plans }: { plans: PlanRecord[] }) {
  const points = [...plans].reverse();
  const max = Math.max(1, ...points.map(p => p.drifted));
  return (
    <Box
      display="flex"
      alignItems="flex-end"
      height={28}
      gridGap={2}
      title={points
        .map(p => `${new Date(p.uploadedAt).toLocaleString()}: ${p.drifted}`)
        .join('\n')}
      data-testid="drift-trend"
    >
      {points.map(p => (
        <Box
          key={p.id}
          width={6}
          height={Math.max(2, (26 * p.drifted) / max)}
          bgcolor={p.drifted ? 'secondary.main' : 'grey.400'}
        />
      ))}
    </Box>
  );
}

/** Each resource and its attribute differences. */
export function ResourceDiffs(props: {
  title: string;
  resources: ResourceChangeAnalysis[];
  empty: string;
}) {
  if (props.resources.length === 0) {
    return (
      <InfoCard title={props.title}>
        <Typography>{props.empty}</Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title={props.title}>
      {props.resources.map(r => (
        <Box key={r.address} mb={3} data-testid="resource-diff">
          <Box display="flex" alignItems="center" gridGap={8}>
            <RiskChip risk={r.risk} />
            <Typography variant="subtitle1">
              <code>{r.address}</code> ({r.action})
            </Typography>
          </Box>
          {r.reasons.length > 0 && (
            <Typography variant="body2" color="textSecondary">
              {r.reasons.join('; ')}
            </Typography>
          )}
          <Table
            options={{
              paging: false,
              search: false,
              toolbar: false,
              padding: 'dense',
            }}
            columns={[
              { title: 'Attribute', field: 'path' },
              { title: 'Before', render: c => showValue(c.before) },
              { title: 'After', render: c => showValue(c.after) },
            ]}
            data={r.changes.map(c => ({ ...c }))}
          />
        </Box>
      ))}
    </InfoCard>
  );
}

/** One plan: its summary, drift and changes, and a change request for it. */
export function PlanView(props: {
  tenantId: string;
  planId: string;
  onRequested?: (changeId: string) => void;
}) {
  const api = useApi(infraChangeApiRef);
  const alerts = useApi(alertApiRef);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const state = useAsync(
    () => api.getPlan(props.tenantId, props.planId),
    [api, props.tenantId, props.planId],
  );
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const plan = state.value!;
  const request = async () => {
    setBusy(true);
    try {
      const created = await api.createChangeRequest(props.tenantId, {
        planId: plan.id,
        rollbackNote: note,
        submit: true,
      });
      alerts.post({
        message: `Change request submitted: ${created.requiredApprovals} approval(s) needed`,
        severity: 'success',
        display: 'transient',
      });
      props.onRequested?.(created.id);
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <InfoCard
        title={`${plan.moduleId}: ${plan.kind}`}
        subheader={`uploaded ${new Date(plan.uploadedAt).toLocaleString()} by ${
          plan.uploadedBy
        } · sha256 ${plan.sha256.slice(0, 16)}…`}
      >
        <Box display="flex" alignItems="center" gridGap={8} mb={1}>
          <RiskChip risk={plan.risk} />
        </Box>
        <Box
          component="pre"
          data-testid="plan-summary"
          style={{ whiteSpace: 'pre-wrap', margin: 0 }}
        >
          {plan.summary.text}
        </Box>
        <Box mt={2} display="flex" gridGap={8} alignItems="flex-end">
          <TextField
            id="rollback-note"
            label="Rollback note"
            placeholder="How this change is undone"
            value={note}
            onChange={e => setNote(e.target.value)}
            multiline
            style={{ minWidth: 420 }}
          />
          <Button
            variant="contained"
            color="primary"
            disabled={busy || !note.trim()}
            onClick={request}
          >
            Request change
          </Button>
        </Box>
      </InfoCard>
      <Box mt={2}>
        <ResourceDiffs
          title={`Drift (${plan.drift.length})`}
          resources={plan.drift}
          empty="Nothing changed outside Terraform."
        />
      </Box>
      <Box mt={2}>
        <ResourceDiffs
          title={`Planned changes (${plan.changes.length})`}
          resources={plan.changes}
          empty="The plan changes nothing."
        />
      </Box>
    </>
  );
}

/** The drift dashboard: each module's latest plan, its risk, last scan and trend. */
export function DriftDashboard(props: {
  tenantId: string;
  onOpenPlan: (planId: string) => void;
}) {
  const api = useApi(infraChangeApiRef);
  const state = useAsync(async () => {
    const latest = await api.listDrift(props.tenantId);
    const history = await Promise.all(
      latest.map(p =>
        api.listPlans(props.tenantId, { module: p.moduleId, limit: 20 }),
      ),
    );
    return latest.map((p, i) => ({ ...p, history: history[i] }));
  }, [api, props.tenantId]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (!state.value!.length) {
    return (
      <EmptyState
        missing="data"
        title="No plans yet"
        description="CI uploads terraform show -json plans with a machine API key (see examples/ci)."
      />
    );
  }
  return (
    <Table<PlanRecord & { history: PlanRecord[] }>
      title="Drift by module"
      options={{ paging: false, search: false, padding: 'dense' }}
      onRowClick={(_e, row) => row && props.onOpenPlan(row.id)}
      columns={[
        { title: 'Module', field: 'moduleId' },
        {
          title: 'Drifted',
          render: p => (
            <Typography data-testid={`drifted-${p.moduleId}`}>
              {p.drifted}
            </Typography>
          ),
        },
        { title: 'Risk', render: p => <RiskChip risk={p.risk} /> },
        {
          title: 'Last scan',
          render: p => `${new Date(p.uploadedAt).toLocaleString()} (${p.kind})`,
        },
        { title: 'Trend', render: p => <Trend plans={p.history} /> },
        {
          title: 'Why',
          render: p => p.summary.reasons.slice(0, 2).join('; '),
        },
      ]}
      data={state.value!}
    />
  );
}
