import { RiskLevel } from '@infra-hub/plugin-infra-change-common';
import Chip from '@material-ui/core/Chip';

const RISK_COLOR: Record<RiskLevel, 'secondary' | 'primary' | 'default'> = {
  critical: 'secondary',
  high: 'secondary',
  medium: 'primary',
  low: 'default',
  none: 'default',
};

/** A risk level as a chip. */
export function RiskChip({ risk }: { risk: RiskLevel }) {
  return (
    <Chip
      size="small"
      label={risk}
      color={RISK_COLOR[risk]}
      variant={risk === 'low' || risk === 'none' ? 'outlined' : 'default'}
      data-testid={`risk-${risk}`}
    />
  );
}

/** A value of a diff, as text. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
