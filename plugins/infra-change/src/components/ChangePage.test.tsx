import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  ChangeRequest,
  InfraChangeApi,
  infraChangeApiRef,
  PlanDetail,
} from '../api';
import { ChangePage } from './ChangePage';

const security = {
  listTenants: async () => [
    {
      id: 'cartwheel',
      title: 'Cartwheel Commerce',
      createdAt: '',
      createdBy: '',
    },
  ],
} as unknown as InfraSecurityApi;

const summary = {
  formatVersion: '1.2',
  terraformVersion: '1.9.8',
  counts: { create: 0, update: 4, delete: 0, replace: 0, read: 0, noop: 29 },
  drifted: 1,
  risk: 'critical' as const,
  reasons: [
    'aws_security_group.web (drift): opens 22/tcp to the internet (0.0.0.0/0)',
  ],
  resources: [],
  text: 'Terraform 1.9.8, plan format 1.2\nRisk: critical',
};

const plan: PlanDetail = {
  tenantId: 'cartwheel',
  id: 'p1',
  moduleId: 'storefront-prod',
  kind: 'plan',
  sha256: 'ab'.repeat(32),
  formatVersion: '1.2',
  sizeBytes: 1000,
  risk: 'critical',
  drifted: 1,
  summary,
  uploadedBy: 'api-key:1',
  uploadedAt: '2026-11-25T10:00:00Z',
  compliance: {
    status: 'checked',
    ruleSetVersion: '0123456789abcdef',
    resources: 3,
    counts: { pass: 20, fail: 1, unknown: 0, error: 0 },
    findings: [
      {
        ruleId: 'aws-sg-ssh-open',
        title: 'Security group does not admit SSH from the internet',
        severity: 'critical',
        status: 'fail',
        resourceType: 'aws_security_group',
        address: 'aws_security_group.web',
        controls: { 'nist-800-53-r5': ['sc-7'] },
        remediation: 'Remove the 0.0.0.0/0 rule for port 22.',
      },
    ],
  },
  drift: [
    {
      address: 'aws_security_group.web',
      type: 'aws_security_group',
      action: 'update',
      risk: 'critical',
      reasons: ['opens 22/tcp to the internet (0.0.0.0/0)'],
      changes: [
        {
          path: 'ingress[0].cidr_blocks[0]',
          before: '10.0.0.0/8',
          after: '0.0.0.0/0',
        },
      ],
    },
  ],
  changes: [],
};

const change = (
  state: ChangeRequest['state'],
  decisions: ChangeRequest['decisions'] = [],
): ChangeRequest => ({
  tenantId: 'cartwheel',
  id: 'c1',
  moduleId: 'storefront-prod',
  planId: 'p1',
  planHash: plan.sha256,
  risk: 'critical',
  summary,
  requester: 'user:default/priya.shah',
  rollbackNote: 'Re-apply the previous plan.',
  state,
  requiredApprovals: 2,
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
  decisions,
});

function render(api: Partial<InfraChangeApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [infraChangeApiRef, api as InfraChangeApi],
        [infraSecurityApiRef, security],
      ]}
    >
      <ChangePage />
    </TestApiProvider>,
  );
}

describe('ChangePage', () => {
  it('shows the drift dashboard and a plan with its drifted attributes, and requests a change', async () => {
    const requested: unknown[] = [];
    await render({
      listChangeRequests: async () => [],
      listDrift: async () => [plan],
      listPlans: async () => [plan, { ...plan, id: 'p0', drifted: 0 }],
      getPlan: async () => plan,
      createChangeRequest: async (_t, input) => {
        requested.push(input);
        return change('pending_approval');
      },
      getChangeRequest: async () => change('pending_approval'),
    });
    expect(await screen.findByText('No change requests')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'Drift' }));
    expect(
      await screen.findByTestId('drifted-storefront-prod'),
    ).toHaveTextContent('1');
    expect(screen.getByTestId('drift-trend').children).toHaveLength(2);
    fireEvent.click(screen.getByText('storefront-prod'));
    expect(await screen.findByTestId('plan-summary')).toHaveTextContent(
      'Risk: critical',
    );
    expect(screen.getByText('ingress[0].cidr_blocks[0]')).toBeInTheDocument();
    expect(screen.getByText('0.0.0.0/0')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Rollback note'), {
      target: { value: 'Re-apply the previous plan.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Request change' }));
    await waitFor(() =>
      expect(requested).toEqual([
        {
          planId: 'p1',
          rollbackNote: 'Re-apply the previous plan.',
          submit: true,
        },
      ]),
    );
    expect(await screen.findByTestId('change-state')).toHaveTextContent(
      'pending approval',
    );
  });

  it('approves a change in the CAB queue, shows signature status, and offers the evidence once approved', async () => {
    const signed = {
      payload: {} as any,
      algorithm: 'ML-DSA-65' as const,
      keyId: 'mldsa65:1',
      signature: 'x',
    };
    let current = change('pending_approval', [
      {
        id: 'd1',
        approver: 'user:default/tomas.novak',
        decision: 'approve',
        comment: 'ok',
        decidedAt: '2026-11-25T11:00:00Z',
        signed,
      },
    ]);
    const decided: unknown[] = [];
    await render({
      listChangeRequests: async () => [current],
      getChangeRequest: async () => current,
      getPlan: async () => plan,
      verify: async () => ({ valid: true, checks: [] }),
      decide: async (_t, _id, input) => {
        decided.push(input);
        current = change('approved', [
          ...current.decisions,
          {
            id: 'd2',
            approver: 'user:default/alex.morgan',
            decision: 'approve',
            comment: input.comment,
            decidedAt: '2026-11-25T12:00:00Z',
            signed,
          },
        ]);
        return current;
      },
    });
    fireEvent.click(await screen.findByText('storefront-prod'));
    expect(await screen.findByTestId('signature-status')).toHaveTextContent(
      'signature valid (ML-DSA-65)',
    );
    expect(screen.getByText('Decisions (1)')).toBeInTheDocument();
    // The findings the plan would introduce, from the compliance check.
    expect(
      screen.getByText('Compliance findings this plan would introduce (1)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Security group does not admit SSH from the internet (aws-sg-ssh-open)',
      ),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Comment'), {
      target: { value: 'Reviewed' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(decided).toEqual([{ decision: 'approve', comment: 'Reviewed' }]),
    );
    expect(await screen.findByText('Decisions (2)')).toBeInTheDocument();
    expect(screen.getByTestId('change-state')).toHaveTextContent('approved');
    expect(
      screen.getByRole('button', { name: 'Download evidence' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Mark applied' }),
    ).toBeInTheDocument();
  });

  it('shows the chat’s machine-written risk assessment and rollback plan, marked as such', async () => {
    const asked: string[] = [];
    await render({
      listChangeRequests: async () => [change('pending_approval')],
      getChangeRequest: async () => change('pending_approval'),
      getPlan: async () => plan,
      verify: async () => ({ valid: true, checks: [] }),
      assist: async (_t, feature) => {
        asked.push(feature);
        return feature === 'risk-assessment'
          ? {
              text: 'Risk: critical (module storefront-prod, state pending_approval).',
              machineWritten: true as const,
            }
          : undefined;
      },
    });
    fireEvent.click(await screen.findByText('storefront-prod'));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Assess the risk' }),
    );
    const box = await screen.findByTestId('machine-written');
    expect(box).toHaveTextContent(
      'Machine-written from the change data: informs, never decides',
    );
    expect(box).toHaveTextContent('Risk: critical (module storefront-prod');
    // Without the chat backend the card says so.
    fireEvent.click(
      screen.getByRole('button', { name: 'Draft a rollback plan' }),
    );
    expect(
      await screen.findByText(
        'The Infra chat backend is not installed in this portal.',
      ),
    ).toBeInTheDocument();
    expect(asked).toEqual(['risk-assessment', 'rollback-plan']);
  });
});
