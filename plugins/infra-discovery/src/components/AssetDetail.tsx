import {
  DependencyGraph,
  DependencyGraphTypes,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraDiscoveryApiRef, StoredEdge } from '../api';
import { assetLabel, AttackPathTable } from './AttackPathTable';

type GraphNode = { id: string; name: string; type: string; focus: boolean };

const NODE_WIDTH = 190;
const NODE_HEIGHT = 44;

function AssetNode({ node }: DependencyGraphTypes.RenderNodeProps<GraphNode>) {
  const short = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return (
    <g data-testid="asset-graph-node">
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        fill={node.focus ? '#1f5493' : '#ffffff'}
        stroke="#1f5493"
      />
      <text
        x={NODE_WIDTH / 2}
        y={18}
        textAnchor="middle"
        fontSize={12}
        fontWeight="bold"
        fill={node.focus ? '#ffffff' : '#1f1f1f'}
      >
        {short(node.name, 26)}
      </text>
      <text
        x={NODE_WIDTH / 2}
        y={34}
        textAnchor="middle"
        fontSize={10}
        fill={node.focus ? '#e0e0e0' : '#616161'}
      >
        {short(node.type, 30)}
      </text>
    </g>
  );
}

/** The assets around one asset, drawn with Backstage's dependency graph. */
export function AssetGraph(props: { tenantId: string; assetId: string }) {
  const api = useApi(infraDiscoveryApiRef);
  const [depth, setDepth] = useState<1 | 2 | 3>(1);
  const state = useAsync(
    () => api.getNeighbourhood(props.tenantId, props.assetId, depth),
    [api, props.tenantId, props.assetId, depth],
  );
  return (
    <InfoCard
      title="Relationships graph"
      action={
        <TextField
          select
          id="asset-graph-depth"
          label="Depth"
          value={depth}
          onChange={e => setDepth(Number(e.target.value) as 1 | 2 | 3)}
          style={{ minWidth: 100 }}
        >
          {[1, 2, 3].map(d => (
            <MenuItem key={d} value={d}>
              {d}
            </MenuItem>
          ))}
        </TextField>
      }
    >
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && (
        <>
          {state.value.truncated && (
            <Typography variant="caption" color="textSecondary">
              The neighbourhood is larger than 300 assets; the graph shows the
              first 300.
            </Typography>
          )}
          <DependencyGraph<GraphNode, { label: string }>
            nodes={state.value.nodes.map(n => ({
              id: n.id,
              name: n.id === INTERNET_ASSET_ID ? 'The internet' : n.name,
              type: n.type,
              focus: n.id === props.assetId,
            }))}
            edges={state.value.edges.map(e => ({
              from: e.from,
              to: e.to,
              label: e.type,
            }))}
            renderNode={AssetNode}
            direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
            labelPosition={DependencyGraphTypes.LabelPosition.LEFT}
            showArrowHeads
            paddingX={40}
            paddingY={40}
            rankMargin={90}
            nodeMargin={20}
            zoom="enable-on-click"
            style={{ maxHeight: 560 }}
          />
        </>
      )}
    </InfoCard>
  );
}

/**
 * What is known of one asset: its attributes as each source saw it, its relationships, the graph
 * around it and the attack paths through it.
 */
/** The catalog entity published for an asset, if the tenant is published to the catalog. */
function CatalogLink({ assetId }: { assetId: string }) {
  const catalog = useApi(catalogApiRef);
  const found = useAsync(
    () =>
      catalog.getEntities({
        // The asset's own entity, not the Finding entities that name it too.
        filter: {
          'metadata.annotations.infra-hub.io/asset-id': assetId,
          kind: ['Resource', 'Component'],
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
        ],
      }),
    [catalog, assetId],
  );
  const entity = found.value?.items[0];
  if (!entity) return null;
  return (
    <Typography variant="body2" data-testid="asset-catalog-link">
      In the catalog:{' '}
      <EntityRefLink entityRef={entity} defaultKind="resource" />
    </Typography>
  );
}

export function AssetDetail(props: {
  tenantId: string;
  assetId: string;
  showGraph?: boolean;
  /** Link to the asset's catalog entity (not on that entity's own page). */
  showCatalogLink?: boolean;
}) {
  const api = useApi(infraDiscoveryApiRef);
  const state = useAsync(async () => {
    const [asset, paths, near] = await Promise.all([
      api.getAsset(props.tenantId, props.assetId),
      api.listAttackPaths(props.tenantId, props.assetId),
      // Names of the neighbours, for the relationships table (a gone asset has none).
      api
        .getNeighbourhood(props.tenantId, props.assetId, 1)
        .catch(() => ({ nodes: [], edges: [], truncated: false })),
    ]);
    const nodes = new Map(near.nodes.map(n => [n.id, n]));
    return { asset, paths, nodes };
  }, [api, props.tenantId, props.assetId]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { asset, paths, nodes } = state.value!;
  const names = new Map([...nodes].map(([id, n]) => [id, n.name]));
  const current = asset.views.find(v => !v.goneAt) ?? asset.views[0];
  if (!current) {
    return (
      <EmptyState
        missing="data"
        title="Not discovered"
        description="No discovery source reports this asset."
      />
    );
  }
  const other = (e: StoredEdge) => (e.from === props.assetId ? e.to : e.from);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title={current.name} subheader={current.type}>
          {props.showCatalogLink && <CatalogLink assetId={props.assetId} />}
          <StructuredMetadataTable
            metadata={{
              id: current.id,
              account: current.account,
              region: current.region,
              'native id': current.nativeId,
              ...(current.source?.address
                ? { 'terraform address': current.source.address }
                : {}),
              sources: asset.views
                .map(
                  v =>
                    `${v.sourceId}: first seen ${new Date(
                      v.firstSeen,
                    ).toLocaleString()}, last seen ${new Date(
                      v.lastSeen,
                    ).toLocaleString()}${v.goneAt ? ' (gone)' : ''}`,
                )
                .join('\n'),
              ...(Object.keys(current.tags).length
                ? {
                    tags: Object.entries(current.tags)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(', '),
                  }
                : {}),
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <Table<StoredEdge>
          title={`Relationships (${asset.edges.length})`}
          options={{
            paging: asset.edges.length > 15,
            pageSize: 15,
            search: false,
            padding: 'dense',
          }}
          columns={[
            {
              title: 'Direction',
              render: e => (e.from === props.assetId ? 'out' : 'in'),
            },
            { title: 'Type', field: 'type' },
            {
              title: 'Asset',
              render: e => (
                <span title={other(e)}>
                  {assetLabel(other(e), names)}
                  {nodes.get(other(e)) && (
                    <Typography variant="caption" display="block">
                      {nodes.get(other(e))!.type}
                    </Typography>
                  )}
                </span>
              ),
            },
            {
              title: 'Based on',
              render: e => (e.details ? JSON.stringify(e.details) : ''),
            },
          ]}
          data={asset.edges}
        />
      </Grid>
      {props.showGraph !== false && (
        <Grid item xs={12}>
          <AssetGraph tenantId={props.tenantId} assetId={props.assetId} />
        </Grid>
      )}
      <Grid item xs={12}>
        <AttackPathTable
          tenantId={props.tenantId}
          paths={paths}
          names={names}
          title={`Attack paths through this asset (${paths.length})`}
          emptyText="No attack path from the internet passes through this asset."
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Attributes">
          <Box
            component="pre"
            data-testid="asset-attributes"
            style={{ overflow: 'auto', maxHeight: 480, margin: 0 }}
          >
            {JSON.stringify(current.attributes, null, 2)}
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
