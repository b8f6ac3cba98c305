import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CustomFramework,
  infraComplianceApiRef,
  TenantFramework,
} from '../api';

type Draft = {
  id: string;
  title: string;
  version: string;
  controls: string;
  mappings: string;
};

const EMPTY: Draft = {
  id: '',
  title: '',
  version: '',
  controls: '',
  mappings: '',
};

/** A framework as the editor's text: `id | title` per control, `rule: control, control` per mapping. */
function toDraft(f: TenantFramework): Draft {
  return {
    id: f.id,
    title: f.title,
    version: f.version ?? '',
    controls: f.controls
      .map(c => (c.title ? `${c.id} | ${c.title}` : c.id))
      .join('\n'),
    mappings: Object.entries(f.mappings)
      .map(([rule, ids]) => `${rule}: ${ids.join(', ')}`)
      .join('\n'),
  };
}

/** The editor's text as a framework; the backend checks it against the rules. */
export function fromDraft(d: Draft): CustomFramework {
  const lines = (text: string) =>
    text
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
  const controls = lines(d.controls).map(line => {
    const bar = line.indexOf('|');
    if (bar < 0) return { id: line };
    const title = line.slice(bar + 1).trim();
    return { id: line.slice(0, bar).trim(), ...(title ? { title } : {}) };
  });
  const mappings: Record<string, string[]> = {};
  for (const line of lines(d.mappings)) {
    const colon = line.indexOf(':');
    const rule = (colon < 0 ? line : line.slice(0, colon)).trim();
    const ids =
      colon < 0
        ? []
        : line
            .slice(colon + 1)
            .split(',')
            .map(s => s.trim())
            .filter(Boolean);
    mappings[rule] = [...(mappings[rule] ?? []), ...ids];
  }
  return {
    id: d.id.trim(),
    title: d.title.trim(),
    ...(d.version.trim() ? { version: d.version.trim() } : {}),
    controls,
    mappings,
  };
}

/**
 * The frameworks that apply to the tenant: those of the rule packs, and its own, which a tenant
 * admin defines here (controls, and the rules that support each); a change takes effect at once.
 */
export function Frameworks({ tenantId }: { tenantId: string }) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [draft, setDraft] = useState<Draft>();
  const [busy, setBusy] = useState(false);
  const state = useAsyncRetry(async () => {
    const [rules, own] = await Promise.all([
      api.rules(),
      api.listFrameworks(tenantId),
    ]);
    return { rules, own };
  }, [api, tenantId]);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { rules, own } = state.value!;
  const save = async () => {
    setBusy(true);
    try {
      await api.putFramework(tenantId, fromDraft(draft!));
      alerts.post({
        message: 'Framework saved; the tenant is being evaluated with it',
        severity: 'success',
        display: 'transient',
      });
      setDraft(undefined);
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await api.deleteFramework(tenantId, id);
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
  const field = (key: keyof Draft, label: string, rows?: number) => (
    <TextField
      id={`framework-${key}`}
      label={label}
      value={draft![key]}
      onChange={e => setDraft({ ...draft!, [key]: e.target.value })}
      multiline={Boolean(rows)}
      minRows={rows}
      fullWidth
      margin="dense"
    />
  );
  return (
    <>
      {draft ? (
        <InfoCard title={draft.id ? `Framework ${draft.id}` : 'New framework'}>
          {field('id', 'Id (lowercase, e.g. house-baseline)')}
          {field('title', 'Title')}
          {field('version', 'Version (optional)')}
          {field('controls', 'Controls, one per line: id | title', 5)}
          {field(
            'mappings',
            'Rules that support them, one per line: rule-id: control, control',
            5,
          )}
          <Typography variant="caption">
            Rule ids are those of the active packs ({rules.rules.length} rules),
            e.g.{' '}
            {rules.rules
              .slice(0, 3)
              .map(r => r.id)
              .join(', ')}
            .
          </Typography>
          <Box display="flex" gridGap={8} mt={1}>
            <Button
              variant="contained"
              color="primary"
              disabled={busy}
              onClick={save}
            >
              Save
            </Button>
            <Button onClick={() => setDraft(undefined)}>Cancel</Button>
          </Box>
        </InfoCard>
      ) : (
        <Button variant="outlined" onClick={() => setDraft(EMPTY)}>
          New framework
        </Button>
      )}
      <Box mt={2}>
        <Table<TenantFramework>
          title={`This tenant's frameworks (${own.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Id', field: 'id' },
            { title: 'Title', field: 'title' },
            { title: 'Controls', render: f => f.controls.length },
            {
              title: 'Mapped rules',
              render: f => Object.keys(f.mappings).length,
            },
            { title: 'By', field: 'updatedBy' },
            {
              title: '',
              render: f => (
                <>
                  <Button size="small" onClick={() => setDraft(toDraft(f))}>
                    Edit
                  </Button>
                  <Button size="small" onClick={() => remove(f.id)}>
                    Delete
                  </Button>
                </>
              ),
            },
          ]}
          data={own.map(f => ({ ...f }))}
          emptyContent={
            <Box p={2}>
              <Typography>
                None yet: a tenant admin can define one, mapping the
                installation's rules to its own controls.
              </Typography>
            </Box>
          }
        />
      </Box>
      <Box mt={2}>
        <Table
          title="Frameworks of the rule packs"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Id', field: 'id' },
            { title: 'Title', field: 'title' },
            { title: 'Version', render: f => f.version ?? '' },
            { title: 'Controls', render: f => f.controls.length },
            { title: 'Pack', field: 'pack' },
          ]}
          data={rules.frameworks.map(f => ({ ...f }))}
        />
      </Box>
    </>
  );
}
