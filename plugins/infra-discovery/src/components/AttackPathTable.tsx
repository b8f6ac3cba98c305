import { EmptyState, Table } from '@backstage/core-components';
import {
  INTERNET_ASSET_ID,
  parseAssetId,
} from '@infra-hub/plugin-infra-discovery-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { AttackPath } from '../api';

const SEVERITY_COLOR: Record<
  AttackPath['severity'],
  'secondary' | 'primary' | 'default'
> = {
  critical: 'secondary',
  high: 'secondary',
  medium: 'primary',
  low: 'default',
};

/** A readable name for an asset id: its known name, or the last part of its native id. */
export function assetLabel(id: string, names?: Map<string, string>) {
  if (id === INTERNET_ASSET_ID) return 'the internet';
  const known = names?.get(id);
  if (known) return known;
  try {
    const { nativeId } = parseAssetId(id);
    return nativeId.split(/[:/]/).filter(Boolean).pop() ?? id;
  } catch {
    return id;
  }
}

/** Attack paths, worst first, each with its chain and the reasons for its rank. */
export function AttackPathTable(props: {
  tenantId: string;
  paths: AttackPath[];
  names?: Map<string, string>;
  title: string;
  emptyText: string;
}) {
  const { paths, names } = props;
  if (paths.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No attack paths"
        description={props.emptyText}
      />
    );
  }
  const name = (id: string) => assetLabel(id, names);
  return (
    <Table<AttackPath>
      title={props.title}
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
