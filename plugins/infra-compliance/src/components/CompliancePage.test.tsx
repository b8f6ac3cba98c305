import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  Finding,
  InfraComplianceApi,
  infraComplianceApiRef,
  PoamItem,
} from '../api';
import { CompliancePage } from './CompliancePage';
import { EntityComplianceContent } from './EntityComplianceContent';

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

const counts = (pass: number, fail: number) => ({
  pass,
  fail,
  unknown: 0,
  error: 0,
});

const finding: Finding = {
  tenantId: 'cartwheel',
  id: 'a'.repeat(32),
  ruleId: 'aws-sg-ssh-open',
  title: 'Security group does not admit SSH from the internet',
  severity: 'critical',
  status: 'open',
  resourceId: 'aws:210987654321:eu-west-1:aws_security_group:sg-1',
  resourceType: 'aws_security_group',
  resourceName: 'cartwheel-web',
  system: 'cartwheel-storefront',
  controls: { 'nist-800-53-r5': ['sc-7', 'ac-17'] },
  remediation: 'Remove the 0.0.0.0/0 rule for port 22.',
  firstSeenAt: '2026-12-01T10:00:00Z',
  lastSeenAt: '2026-12-02T10:00:00Z',
  evaluationId: 'e2',
};

const poamItem: PoamItem = {
  tenantId: 'cartwheel',
  id: '00000000-0000-4000-8000-000000000001',
  findingId: finding.id,
  title: `${finding.title}: cartwheel-web`,
  description: 'Rule aws-sg-ssh-open fails.',
  severity: 'critical',
  controls: finding.controls,
  resourceId: finding.resourceId,
  state: 'open',
  dueAt: '2026-12-16T10:00:00Z',
  milestones: [
    {
      title: 'Remediation planned and under way',
      due: '2026-12-05T10:00:00Z',
      done: false,
    },
    {
      title: 'Fix deployed, handed to verification',
      due: '2026-12-12T10:00:00Z',
      done: false,
    },
    {
      title: 'Verified by an evaluation and closed',
      due: '2026-12-16T10:00:00Z',
      done: false,
    },
  ],
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
  findingStatus: 'open',
};

function api(overrides: Partial<InfraComplianceApi> = {}): InfraComplianceApi {
  return {
    posture: async () => ({
      evaluationId: 'e2',
      evaluatedAt: '2026-12-02T10:00:00Z',
      ruleSetVersion: '0123456789abcdef',
      frameworks: [
        {
          framework: 'nist-800-53-r5',
          title: 'NIST SP 800-53 Rev. 5',
          passRate: 0.75,
          counts: counts(60, 20),
          controls: { passing: 10, failing: 5, notAssessed: 30 },
        },
      ],
      findings: [
        { status: 'open', severity: 'critical', count: 3 },
        { status: 'resolved', severity: 'critical', count: 1 },
        { status: 'open', severity: 'high', count: 2 },
      ],
    }),
    frameworkPosture: async () => ({
      framework: 'nist-800-53-r5',
      title: 'NIST SP 800-53 Rev. 5',
      controls: [
        {
          id: 'sc-7',
          title: 'Boundary Protection',
          status: 'failing',
          counts: counts(4, 2),
        },
        {
          id: 'au-2',
          title: 'Event Logging',
          status: 'passing',
          counts: counts(3, 0),
        },
      ],
      systems: [
        {
          name: 'cartwheel-storefront',
          counts: counts(10, 5),
          passRate: 2 / 3,
        },
      ],
      owners: [{ name: '', counts: counts(60, 20), passRate: 0.75 }],
    }),
    trend: async () => [
      {
        evaluationId: 'e1',
        at: '2026-12-01T10:00:00Z',
        passRate: 0.7,
        counts: counts(56, 24),
        controls: { passing: 9, failing: 6, notAssessed: 30 },
      },
      {
        evaluationId: 'e2',
        at: '2026-12-02T10:00:00Z',
        passRate: 0.75,
        counts: counts(60, 20),
        controls: { passing: 10, failing: 5, notAssessed: 30 },
      },
    ],
    listFindings: async () => ({ items: [finding], total: 1 }),
    getFinding: async () => ({
      ...finding,
      history: [
        { at: finding.firstSeenAt, kind: 'opened', actor: 'evaluation' },
      ],
    }),
    suppress: async () => finding,
    unsuppress: async () => finding,
    listEvaluations: async () => [],
    evaluate: async () => ({} as any),
    rules: async () => ({ version: 'v', packs: [], frameworks: [], rules: [] }),
    findingsCsv: async () => '',
    listPoam: async () => [poamItem],
    getPoamItem: async () => ({
      ...poamItem,
      history: [{ at: poamItem.createdAt, to: 'open', actor: 'evaluation' }],
    }),
    transitionPoam: async () => poamItem,
    oscal: async () => '{}',
    listFrameworks: async () => [],
    putFramework: async () => ({} as any),
    deleteFramework: async () => undefined,
    listEvidence: async () => ({ items: [] }),
    evidenceBundle: async () => '{}',
    sealEvidence: async () => ({} as any),
    ...overrides,
  };
}

async function render(
  compliance: InfraComplianceApi,
  element = <CompliancePage />,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [infraSecurityApiRef, security],
        [infraComplianceApiRef, compliance],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
}

describe('CompliancePage', () => {
  it('goes from the frameworks to a control, its findings and a finding, and accepts its risk', async () => {
    const queries: unknown[] = [];
    const suppressed: unknown[] = [];
    await render(
      api({
        listFindings: async (_t, q) => {
          queries.push(q);
          return { items: [finding], total: 1 };
        },
        suppress: async (_t, id, input) => {
          suppressed.push({ id, ...input });
          return finding;
        },
      }),
    );
    expect(
      await screen.findByText('NIST SP 800-53 Rev. 5'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('open-critical')).toHaveTextContent('3');
    expect(screen.getByTestId('open-high')).toHaveTextContent('2');
    expect(screen.getByTestId('pass-rate')).toHaveTextContent('75%');

    fireEvent.click(screen.getByText('NIST SP 800-53 Rev. 5'));
    expect(await screen.findByTestId('trend-chart')).toHaveAttribute(
      'aria-label',
      'NIST SP 800-53 Rev. 5: pass rate over 2 evaluations, from 70% to 75%',
    );
    expect(screen.getByText('Boundary Protection')).toBeInTheDocument();
    expect(screen.getByText('cartwheel-storefront')).toBeInTheDocument();

    fireEvent.click(screen.getByText('Boundary Protection'));
    expect(await screen.findByText('Findings of sc-7 (1)')).toBeInTheDocument();
    expect(queries).toContainEqual({
      framework: 'nist-800-53-r5',
      control: 'sc-7',
      status: 'open',
      limit: 50,
    });

    fireEvent.click(screen.getByText(finding.title));
    expect(await screen.findByTestId('remediation')).toHaveTextContent(
      'Remove the 0.0.0.0/0 rule for port 22.',
    );
    const accept = screen.getByRole('button', { name: 'Accept risk' });
    // No reason, no suppression.
    expect(accept).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Why the risk is accepted'), {
      target: { value: 'Break-glass access until the bastion lands' },
    });
    fireEvent.change(screen.getByLabelText('Until'), {
      target: { value: '2027-01-15' },
    });
    fireEvent.click(accept);
    await waitFor(() =>
      expect(suppressed).toEqual([
        {
          id: finding.id,
          reason: 'Break-glass access until the bastion lands',
          expiresAt: '2027-01-15T23:59:59.000Z',
        },
      ]),
    );
  });

  it('shows the POA&M as a board and moves an item along its transitions only', async () => {
    const moves: unknown[] = [];
    await render(
      api({
        transitionPoam: async (_t, id, input) => {
          moves.push({ id, ...input });
          return poamItem;
        },
      }),
    );
    fireEvent.click(await screen.findByRole('tab', { name: 'POA&M' }));
    expect(
      await screen.findByText('Plan of action and milestones (1)'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Board' }));
    expect(screen.getByTestId('poam-column-open')).toHaveTextContent(
      'Open (1)',
    );
    expect(screen.getByTestId('poam-column-closed')).toHaveTextContent(
      'Closed (0)',
    );
    fireEvent.click(screen.getByText(poamItem.title));
    expect(await screen.findAllByTestId('milestone')).toHaveLength(3);
    // From open, the only move is to start the work.
    expect(
      screen.queryByRole('button', { name: 'Move to Closed' }),
    ).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Comment'), {
      target: { value: 'Ticket OPS-1234' },
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Move to In progress' }),
    );
    await waitFor(() =>
      expect(moves).toEqual([
        { id: poamItem.id, to: 'in_progress', comment: 'Ticket OPS-1234' },
      ]),
    );
  });

  it('lets a tenant admin define a framework from controls and rule mappings', async () => {
    const saved: unknown[] = [];
    await render(
      api({
        rules: async () => ({
          version: 'v',
          packs: [],
          frameworks: [
            {
              id: 'soc2',
              title: 'SOC 2',
              pack: 'frameworks',
              controls: [{ id: 'CC6.1' }],
            },
          ],
          rules: [],
        }),
        putFramework: async (_t, f) => {
          saved.push(f);
          return f as any;
        },
      }),
    );
    fireEvent.click(await screen.findByRole('tab', { name: 'Frameworks' }));
    expect(await screen.findByText('SOC 2')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New framework' }));
    const type = (label: RegExp, value: string) =>
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    type(/^Id/, 'house-baseline');
    type(/^Title/, 'House baseline');
    type(/^Controls/, 'HB-1 | No SSH from the internet\nHB-2');
    type(
      /^Rules that support them/,
      'aws-sg-ssh-open: HB-1\naws-s3-bucket-versioning: HB-2, HB-1',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(saved).toEqual([
        {
          id: 'house-baseline',
          title: 'House baseline',
          controls: [
            { id: 'HB-1', title: 'No SSH from the internet' },
            { id: 'HB-2' },
          ],
          mappings: {
            'aws-sg-ssh-open': ['HB-1'],
            'aws-s3-bucket-versioning': ['HB-2', 'HB-1'],
          },
        },
      ]),
    );
  });

  it('lists the evidence, downloads a sealed bundle for a control, and seals what was not sealed', async () => {
    const sealed = {
      evaluationId: '00000000-0000-4000-8000-000000000002',
      evaluatedAt: '2026-12-02T10:00:00Z',
      ruleSetVersion: '0123456789abcdef',
      controls: 240,
      frameworks: ['nist-800-53-r5', 'soc2'],
      sealed: true,
      keyId: 'mldsa65:0123456789abcdef0123456789abcdef',
      sealedAt: '2026-12-02T10:00:01Z',
    };
    const unsealed = {
      ...sealed,
      evaluationId: '00000000-0000-4000-8000-000000000001',
      evaluatedAt: '2026-12-01T10:00:00Z',
      sealed: false,
      keyId: undefined,
      sealedAt: undefined,
      sealError: 'Change control could not sign the seal: vault unavailable',
    };
    const bundles: unknown[] = [];
    const seals: string[] = [];
    const files: string[] = [];
    const createObjectURL = URL.createObjectURL;
    URL.createObjectURL = () => 'blob:evidence';
    const click = vi
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        files.push(this.download);
      });
    try {
      await render(
        api({
          listEvidence: async () => ({ items: [sealed, unsealed] }),
          evidenceBundle: async (_t, evaluationId, scope) => {
            bundles.push({ evaluationId, ...scope });
            return '{"format":"infra-hub-compliance-evidence/1"}';
          },
          sealEvidence: async (_t, evaluationId) => {
            seals.push(evaluationId);
            return { ...unsealed, sealed: true };
          },
        }),
      );
      fireEvent.click(await screen.findByRole('tab', { name: 'Evidence' }));
      expect(
        await screen.findByText(/Sealed by mldsa65:0123456789abcdef/),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/Not sealed: Change control could not sign the seal/),
      ).toBeInTheDocument();
      fireEvent.click(screen.getByRole('button', { name: 'Seal now' }));
      await waitFor(() => expect(seals).toEqual([unsealed.evaluationId]));

      // The sealed row's download: a framework of the evaluation, one control.
      fireEvent.click(
        screen.getByRole('button', {
          name: `Download evidence of ${sealed.evaluatedAt}`,
        }),
      );
      fireEvent.change(
        await screen.findByLabelText('Control (empty: every control)'),
        { target: { value: 'sc-7' } },
      );
      fireEvent.click(screen.getByRole('button', { name: 'Download bundle' }));
      await waitFor(() =>
        expect(bundles).toEqual([
          {
            evaluationId: sealed.evaluationId,
            framework: 'nist-800-53-r5',
            control: 'sc-7',
          },
        ]),
      );
      await waitFor(() =>
        expect(files).toEqual([
          `evidence-cartwheel-nist-800-53-r5-sc-7-${sealed.evaluationId}.json`,
        ]),
      );
    } finally {
      click.mockRestore();
      URL.createObjectURL = createObjectURL;
    }
  });

  it('says when the tenant was not evaluated yet', async () => {
    await render(
      api({ posture: async () => ({ frameworks: [], findings: [] }) }),
    );
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it("shows a system's findings on its entity tab", async () => {
    const queries: unknown[] = [];
    await render(
      api({
        listFindings: async (_t, q) => {
          queries.push(q);
          return { items: [finding], total: 1 };
        },
      }),
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'cartwheel-storefront-web',
            annotations: { 'infra-hub.io/tenant': 'cartwheel' },
          },
          spec: {
            type: 'service',
            owner: 'x',
            lifecycle: 'production',
            system: 'cartwheel-storefront',
          },
        }}
      >
        <EntityComplianceContent />
      </EntityProvider>,
    );
    const table = await screen.findByText(
      'Findings of system cartwheel-storefront (1)',
    );
    expect(table).toBeInTheDocument();
    expect(queries[0]).toEqual({
      system: 'cartwheel-storefront',
      status: 'open',
      limit: 50,
    });
    expect(
      within(document.body).getByText(finding.resourceName),
    ).toBeInTheDocument();
  });
});
