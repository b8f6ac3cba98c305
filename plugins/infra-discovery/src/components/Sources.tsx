import { discoveryJobsChannel } from '@infra-hub/plugin-infra-discovery-common';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import { infraSecurityApiRef } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { DiscoveryJob, DiscoverySource, infraDiscoveryApiRef } from '../api';

const SETTINGS_TEMPLATES: Record<string, Record<string, unknown>> = {
  terraform: { type: 'http', url: 'https://' },
  aws: { regions: ['eu-west-1'] },
};

const STATUS_COLOR: Record<
  DiscoveryJob['status'],
  'primary' | 'secondary' | 'default'
> = {
  running: 'primary',
  succeeded: 'default',
  failed: 'secondary',
};

function duration(job: DiscoveryJob) {
  if (!job.finishedAt) return '';
  const ms = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function JobProgress({ job }: { job: DiscoveryJob }) {
  const p = job.progress;
  const pct =
    p?.total && p.done !== undefined
      ? Math.min(100, (100 * p.done) / p.total)
      : undefined;
  return (
    <Box minWidth={200} data-testid="job-progress">
      {pct === undefined ? (
        <LinearProgress />
      ) : (
        <LinearProgress variant="determinate" value={pct} />
      )}
      <Typography variant="caption">
        {p?.message ?? 'Starting'}
        {p ? ` · ${p.assets} assets, ${p.edges} relationships so far` : ''}
      </Typography>
    </Box>
  );
}

function AddSourceDialog(props: {
  tenantId: string;
  open: boolean;
  onClose: (created: boolean) => void;
}) {
  const api = useApi(infraDiscoveryApiRef);
  const security = useApi(infraSecurityApiRef);
  const choices = useAsync(async () => {
    const [providers, credentials, workspaces] = await Promise.all([
      api.listProviders(props.tenantId),
      security.listCredentials(props.tenantId).catch(() => []),
      security.listWorkspaces(props.tenantId).catch(() => []),
    ]);
    return { providers, credentials, workspaces };
  }, [api, security, props.tenantId]);
  const [form, setForm] = useState({
    id: '',
    name: '',
    provider: 'terraform',
    settings: JSON.stringify(SETTINGS_TEMPLATES.terraform, null, 2),
    credentialId: '',
    workspaceId: '',
    schedule: 'PT1H',
  });
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const set = (key: keyof typeof form) => (value: string) =>
    setForm(f => ({
      ...f,
      [key]: value,
      ...(key === 'provider'
        ? { settings: JSON.stringify(SETTINGS_TEMPLATES[value] ?? {}, null, 2) }
        : {}),
    }));
  const provider = choices.value?.providers.find(p => p.id === form.provider);

  const submit = async () => {
    let settings: Record<string, unknown>;
    try {
      settings = JSON.parse(form.settings);
    } catch {
      setError('Settings must be a JSON object');
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await api.createSource(props.tenantId, {
        id: form.id.trim(),
        name: form.name.trim() || form.id.trim(),
        provider: form.provider,
        settings,
        ...(form.credentialId ? { credentialId: form.credentialId } : {}),
        ...(form.workspaceId ? { workspaceId: form.workspaceId } : {}),
        ...(form.schedule.trim() ? { schedule: form.schedule.trim() } : {}),
      });
      props.onClose(true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={() => props.onClose(false)}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>Add a discovery source</DialogTitle>
      <DialogContent>
        {choices.loading && <Progress />}
        {choices.error && <ResponseErrorPanel error={choices.error} />}
        <Box display="flex" flexDirection="column" gridGap={12}>
          <TextField
            id="source-id"
            label="Id"
            helperText="Lowercase letters, digits and dashes"
            value={form.id}
            onChange={e => set('id')(e.target.value)}
            required
          />
          <TextField
            id="source-name"
            label="Name"
            value={form.name}
            onChange={e => set('name')(e.target.value)}
          />
          <TextField
            select
            id="source-provider"
            label="Provider"
            value={form.provider}
            onChange={e => set('provider')(e.target.value)}
          >
            {(choices.value?.providers ?? []).map(p => (
              <MenuItem key={p.id} value={p.id}>
                {p.title}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="source-settings"
            label="Settings (JSON)"
            multiline
            minRows={4}
            value={form.settings}
            onChange={e => set('settings')(e.target.value)}
            helperText="Never secrets: those come from the credential."
          />
          <TextField
            select
            id="source-credential"
            label="Credential"
            value={form.credentialId}
            onChange={e => set('credentialId')(e.target.value)}
            helperText={provider?.credentialHint}
          >
            <MenuItem value="">None</MenuItem>
            {(choices.value?.credentials ?? []).map(c => (
              <MenuItem key={c.id} value={c.id}>
                {c.name} ({c.kind})
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            id="source-workspace"
            label="Workspace"
            value={form.workspaceId}
            onChange={e => set('workspaceId')(e.target.value)}
          >
            <MenuItem value="">None</MenuItem>
            {(choices.value?.workspaces ?? []).map(w => (
              <MenuItem key={w.id} value={w.id}>
                {w.title}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="source-schedule"
            label="Runs every"
            helperText="ISO 8601 duration from PT5M to P30D, e.g. PT1H; empty: on demand only"
            value={form.schedule}
            onChange={e => set('schedule')(e.target.value)}
          />
          {error && (
            <Typography color="error" role="alert">
              {error}
            </Typography>
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(false)}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={saving || !form.id.trim()}
          onClick={submit}
        >
          Add
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Jobs(props: { tenantId: string; refreshKey: number }) {
  const api = useApi(infraDiscoveryApiRef);
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before[before.length - 1];
  const jobs = useAsyncRetry(
    () => api.listJobs(props.tenantId, { limit: 20, before: cursor }),
    [api, props.tenantId, cursor, props.refreshKey],
  );
  // Live: the backend signals every change of a job of this tenant (ids only); fetch again.
  const { lastSignal, isSignalsAvailable } = useSignal<{ jobId: string }>(
    discoveryJobsChannel(props.tenantId),
  );
  const { retry } = jobs;
  useEffect(() => {
    if (lastSignal) retry();
  }, [lastSignal, retry]);
  // Without signals, look again every 2 s while something runs; with them, only now and then
  // in case one was missed.
  const running = jobs.value?.items.some(j => j.status === 'running');
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(retry, isSignalsAvailable ? 15_000 : 2_000);
    return () => clearTimeout(timer);
  }, [running, jobs.value, retry, isSignalsAvailable]);

  if (jobs.error) return <ResponseErrorPanel error={jobs.error} />;
  if (!jobs.value) return <Progress />;
  return (
    <>
      <Table<DiscoveryJob>
        title="Jobs"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={[
          { title: 'Source', field: 'sourceId' },
          {
            title: 'Status',
            render: j => (
              <Chip
                size="small"
                label={j.status}
                color={STATUS_COLOR[j.status]}
                data-testid={`job-status-${j.status}`}
              />
            ),
          },
          {
            title: 'Progress / result',
            render: j => {
              if (j.status === 'running') return <JobProgress job={j} />;
              if (j.status === 'failed') return j.error;
              return j.counts
                ? `${j.counts.assets} assets, ${j.counts.edges} relationships (${j.counts.added} new, ${j.counts.gone} gone)`
                : '';
            },
          },
          {
            title: 'Warnings',
            render: j =>
              j.warnings.length ? (
                <Typography variant="caption" title={j.warnings.join('\n')}>
                  {j.warnings.length} partial error
                  {j.warnings.length > 1 ? 's' : ''}: {j.warnings[0]}
                </Typography>
              ) : (
                ''
              ),
          },
          { title: 'Trigger', field: 'trigger' },
          { title: 'By', field: 'requestedBy' },
          {
            title: 'Started',
            render: j => new Date(j.startedAt).toLocaleString(),
          },
          { title: 'Took', render: duration },
        ]}
        data={jobs.value.items}
        emptyContent={
          <Box p={2}>
            <Typography>No job has run yet.</Typography>
          </Box>
        }
      />
      <Box mt={1} display="flex" gridGap={8}>
        <Button
          disabled={before.length === 0}
          onClick={() => setBefore(before.slice(0, -1))}
        >
          Newer
        </Button>
        <Button
          disabled={!jobs.value.nextBefore}
          onClick={() => setBefore([...before, jobs.value!.nextBefore!])}
        >
          Older
        </Button>
      </Box>
    </>
  );
}

/** The tenant's discovery sources, with their runs. */
export function Sources({ tenantId }: { tenantId: string }) {
  const api = useApi(infraDiscoveryApiRef);
  const alerts = useApi(alertApiRef);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<DiscoverySource>();
  const [refreshKey, setRefreshKey] = useState(0);
  const sources = useAsyncRetry(
    () => api.listSources(tenantId),
    [api, tenantId],
  );
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      alerts.post({ message: done, severity: 'success', display: 'transient' });
      sources.retry();
      setRefreshKey(k => k + 1);
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };

  return (
    <>
      {sources.loading && !sources.value && <Progress />}
      {sources.error && <ResponseErrorPanel error={sources.error} />}
      {sources.value && sources.value.length === 0 && (
        <EmptyState
          missing="data"
          title="No discovery sources"
          description="Add a Terraform state or an AWS account to discover this tenant's infrastructure."
          action={
            <Button
              variant="contained"
              color="primary"
              onClick={() => setAdding(true)}
            >
              Add source
            </Button>
          }
        />
      )}
      {sources.value && sources.value.length > 0 && (
        <Table<DiscoverySource>
          title="Sources"
          options={{ paging: false, search: false, padding: 'dense' }}
          actions={[
            {
              icon: () => <span>Add source</span>,
              isFreeAction: true,
              tooltip: 'Add a discovery source',
              onClick: () => setAdding(true),
            },
          ]}
          columns={[
            { title: 'Name', field: 'name' },
            { title: 'Provider', field: 'provider' },
            { title: 'Workspace', render: s => s.workspaceId ?? '' },
            { title: 'Schedule', render: s => s.schedule ?? 'on demand' },
            {
              title: 'Defined in',
              render: s => (s.origin === 'config' ? 'app-config' : 'portal'),
            },
            {
              title: '',
              render: s => (
                <Box display="flex" gridGap={4}>
                  <Button
                    size="small"
                    color="primary"
                    data-testid={`run-${s.id}`}
                    onClick={() =>
                      act(
                        () => api.runSource(tenantId, s.id),
                        `Started ${s.name}`,
                      )
                    }
                  >
                    Run now
                  </Button>
                  {s.origin === 'api' && (
                    <Button
                      size="small"
                      onClick={() =>
                        act(
                          () =>
                            api.updateSource(tenantId, s.id, {
                              enabled: !s.enabled,
                            }),
                          s.enabled ? `Paused ${s.name}` : `Resumed ${s.name}`,
                        )
                      }
                    >
                      {s.enabled ? 'Pause' : 'Resume'}
                    </Button>
                  )}
                  {s.origin === 'api' && (
                    <Button size="small" onClick={() => setDeleting(s)}>
                      Delete
                    </Button>
                  )}
                </Box>
              ),
            },
          ]}
          data={sources.value}
        />
      )}
      <Box mt={3}>
        <Jobs tenantId={tenantId} refreshKey={refreshKey} />
      </Box>
      <Dialog open={Boolean(deleting)} onClose={() => setDeleting(undefined)}>
        <DialogTitle>Delete {deleting?.name}?</DialogTitle>
        <DialogContent>
          <Typography>
            The source, its job history and the assets only it reported are
            removed.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            onClick={() => {
              const source = deleting!;
              setDeleting(undefined);
              act(
                () => api.deleteSource(tenantId, source.id),
                `Deleted ${source.name}`,
              );
            }}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
      {adding && (
        <AddSourceDialog
          tenantId={tenantId}
          open={adding}
          onClose={created => {
            setAdding(false);
            if (created) {
              sources.retry();
              alerts.post({
                message: 'Source added',
                severity: 'success',
                display: 'transient',
              });
            }
          }}
        />
      )}
    </>
  );
}
