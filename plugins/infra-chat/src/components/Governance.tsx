import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AI_DATA_CLASSES,
  AI_FEATURES,
  AiDataClass,
  AiFeature,
  AiPolicy,
  AiUsageRecord,
} from '@infra-hub/plugin-infra-chat-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { infraChatApiRef } from '../api';
import { DataTable } from './DataTable';

const money = (n: number) => n.toFixed(4);

function isForbidden(error: Error | undefined) {
  return (
    (error as { response?: { status?: number } })?.response?.status === 403
  );
}

type Draft = {
  team: string;
  features: AiFeature[];
  models: string;
  budget: string;
  dataClasses: AiDataClass[];
};

function PolicyDialog(props: {
  initial: Draft;
  isNew: boolean;
  onClose: () => void;
  onSave: (draft: Draft) => Promise<void>;
}) {
  const [draft, setDraft] = useState(props.initial);
  const [error, setError] = useState<Error>();
  const toggle = <T extends string>(list: T[], item: T) =>
    list.includes(item) ? list.filter(i => i !== item) : [...list, item];
  return (
    <Dialog open onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>
        AI policy of {props.isNew ? 'a team' : draft.team}
      </DialogTitle>
      <DialogContent>
        {props.isNew && (
          <TextField
            id="policy-team"
            label="Team"
            helperText="default, or a group entity ref such as group:default/platform-engineering"
            fullWidth
            value={draft.team}
            onChange={e => setDraft({ ...draft, team: e.target.value })}
          />
        )}
        <Box mt={2}>
          <FormLabel component="legend">Features it may use</FormLabel>
          <FormGroup row>
            {AI_FEATURES.map(f => (
              <FormControlLabel
                key={f}
                control={
                  <Checkbox
                    checked={draft.features.includes(f)}
                    onChange={() =>
                      setDraft({
                        ...draft,
                        features: toggle(draft.features, f),
                      })
                    }
                  />
                }
                label={f}
              />
            ))}
          </FormGroup>
        </Box>
        <Box mt={2}>
          <FormLabel component="legend">
            Data that may be sent to a model
          </FormLabel>
          <FormGroup row>
            {AI_DATA_CLASSES.map(c => (
              <FormControlLabel
                key={c}
                control={
                  <Checkbox
                    checked={draft.dataClasses.includes(c)}
                    onChange={() =>
                      setDraft({
                        ...draft,
                        dataClasses: toggle(draft.dataClasses, c),
                      })
                    }
                  />
                }
                label={c}
              />
            ))}
          </FormGroup>
        </Box>
        <Box mt={2}>
          <TextField
            id="policy-models"
            label="Models (comma-separated; empty: any)"
            fullWidth
            value={draft.models}
            onChange={e => setDraft({ ...draft, models: e.target.value })}
          />
        </Box>
        <Box mt={2}>
          <TextField
            id="policy-budget"
            label="Monthly token budget (empty: none)"
            type="number"
            fullWidth
            value={draft.budget}
            onChange={e => setDraft({ ...draft, budget: e.target.value })}
          />
        </Box>
        {error && (
          <Box mt={2}>
            <Alert severity="error">{error.message}</Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => props.onSave(draft).catch(e => setError(e as Error))}
        >
          Save policy
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function draftOf(policy?: AiPolicy): Draft {
  return {
    team: policy?.team ?? '',
    features: policy?.features ?? ['chat'],
    models: policy?.models.join(', ') ?? '',
    budget:
      policy?.monthlyTokenBudget !== undefined
        ? String(policy.monthlyTokenBudget)
        : '',
    dataClasses: policy?.dataClasses ?? [...AI_DATA_CLASSES],
  };
}

/** AI usage and cost per team and month, the log of calls and refusals, and the policies. */
export function Governance(props: { tenantId: string }) {
  const { tenantId } = props;
  const api = useApi(infraChatApiRef);
  const summary = useAsyncRetry(
    () => api.usageSummary(tenantId),
    [api, tenantId],
  );
  const log = useAsyncRetry(() => api.usage(tenantId), [api, tenantId]);
  const policies = useAsyncRetry(() => api.policies(tenantId), [api, tenantId]);
  const [more, setMore] = useState<AiUsageRecord[]>([]);
  const [next, setNext] = useState<string>();
  const [editing, setEditing] = useState<{ policy?: AiPolicy }>();
  const [error, setError] = useState<Error>();

  if (summary.loading || log.loading || policies.loading) return <Progress />;
  if (isForbidden(summary.error)) {
    return (
      <EmptyState
        missing="info"
        title="Only the tenant's admins see AI usage and policies"
        description="Ask a tenant admin for the usage log and the team policies of this tenant."
      />
    );
  }
  const failed = summary.error ?? log.error ?? policies.error;
  if (failed) return <ResponseErrorPanel error={failed} />;
  const records = [...(log.value?.items ?? []), ...more];
  const cursor = next ?? log.value?.nextAfter;

  const save = async (draft: Draft) => {
    const budget = draft.budget.trim();
    await api.setPolicy(tenantId, draft.team.trim(), {
      features: draft.features,
      dataClasses: draft.dataClasses,
      models: draft.models
        .split(',')
        .map(m => m.trim())
        .filter(Boolean),
      monthlyTokenBudget: budget ? Number(budget) : null,
    });
    setEditing(undefined);
    policies.retry();
  };

  return (
    <>
      <Typography variant="h6">Usage and cost per team and month</Typography>
      <DataTable
        label="Usage per team and month"
        columns={[
          'Month',
          'Team',
          'Calls',
          'Refused',
          'Errors',
          'Tokens in',
          'Tokens out',
          'Cost',
        ]}
        rows={(summary.value ?? []).map(s => [
          s.month,
          s.team,
          s.calls,
          s.refused,
          s.errors,
          s.tokensIn,
          s.tokensOut,
          money(s.cost),
        ])}
        empty="No model calls yet (none are made without a configured model)."
      />
      <Box mt={4} display="flex" alignItems="center">
        <Typography variant="h6" style={{ flexGrow: 1 }}>
          Policies
        </Typography>
        <Button
          variant="outlined"
          color="primary"
          onClick={() => setEditing({})}
        >
          Add policy
        </Button>
      </Box>
      <Typography variant="body2" color="textSecondary" paragraph>
        Enforced before every model call. A person&apos;s policy is their
        team&apos;s (a group they belong to), else default; with no policy,
        calls are not limited.
      </Typography>
      {error && <Alert severity="error">{error.message}</Alert>}
      {(policies.value ?? []).length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No policies: model calls are not limited.
        </Typography>
      ) : (
        <Table size="small" aria-label="AI policies">
          <TableHead>
            <TableRow>
              {[
                'Team',
                'Features',
                'Models',
                'Monthly budget',
                'Data sent',
                'Updated',
                '',
              ].map(c => (
                <TableCell key={c}>{c}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {policies.value!.map(p => (
              <TableRow key={p.team}>
                <TableCell>{p.team}</TableCell>
                <TableCell>{p.features.join(', ') || 'none'}</TableCell>
                <TableCell>{p.models.join(', ') || 'any'}</TableCell>
                <TableCell>{p.monthlyTokenBudget ?? 'none'}</TableCell>
                <TableCell>{p.dataClasses.join(', ') || 'nothing'}</TableCell>
                <TableCell>
                  {p.updatedBy}, {new Date(p.updatedAt).toLocaleString()}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => setEditing({ policy: p })}
                  >
                    Edit
                  </Button>
                  <Button
                    size="small"
                    aria-label={`Delete policy of ${p.team}`}
                    onClick={() =>
                      api
                        .deletePolicy(tenantId, p.team)
                        .then(() => policies.retry())
                        .catch(e => setError(e as Error))
                    }
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Box mt={4}>
        <Typography variant="h6">Model calls and refusals</Typography>
        <DataTable
          label="Usage log"
          columns={[
            'When',
            'Who',
            'Team',
            'Feature',
            'Model',
            'Tokens in/out',
            'Cost',
            'Latency',
            'Outcome',
          ]}
          rows={records.map(r => [
            new Date(r.at).toLocaleString(),
            r.actor,
            r.team,
            r.feature,
            r.model,
            `${r.tokensIn}/${r.tokensOut}`,
            money(r.cost),
            `${r.latencyMs} ms`,
            r.detail ? `${r.outcome}: ${r.detail}` : r.outcome,
          ])}
          empty="Nothing logged yet."
        />
        {cursor && (
          <Button
            onClick={async () => {
              const page = await api.usage(tenantId, cursor);
              setMore(m => [...m, ...page.items]);
              setNext(page.nextAfter ?? '');
            }}
          >
            More
          </Button>
        )}
      </Box>
      {editing && (
        <PolicyDialog
          initial={draftOf(editing.policy)}
          isNew={!editing.policy}
          onClose={() => setEditing(undefined)}
          onSave={save}
        />
      )}
    </>
  );
}
