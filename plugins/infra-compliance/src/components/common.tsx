import { Severity } from '@infra-hub/plugin-infra-compliance-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { TrendPoint } from '../api';

const SEVERITY_COLOR: Record<Severity, 'secondary' | 'primary' | 'default'> = {
  critical: 'secondary',
  high: 'secondary',
  medium: 'primary',
  low: 'default',
  info: 'default',
};

export function SeverityChip({ severity }: { severity: Severity }) {
  return (
    <Chip
      size="small"
      label={severity}
      color={SEVERITY_COLOR[severity]}
      variant={
        severity === 'critical' || severity === 'medium'
          ? 'default'
          : 'outlined'
      }
      data-testid={`severity-${severity}`}
    />
  );
}

const STATUS_LABEL: Record<string, string> = {
  open: 'open',
  resolved: 'resolved',
  suppressed: 'suppressed',
  passing: 'passing',
  failing: 'failing',
  'not-assessed': 'not assessed',
};

export function StatusChip({ status }: { status: string }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={STATUS_LABEL[status] ?? status}
      color={
        status === 'open' || status === 'failing' ? 'secondary' : 'default'
      }
    />
  );
}

/** Passed of passed-or-failed, as a bar and a percentage; a dash when nothing was assessed. */
export function PassRate({ rate }: { rate?: number }) {
  if (rate === undefined) return <Typography variant="body2">–</Typography>;
  const percent = Math.round(rate * 1000) / 10;
  return (
    <Box display="flex" alignItems="center" gridGap={8} minWidth={160}>
      <Box flexGrow={1}>
        <LinearProgress variant="determinate" value={percent} />
      </Box>
      <Typography variant="body2" data-testid="pass-rate">
        {percent}%
      </Typography>
    </Box>
  );
}

const WIDTH = 560;
const HEIGHT = 140;
const PAD = 28;

/** A framework's pass rate over evaluations, as a line from the oldest point to the newest. */
export function TrendChart({
  points,
  title,
}: {
  points: TrendPoint[];
  title: string;
}) {
  const rated = points.filter(p => p.passRate !== undefined);
  if (rated.length === 0)
    return (
      <Typography variant="body2">
        No evaluation has assessed this framework yet.
      </Typography>
    );
  const x = (i: number) =>
    rated.length === 1
      ? WIDTH / 2
      : PAD + (i * (WIDTH - 2 * PAD)) / (rated.length - 1);
  const y = (rate: number) => HEIGHT - PAD - rate * (HEIGHT - 2 * PAD);
  const line = rated.map((p, i) => `${x(i)},${y(p.passRate!)}`).join(' ');
  const first = rated[0];
  const last = rated[rated.length - 1];
  return (
    <Box>
      <svg
        role="img"
        aria-label={`${title}: pass rate over ${
          rated.length
        } evaluations, from ${Math.round(
          first.passRate! * 100,
        )}% to ${Math.round(last.passRate! * 100)}%`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxWidth: WIDTH }}
        data-testid="trend-chart"
      >
        {[0, 0.5, 1].map(r => (
          <g key={r}>
            <line
              x1={PAD}
              x2={WIDTH - PAD}
              y1={y(r)}
              y2={y(r)}
              stroke="currentColor"
              strokeOpacity={0.15}
            />
            <text x={2} y={y(r) + 4} fontSize={10} fill="currentColor">
              {r * 100}%
            </text>
          </g>
        ))}
        <polyline points={line} fill="none" stroke="#1f77b4" strokeWidth={2} />
        {rated.map((p, i) => (
          <circle
            key={p.evaluationId}
            cx={x(i)}
            cy={y(p.passRate!)}
            r={3}
            fill="#1f77b4"
          >
            <title>
              {new Date(p.at).toLocaleString()}:{' '}
              {Math.round(p.passRate! * 1000) / 10}% ({p.counts.fail} failing)
            </title>
          </circle>
        ))}
      </svg>
      <Typography variant="caption">
        {rated.length} evaluation{rated.length === 1 ? '' : 's'}, from{' '}
        {new Date(first.at).toLocaleDateString()} to{' '}
        {new Date(last.at).toLocaleDateString()}
      </Typography>
    </Box>
  );
}
