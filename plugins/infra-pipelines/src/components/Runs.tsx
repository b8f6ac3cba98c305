import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  PIPELINE_PROVIDER_TITLES,
  PipelineRun,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraPipelinesApiRef, PipelineDayStats, RunDiagnosis } from '../api';

const STATUS_COLORS: Record<RunStatus, string> = {
  queued: '#757575',
  running: '#1565c0',
  succeeded: '#2e7d32',
  failed: '#c62828',
  cancelled: '#6d4c41',
  skipped: '#9e9e9e',
};

/** A run's or job's status as a coloured label. */
export function StatusChip({ status }: { status: RunStatus }) {
  return (
    <Chip
      size="small"
      label={status}
      style={{ backgroundColor: STATUS_COLORS[status], color: '#fff' }}
    />
  );
}

/** Milliseconds as `4m 05s`. */
export function duration(ms?: number): string {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function when(at?: string) {
  return at ? new Date(at).toLocaleString() : '';
}

function entityLink(ref: string) {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

/** Runs as a table; a row opens the run. */
export function RunsTable(props: {
  runs: PipelineRun[];
  onOpen: (run: PipelineRun) => void;
  showEntities?: boolean;
}) {
  if (!props.runs.length) {
    return (
      <EmptyState
        missing="data"
        title="No runs"
        description="Runs arrive when a connected CI system posts its webhooks or is pulled; see the pipelines plugin's README."
      />
    );
  }
  return (
    <Paper variant="outlined">
      <Table size="small" aria-label="Pipeline runs">
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            <TableCell>Pipeline</TableCell>
            <TableCell>Provider</TableCell>
            {props.showEntities && <TableCell>Belongs to</TableCell>}
            <TableCell>Branch · commit</TableCell>
            <TableCell>By</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.runs.map(run => (
            <TableRow
              key={run.id}
              hover
              style={{ cursor: 'pointer' }}
              onClick={() => props.onOpen(run)}
            >
              <TableCell>
                <StatusChip status={run.status} />
              </TableCell>
              <TableCell>
                <Typography variant="body2">
                  {run.pipeline}
                  {run.number !== undefined ? ` #${run.number}` : ''}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {run.repository}
                </Typography>
              </TableCell>
              <TableCell>{PIPELINE_PROVIDER_TITLES[run.provider]}</TableCell>
              {props.showEntities && (
                <TableCell onClick={e => e.stopPropagation()}>
                  {run.entityRefs.map(ref => (
                    <Box key={ref}>
                      <Link to={entityLink(ref)}>
                        {parseEntityRef(ref).name}
                      </Link>
                    </Box>
                  ))}
                </TableCell>
              )}
              <TableCell>
                {run.branch ?? ''}
                {run.commitSha ? ` · ${run.commitSha.slice(0, 7)}` : ''}
              </TableCell>
              <TableCell>{run.actor ?? ''}</TableCell>
              <TableCell>{when(run.startedAt)}</TableCell>
              <TableCell>{duration(run.durationMs)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

/** One run: its jobs, the ends of failed jobs' logs, and the plans it uploaded. */
export function RunDetail(props: {
  tenantId: string;
  runId: string;
  onBack: () => void;
}) {
  const api = useApi(infraPipelinesApiRef);
  const run = useAsync(
    () => api.getRun(props.tenantId, props.runId),
    [api, props.tenantId, props.runId],
  );
  const plans = useAsync(
    async () => (run.value ? api.plansOfRun(props.tenantId, run.value) : []),
    [api, props.tenantId, run.value],
  );
  const [diagnosis, setDiagnosis] = useState<RunDiagnosis | Error>();
  const [diagnosing, setDiagnosing] = useState(false);
  if (run.loading) return <Progress />;
  if (run.error) return <ResponseErrorPanel error={run.error} />;
  const r = run.value!;
  return (
    <Box>
      <Button onClick={props.onBack}>Back to the runs</Button>
      <Box display="flex" alignItems="center" my={1} style={{ gap: 8 }}>
        <StatusChip status={r.status} />
        <Typography variant="h6">
          {r.pipeline}
          {r.number !== undefined ? ` #${r.number}` : ''}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {PIPELINE_PROVIDER_TITLES[r.provider]} · {r.repository} ·{' '}
          {r.branch ?? ''} {r.commitSha?.slice(0, 7) ?? ''} · {r.actor ?? ''} ·{' '}
          {duration(r.durationMs)}
        </Typography>
        {r.url && (
          <Link to={r.url}>Open in {PIPELINE_PROVIDER_TITLES[r.provider]}</Link>
        )}
      </Box>
      {r.status === 'failed' && (
        <Box my={1}>
          <Button
            variant="outlined"
            color="primary"
            disabled={diagnosing}
            onClick={async () => {
              setDiagnosing(true);
              try {
                setDiagnosis(await api.diagnose(props.tenantId, r.id));
              } catch (error) {
                setDiagnosis(error as Error);
              } finally {
                setDiagnosing(false);
              }
            }}
          >
            Diagnose the failure
          </Button>
          {diagnosis instanceof Error && (
            <Typography variant="body2" color="error">
              No diagnosis: {diagnosis.message}
            </Typography>
          )}
          {diagnosis && !(diagnosis instanceof Error) && (
            <Paper
              variant="outlined"
              style={{ padding: 12, marginTop: 8 }}
              aria-label="Diagnosis"
            >
              <Chip size="small" label="Machine-written" />
              {diagnosis.narration && (
                <Typography variant="body2" paragraph style={{ marginTop: 8 }}>
                  {diagnosis.narration}{' '}
                  <Typography variant="caption" color="textSecondary">
                    ({diagnosis.model})
                  </Typography>
                </Typography>
              )}
              <Typography
                variant="body2"
                component="pre"
                style={{ whiteSpace: 'pre-wrap', margin: 0 }}
              >
                {diagnosis.text}
              </Typography>
            </Paper>
          )}
        </Box>
      )}
      <Typography variant="subtitle1">Plans of this run</Typography>
      {plans.loading && <Progress />}
      {plans.error && (
        <Typography variant="body2" color="textSecondary">
          The plans could not be read: {plans.error.message}
        </Typography>
      )}
      {plans.value && !plans.value.length && (
        <Typography variant="body2" color="textSecondary">
          This run uploaded no plan to change control.
        </Typography>
      )}
      {plans.value?.map(plan => (
        <Paper
          key={plan.id}
          variant="outlined"
          style={{ padding: 12, marginBottom: 8 }}
        >
          <Typography variant="body2">
            <strong>Module {plan.moduleId}</strong>: {plan.risk} risk,{' '}
            {plan.drifted} drifted · plan {plan.sha256.slice(0, 12)} ·{' '}
            <Link
              to={`/infra-change?module=${encodeURIComponent(plan.moduleId)}`}
            >
              Open in Changes
            </Link>
          </Typography>
          <Typography
            variant="body2"
            component="pre"
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
          >
            {plan.summary.text}
          </Typography>
        </Paper>
      ))}
      <Typography variant="subtitle1" style={{ marginTop: 16 }}>
        Jobs
      </Typography>
      {!r.jobs.length && (
        <Typography variant="body2" color="textSecondary">
          No jobs reported yet.
        </Typography>
      )}
      {r.jobs.map(job => (
        <Paper
          key={job.id}
          variant="outlined"
          style={{ padding: 12, marginBottom: 8 }}
        >
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <StatusChip status={job.status} />
            <Typography variant="body2">
              {job.url ? <Link to={job.url}>{job.name}</Link> : job.name}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {duration(job.durationMs)}
            </Typography>
          </Box>
          {job.logExcerpt && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                {job.logTruncated ? 'The end of the log' : 'The log'} (secrets
                redacted)
              </Typography>
              <Typography
                component="pre"
                variant="body2"
                aria-label={`Log of ${job.name}`}
                style={{
                  whiteSpace: 'pre-wrap',
                  maxHeight: 320,
                  overflow: 'auto',
                  background: '#263238',
                  color: '#eceff1',
                  padding: 8,
                  margin: 0,
                }}
              >
                {job.logExcerpt}
              </Typography>
            </Box>
          )}
        </Paper>
      ))}
    </Box>
  );
}

/** Runs per day and their median duration, as bars (failed runs in red). */
export function DurationsChart({ days }: { days: PipelineDayStats[] }) {
  if (!days.length) return null;
  const max = Math.max(...days.map(d => d.p50DurationMs ?? 0), 1);
  const width = 24;
  return (
    <Box my={2}>
      <Typography variant="subtitle2">
        Runs per day and their median duration
      </Typography>
      <svg
        role="img"
        aria-label="Durations over time"
        width={days.length * (width + 8) + 8}
        height={120}
      >
        {days.map((d, i) => {
          const h = Math.max(2, ((d.p50DurationMs ?? 0) / max) * 80);
          const x = 8 + i * (width + 8);
          return (
            <g key={d.day}>
              <title>
                {`${d.day}: ${d.runs} runs, ${
                  d.failed
                } failed, median ${duration(d.p50DurationMs)}, p95 ${duration(
                  d.p95DurationMs,
                )}`}
              </title>
              <rect
                x={x}
                y={90 - h}
                width={width}
                height={h}
                fill={d.failed ? '#c62828' : '#2e7d32'}
              />
              <text x={x} y={105} fontSize={9}>
                {d.day.slice(5)}
              </text>
              <text x={x} y={117} fontSize={9}>
                {d.runs}
                {d.failed ? `/${d.failed}✗` : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </Box>
  );
}
