import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  complianceEvaluationsChannel,
  ControlPosture,
  SEVERITIES,
} from '@infra-hub/plugin-infra-compliance-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Evaluation,
  FrameworkPosture,
  GroupPosture,
  infraComplianceApiRef,
} from '../api';
import { downloadText } from '@infra-hub/plugin-infra-hub-react';
import { PassRate, SeverityChip, StatusChip, TrendChart } from './common';

/** Re-runs `retry` when an evaluation of the tenant finishes (signals), when available. */
export function useEvaluationSignal(tenantId: string, retry: () => void) {
  const { lastSignal } = useSignal<{ evaluationId: string }>(
    complianceEvaluationsChannel(tenantId),
  );
  useEffect(() => {
    if (lastSignal) retry();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
}

/** Every framework's posture after the latest evaluation, and the open findings by severity. */
export function PostureOverview(props: {
  tenantId: string;
  onOpenFramework: (id: string) => void;
  onOpenFindings: () => void;
}) {
  const api = useApi(infraComplianceApiRef);
  const state = useAsyncRetry(
    () => api.posture(props.tenantId),
    [api, props.tenantId],
  );
  useEvaluationSignal(props.tenantId, state.retry);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const posture = state.value!;
  if (!posture.evaluationId)
    return (
      <EmptyState
        missing="data"
        title="Not evaluated yet"
        description="The tenant is evaluated a few seconds after discovery finds its assets; a tenant-admin or security analyst can also evaluate it now on the Evaluations tab."
      />
    );
  const open = (severity: string) =>
    posture.findings
      .filter(f => f.status === 'open' && f.severity === severity)
      .reduce((n, f) => n + f.count, 0);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <InfoCard
          title="Open findings"
          subheader={`Evaluated ${new Date(
            posture.evaluatedAt!,
          ).toLocaleString()} with rules ${posture.ruleSetVersion}`}
        >
          <Box display="flex" gridGap={24} flexWrap="wrap">
            {SEVERITIES.map(s => (
              <Box key={s} display="flex" alignItems="center" gridGap={8}>
                <SeverityChip severity={s} />
                <Typography variant="h6" data-testid={`open-${s}`}>
                  {open(s)}
                </Typography>
              </Box>
            ))}
            <Button size="small" onClick={props.onOpenFindings}>
              All findings
            </Button>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table<FrameworkPosture>
          title="Frameworks"
          options={{ paging: false, search: false, padding: 'dense' }}
          onRowClick={(_e, row) => row && props.onOpenFramework(row.framework)}
          columns={[
            { title: 'Framework', field: 'title' },
            { title: 'Pass rate', render: f => <PassRate rate={f.passRate} /> },
            { title: 'Controls failing', render: f => f.controls.failing },
            { title: 'passing', render: f => f.controls.passing },
            { title: 'not assessed', render: f => f.controls.notAssessed },
            { title: 'Failed checks', render: f => f.counts.fail },
            { title: 'Unknown', render: f => f.counts.unknown },
          ]}
          data={posture.frameworks.map(f => ({ ...f }))}
        />
      </Grid>
    </Grid>
  );
}

function GroupTable({ title, rows }: { title: string; rows: GroupPosture[] }) {
  return (
    <Table<GroupPosture>
      title={title}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={[
        { title: 'Name', render: g => g.name || '(untagged)' },
        { title: 'Pass rate', render: g => <PassRate rate={g.passRate} /> },
        { title: 'Failed checks', render: g => g.counts.fail },
      ]}
      data={rows.map(g => ({ ...g }))}
    />
  );
}

/** One framework: its trend, each control with its status and counts, systems and owners. */
export function FrameworkView(props: {
  tenantId: string;
  framework: string;
  onOpenControl: (control: string) => void;
}) {
  const api = useApi(infraComplianceApiRef);
  const state = useAsyncRetry(async () => {
    const [detail, trend] = await Promise.all([
      api.frameworkPosture(props.tenantId, props.framework),
      api.trend(props.tenantId, props.framework),
    ]);
    return { detail, trend };
  }, [api, props.tenantId, props.framework]);
  useEvaluationSignal(props.tenantId, state.retry);
  const [onlyFailing, setOnlyFailing] = useState(false);
  const alerts = useApi(alertApiRef);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { detail, trend } = state.value!;
  const controls = onlyFailing
    ? detail.controls.filter(c => c.status === 'failing')
    : detail.controls;
  const exportResults = async () => {
    try {
      downloadText(
        `assessment-results-${props.tenantId}-${props.framework}.json`,
        await api.oscal(props.tenantId, 'assessment-results', props.framework),
        'application/json',
      );
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <InfoCard
          title={`${detail.title}: pass rate over time`}
          action={
            <Button size="small" onClick={exportResults}>
              Download OSCAL assessment results
            </Button>
          }
        >
          <TrendChart points={trend} title={detail.title} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <GroupTable title="Systems" rows={detail.systems} />
      </Grid>
      <Grid item xs={12}>
        <Table<ControlPosture>
          title={`Controls of ${detail.title}${
            detail.version ? ` (${detail.version})` : ''
          }`}
          options={{ paging: false, search: true, padding: 'dense' }}
          onRowClick={(_e, row) => row && props.onOpenControl(row.id)}
          actions={[
            {
              icon: () => (
                <Typography variant="button">
                  {onlyFailing ? 'Show all' : 'Only failing'}
                </Typography>
              ),
              tooltip: 'Filter the controls',
              isFreeAction: true,
              onClick: () => setOnlyFailing(v => !v),
            },
          ]}
          columns={[
            { title: 'Control', field: 'id' },
            { title: 'Title', render: c => c.title ?? '' },
            { title: 'Status', render: c => <StatusChip status={c.status} /> },
            { title: 'Passed', render: c => c.counts.pass },
            { title: 'Failed', render: c => c.counts.fail },
            { title: 'Unknown', render: c => c.counts.unknown },
          ]}
          data={controls.map(c => ({ ...c }))}
        />
      </Grid>
      <Grid item xs={12}>
        <GroupTable title="Owners" rows={detail.owners} />
      </Grid>
    </Grid>
  );
}

/** The tenant's evaluations, newest first, and running one now. */
export function Evaluations({ tenantId }: { tenantId: string }) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const state = useAsyncRetry(
    () => api.listEvaluations(tenantId),
    [api, tenantId],
  );
  useEvaluationSignal(tenantId, state.retry);
  const running = state.value?.some(e => e.status === 'running');
  // Without signals, look again while one runs.
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(state.retry, 3000);
    return () => clearTimeout(timer);
  }, [running, state.value, state.retry]);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return (
    <Table<Evaluation>
      title="Evaluations"
      options={{ paging: false, search: false, padding: 'dense' }}
      actions={[
        {
          icon: () => <Typography variant="button">Evaluate now</Typography>,
          tooltip: "Evaluate the tenant's discovered assets against the rules",
          isFreeAction: true,
          onClick: async () => {
            try {
              await api.evaluate(tenantId);
              alerts.post({
                message: 'Evaluation started',
                severity: 'info',
                display: 'transient',
              });
              state.retry();
            } catch (e) {
              alerts.post({ message: (e as Error).message, severity: 'error' });
            }
          },
        },
      ]}
      columns={[
        {
          title: 'Started',
          render: e => new Date(e.startedAt).toLocaleString(),
        },
        { title: 'Status', field: 'status' },
        { title: 'Trigger', field: 'trigger' },
        { title: 'By', field: 'actor' },
        { title: 'Assets', render: e => e.assets ?? '' },
        { title: 'Failed checks', render: e => e.counts?.fail ?? '' },
        { title: 'Rules', field: 'ruleSetVersion' },
        { title: 'Error', render: e => e.error ?? '' },
      ]}
      data={(state.value ?? []).map(e => ({ ...e }))}
      emptyContent={
        <Box p={2}>
          <Typography>No evaluation yet.</Typography>
        </Box>
      }
    />
  );
}
