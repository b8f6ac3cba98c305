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
import { TenantPicker } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraDiscoveryApiRef, ListedAsset } from '../api';
import { AssetDetail } from './AssetDetail';
import { AttackPathTable } from './AttackPathTable';
import { Sources } from './Sources';

const PAGE = 25;

function Inventory({ tenantId }: { tenantId: string }) {
  const api = useApi(infraDiscoveryApiRef);
  const [filter, setFilter] = useState({
    type: '',
    account: '',
    region: '',
    search: '',
  });
  const [selected, setSelected] = useState<string>();
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const state = useAsync(
    () => api.listAssets(tenantId, { ...filter, after, limit: PAGE }),
    [api, tenantId, filter, after],
  );
  const set = (key: keyof typeof filter) => (value: string) => {
    setCursors([]);
    setFilter({ ...filter, [key]: value });
  };
  const columns: TableColumn<ListedAsset>[] = [
    { title: 'Name', field: 'name' },
    { title: 'Type', field: 'type' },
    { title: 'Account', field: 'account' },
    { title: 'Region', field: 'region' },
    { title: 'Source', field: 'sourceId' },
    { title: 'Last seen', render: a => new Date(a.lastSeen).toLocaleString() },
  ];
  if (selected) {
    return (
      <>
        <Button onClick={() => setSelected(undefined)}>
          Back to inventory
        </Button>
        <Box mt={2}>
          <AssetDetail tenantId={tenantId} assetId={selected} showCatalogLink />
        </Box>
      </>
    );
  }
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
          id="inventory-account"
          label="Account"
          value={filter.account}
          onChange={e => set('account')(e.target.value)}
        />
        <TextField
          id="inventory-region"
          label="Region"
          placeholder="eu-west-1"
          value={filter.region}
          onChange={e => set('region')(e.target.value)}
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
          <Table<ListedAsset>
            title={`Assets (${state.value.total})`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={state.value.items}
            onRowClick={(_e, row) => row && setSelected(row.id)}
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
  return (
    <AttackPathTable
      tenantId={tenantId}
      paths={paths}
      names={names}
      title={`Attack paths (${paths.length})`}
      emptyText="Nothing sensitive is reachable from the internet in what was discovered."
    />
  );
}

/** Discovered infrastructure of the tenants the user may read. */
export function DiscoveryContent() {
  const [tab, setTab] = useState<'inventory' | 'paths' | 'sources'>(
    'inventory',
  );
  return (
    <TenantPicker id="discovery-tenant">
      {tenantId => (
        <>
          <Tabs
            value={tab}
            onChange={(_e, v) => setTab(v)}
            indicatorColor="primary"
          >
            <Tab value="inventory" label="Inventory" />
            <Tab value="paths" label="Attack paths" />
            <Tab value="sources" label="Sources and jobs" />
          </Tabs>
          <Box mt={2}>
            {tab === 'inventory' && (
              <Inventory key={tenantId} tenantId={tenantId} />
            )}
            {tab === 'paths' && <AttackPaths tenantId={tenantId} />}
            {tab === 'sources' && <Sources tenantId={tenantId} />}
          </Box>
        </>
      )}
    </TenantPicker>
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
