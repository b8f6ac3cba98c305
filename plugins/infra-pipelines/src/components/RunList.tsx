import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  pipelinesSignalChannel,
  PipelineRun,
} from '@infra-hub/plugin-infra-pipelines-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { infraPipelinesApiRef, RunFilter } from '../api';
import { DurationsChart, RunDetail, RunsTable } from './Runs';

const PAGE = 25;

/**
 * A tenant's runs with `filter`, the chart of their durations, and the run opened; fetched again
 * when the backend signals a change of the tenant's runs (live status).
 */
export function RunList(props: {
  tenantId: string;
  filter: Omit<RunFilter, 'cursor' | 'limit'>;
  showEntities?: boolean;
}) {
  const api = useApi(infraPipelinesApiRef);
  const [open, setOpen] = useState<string>();
  const [more, setMore] = useState<PipelineRun[]>([]);
  const [cursor, setCursor] = useState<string>();
  const key = JSON.stringify(props.filter);
  const first = useAsyncRetry(
    () => api.listRuns(props.tenantId, { ...props.filter, limit: PAGE }),
    [api, props.tenantId, key],
  );
  const stats = useAsyncRetry(
    () =>
      api.stats(props.tenantId, {
        days: 30,
        ...(props.filter.entityRef
          ? { entityRef: props.filter.entityRef }
          : {}),
      }),
    [api, props.tenantId, props.filter.entityRef],
  );
  useEffect(() => {
    setMore([]);
    setCursor(first.value?.nextCursor);
  }, [first.value]);
  // Live: the backend signals each change of the tenant's runs (the run id only).
  const { lastSignal } = useSignal<{ runId: string }>(
    pipelinesSignalChannel(props.tenantId),
  );
  const { retry } = first;
  const retryStats = stats.retry;
  useEffect(() => {
    if (lastSignal) {
      retry();
      retryStats();
    }
  }, [lastSignal, retry, retryStats]);

  if (open) {
    return (
      <RunDetail
        tenantId={props.tenantId}
        runId={open}
        onBack={() => setOpen(undefined)}
      />
    );
  }
  if (first.loading && !first.value) return <Progress />;
  if (first.error) return <ResponseErrorPanel error={first.error} />;
  const runs = [...(first.value?.items ?? []), ...more];
  return (
    <Box>
      {stats.value && <DurationsChart days={stats.value} />}
      <RunsTable
        runs={runs}
        onOpen={run => setOpen(run.id)}
        showEntities={props.showEntities}
      />
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="caption" color="textSecondary">
          {runs.length} run{runs.length === 1 ? '' : 's'}
        </Typography>
        {cursor && (
          <Button
            size="small"
            onClick={async () => {
              const page = await api.listRuns(props.tenantId, {
                ...props.filter,
                cursor,
                limit: PAGE,
              });
              setMore(m => [...m, ...page.items]);
              setCursor(page.nextCursor);
            }}
          >
            More runs
          </Button>
        )}
      </Box>
    </Box>
  );
}
