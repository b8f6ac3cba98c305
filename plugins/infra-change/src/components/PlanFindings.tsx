import { Table } from '@backstage/core-components';
import { PlanCompliance } from '@infra-hub/plugin-infra-change-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';

const SEVERITY_COLOR: Record<string, 'secondary' | 'primary' | 'default'> = {
  critical: 'secondary',
  high: 'secondary',
  medium: 'primary',
};

/** What the compliance rules say of a plan's changes: each failing or unknown result. */
export function PlanFindings({
  compliance,
}: {
  compliance: PlanCompliance | undefined;
}) {
  if (!compliance) return null;
  if (compliance.status === 'unavailable')
    return (
      <Typography variant="body2" data-testid="plan-compliance">
        Compliance: not checked. {compliance.reason}
      </Typography>
    );
  const failing = compliance.findings.filter(f => f.status === 'fail').length;
  return (
    <Box data-testid="plan-compliance">
      <Table
        title={`Compliance findings this plan would introduce (${failing})`}
        subtitle={`${compliance.counts.pass} rule results pass, ${compliance.counts.unknown} are known only after apply; rules ${compliance.ruleSetVersion}`}
        options={{
          paging: compliance.findings.length > 20,
          pageSize: 20,
          search: false,
          padding: 'dense',
        }}
        columns={[
          {
            title: 'Severity',
            render: f => (
              <Chip
                size="small"
                label={f.severity}
                color={SEVERITY_COLOR[f.severity] ?? 'default'}
                variant={SEVERITY_COLOR[f.severity] ? 'default' : 'outlined'}
              />
            ),
          },
          { title: 'Result', field: 'status' },
          { title: 'Rule', render: f => `${f.title} (${f.ruleId})` },
          { title: 'Resource', field: 'address' },
          {
            title: 'Controls',
            render: f =>
              Object.entries(f.controls)
                .filter(([framework]) =>
                  ['nist-800-53-r5', 'pci-dss-4.0'].includes(framework),
                )
                .map(([framework, ids]) => `${framework}: ${ids.join(', ')}`)
                .join('; '),
          },
          { title: 'Remediation', field: 'remediation' },
        ]}
        data={compliance.findings.map(f => ({ ...f }))}
        emptyContent={
          <Box p={2}>
            <Typography>No rule fails on this plan's changes.</Typography>
          </Box>
        }
      />
    </Box>
  );
}
