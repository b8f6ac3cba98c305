import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import { infraSecurityApiRef } from '@infra-hub/plugin-infra-security';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AttackPath, DiscoveredAsset, infraDiscoveryApiRef } from '../api';

const PAGE = 25;

function Inventory({ tenantId }: { tenantId: string }) {
  const api = useApi(infraDiscoveryApiRef);
  const [filter, setFilter] = useState({ type: '', search: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const state = useAsync(
    () => api.listAssets(tenantId, { ...filter, after, limit: PAGE }),
    [api, tenantId, filter, after],
  );
  const set = (key: 'type' | 'search') => (value: string) => {
    setCursors([]);
    setFilter({ ...filter, [key]: value });
  };
  const columns: TableColumn<DiscoveredAsset>[] = [
    { title: 'Name', field: 'name' },
    { title: 'Type', field: 'type' },
    { title: 'Account', field: 'account' },
    { title: 'Region', field: 'region' },
    { title: 'Source', field: 'sourceId' },
    { title: 'Last seen', render: a => new Date(a.lastSeen).toLocaleString() },
  ];
  return (
    <>
      <Box display="flex" gridGap={16} mb={2}>
        <TextField
          id="inventory-type"
          label="Type"
          placeholder="aws_s3_bucket"
          value={filter.type}
          onChange={e => set('type')(e.target.value)}
        />
        <TextField
          id="inventory-search"
          label="Search"
          placeholder="name or id"
          value={filter.search}
          onChange={e => set('search')(e.target.value)}
        />
      </Box>
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && state.value.items.length === 0 && (
        <EmptyState
          missing="data"
          title="No assets"
          description="Nothing discovered matches; sources run on their schedule."
        />
      )}
      {state.value && state.value.items.length > 0 && (
        <>
          <Table<DiscoveredAsset>
            title={`Assets (${state.value.total})`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={state.value.items}
          />
          <Box mt={1} display="flex" gridGap={8}>
            <Button
              disabled={cursors.length === 0}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous
            </Button>
            <Button
              disabled={!state.value.nextAfter}
              onClick={() => setCursors([...cursors, state.value!.nextAfter!])}
            >
              Next
            </Button>
          </Box>
        </>
      )}
    </>
  );
}

const SEVERITY_COLOR: Record<
  AttackPath['severity'],
  'secondary' | 'primary' | 'default'
> = {
  critical: 'secondary',
  high: 'secondary',
  medium: 'primary',
  low: 'default',
};

function AttackPaths({ tenantId }: { tenantId: string }) {
  const api = useApi(infraDiscoveryApiRef);
  const state = useAsync(async () => {
    const [paths, assets] = await Promise.all([
      api.listAttackPaths(tenantId),
      api.listAssets(tenantId, { limit: 500 }),
    ]);
    return { paths, names: new Map(assets.items.map(a => [a.id, a.name])) };
  }, [api, tenantId]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { paths, names } = state.value!;
  if (paths.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No attack paths"
        description="Nothing sensitive is reachable from the internet in what was discovered."
      />
    );
  }
  const name = (id: string) =>
    id === INTERNET_ASSET_ID ? 'the internet' : names.get(id) ?? id;
  return (
    <Table<AttackPath>
      title={`Attack paths (${paths.length})`}
      options={{
        paging: paths.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      columns={[
        {
          title: 'Severity',
          width: '10%',
          render: p => (
            <Chip
              size="small"
              label={p.severity}
              color={SEVERITY_COLOR[p.severity]}
            />
          ),
        },
        { title: 'From', render: p => name(p.entry) },
        { title: 'To', render: p => name(p.target) },
        {
          title: 'Path',
          render: p => (
            <Typography variant="body2" data-testid="attack-path">
              {[
                'the internet',
                ...p.steps.map(
                  s =>
                    `${s.edge.type}${s.reversed ? ' (by)' : ''} → ${name(
                      s.reversed ? s.edge.from : s.edge.to,
                    )}`,
                ),
              ].join(' · ')}
            </Typography>
          ),
        },
        { title: 'Why', render: p => p.reasons.join('; ') },
      ]}
      data={paths}
    />
  );
}

/** Discovered infrastructure of the tenants the user may read. */
export function DiscoveryContent() {
  const security = useApi(infraSecurityApiRef);
  const tenants = useAsync(() => security.listTenants(), [security]);
  const [chosen, setChosen] = useState<string>();
  const [tab, setTab] = useState<'inventory' | 'paths'>('inventory');
  if (tenants.loading) return <Progress />;
  if (tenants.error) return <ResponseErrorPanel error={tenants.error} />;
  const list = tenants.value ?? [];
  if (list.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No tenant to show"
        description="You hold no role in any tenant."
      />
    );
  }
  const tenantId =
    chosen && list.some(t => t.id === chosen) ? chosen : list[0].id;
  return (
    <>
      <Box mb={2}>
        <TextField
          select
          id="discovery-tenant"
          label="Tenant"
          value={tenantId}
          onChange={e => setChosen(e.target.value)}
          style={{ minWidth: 280 }}
        >
          {list.map(t => (
            <MenuItem key={t.id} value={t.id}>
              {t.title}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        indicatorColor="primary"
      >
        <Tab value="inventory" label="Inventory" />
        <Tab value="paths" label="Attack paths" />
      </Tabs>
      <Box mt={2}>
        {tab === 'inventory' ? (
          <Inventory tenantId={tenantId} />
        ) : (
          <AttackPaths tenantId={tenantId} />
        )}
      </Box>
    </>
  );
}

/** @public */
export const DiscoveryPage = () => (
  <Page themeId="tool">
    <Header
      title="Infrastructure"
      subtitle="Discovered assets and the attack paths through them"
    />
    <Content>
      <DiscoveryContent />
    </Content>
  </Page>
);
