import { NotFoundError } from '@backstage/errors';
import {
  Finding,
  PoamItem,
  PoamState,
} from '@infra-hub/plugin-infra-compliance-common';
import crypto from 'node:crypto';
import { ComplianceStore } from '../database/ComplianceStore';
import { PoamStore } from '../database/PoamStore';
import { sumBy } from './EvaluationService';
import { FrameworkService } from './FrameworkService';

/** The OSCAL version the exports are written in. */
export const OSCAL_VERSION = '1.1.2';

/** Findings read per page when exporting. */
const PAGE = 500;

/**
 * A name-based UUID (version 5 form, from SHA-256) for what has no UUID of its own: the same
 * parts give the same UUID in every export, so that a GRC tool importing twice sees one thing.
 */
export function stableUuid(...parts: string[]): string {
  const hex = crypto
    .createHash('sha256')
    .update(parts.join('\u0000'))
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(
    13,
    16,
  )}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const RISK_STATUS: Record<PoamState, string> = {
  open: 'open',
  in_progress: 'remediating',
  verification: 'remediating',
  closed: 'closed',
};

function observation(
  f: Pick<
    Finding,
    | 'id'
    | 'tenantId'
    | 'ruleId'
    | 'title'
    | 'resourceId'
    | 'resourceName'
    | 'resourceType'
    | 'lastSeenAt'
    | 'remediation'
    | 'message'
  >,
) {
  return {
    uuid: stableUuid('observation', f.tenantId, f.id),
    title: f.title,
    description: `Rule ${f.ruleId} fails on ${f.resourceType} ${
      f.resourceName
    } (${f.resourceId}).${f.message ? ` ${f.message}` : ''}`,
    methods: ['TEST'],
    types: ['finding'],
    subjects: [
      {
        'subject-uuid': stableUuid('asset', f.tenantId, f.resourceId),
        type: 'resource',
        title: f.resourceId,
      },
    ],
    collected: f.lastSeenAt,
    remarks: `Remediation: ${f.remediation}`,
  };
}

/** Assessment results and POA&M of a tenant as OSCAL 1.1.2 JSON documents. */
export class OscalService {
  constructor(
    private readonly deps: {
      frameworks: FrameworkService;
      findings: ComplianceStore;
      poam: PoamStore;
      now?: () => Date;
    },
  ) {}

  private async framework(tenantId: string, id: unknown) {
    if (typeof id !== 'string' || !id)
      throw new NotFoundError(
        "Name the framework to export: query parameter 'framework'",
      );
    return this.deps.frameworks.framework(tenantId, id);
  }

  private async findingsOf(tenantId: string, ruleIds: string[]) {
    const out: Finding[] = [];
    for (const status of ['open', 'suppressed'] as const) {
      let after: string | undefined;
      do {
        const page = await this.deps.findings.listFindings(
          tenantId,
          { status, ruleIds },
          { limit: PAGE, after },
        );
        out.push(...page.items);
        after = page.nextAfter;
      } while (after);
    }
    return out;
  }

  /**
   * The tenant's latest evaluation against one framework: every control of the framework
   * reviewed; a finding per assessed control (satisfied, or not with the failing checks as
   * observations and risks, a suppressed one as an approved deviation).
   */
  async assessmentResults(tenantId: string, frameworkId: unknown) {
    const framework = await this.framework(tenantId, frameworkId);
    const [evaluation] = await this.deps.findings.listEvaluations(tenantId, {
      limit: 1,
      succeededOnly: true,
    });
    if (!evaluation)
      throw new NotFoundError(
        `Tenant '${tenantId}' has not been evaluated yet: there are no results to export`,
      );
    const findings = await this.findingsOf(
      tenantId,
      await this.deps.frameworks.rulesOf(tenantId, framework.id),
    );
    const rows = await this.deps.findings.posture(tenantId, framework.id);
    const counts = sumBy(rows, 'control');
    const risk = (f: Finding) => ({
      uuid: stableUuid('risk', tenantId, f.id),
      title: f.title,
      description: `${f.severity} severity: rule ${f.ruleId} fails on ${f.resourceName}.`,
      statement: f.remediation,
      status: f.suppression ? 'deviation-approved' : 'open',
      ...(f.suppression
        ? {
            remarks: `Risk accepted by ${f.suppression.approver} until ${f.suppression.expiresAt}: ${f.suppression.reason}`,
          }
        : {}),
    });
    const results = framework.controls
      .filter(c => {
        const n = counts.get(c.id);
        return n && n.pass + n.fail > 0;
      })
      .map(c => {
        const n = counts.get(c.id)!;
        const related = findings.filter(f =>
          f.controls[framework.id]?.includes(c.id),
        );
        return {
          uuid: stableUuid(
            'finding',
            tenantId,
            evaluation.id,
            framework.id,
            c.id,
          ),
          title: `${c.id}${c.title ? ` ${c.title}` : ''}`,
          description: `${n.pass} automated checks passed and ${n.fail} failed for ${c.id}.`,
          target: {
            type: 'objective-id',
            'target-id': `${c.id}_obj`,
            status: { state: n.fail > 0 ? 'not-satisfied' : 'satisfied' },
          },
          ...(related.length
            ? {
                'related-observations': related.map(f => ({
                  'observation-uuid': stableUuid('observation', tenantId, f.id),
                })),
                'related-risks': related.map(f => ({
                  'risk-uuid': stableUuid('risk', tenantId, f.id),
                })),
              }
            : {}),
        };
      });
    const result = {
      uuid: stableUuid('result', tenantId, evaluation.id, framework.id),
      title: `Automated evaluation ${evaluation.id}`,
      description: `Infra Hub evaluated ${
        evaluation.assets ?? 0
      } discovered assets of tenant ${tenantId} against rule set ${
        evaluation.ruleSetVersion
      } (${evaluation.trigger}).`,
      start: evaluation.startedAt,
      ...(evaluation.finishedAt ? { end: evaluation.finishedAt } : {}),
      'reviewed-controls': {
        'control-selections': [
          {
            'include-controls': framework.controls.map(c => ({
              'control-id': c.id,
            })),
          },
        ],
      },
      ...(findings.length
        ? { observations: findings.map(observation), risks: findings.map(risk) }
        : {}),
      ...(results.length ? { findings: results } : {}),
    };
    return {
      'assessment-results': {
        uuid: stableUuid(
          'assessment-results',
          tenantId,
          evaluation.id,
          framework.id,
        ),
        metadata: {
          title: `Assessment results of ${tenantId} against ${framework.title}`,
          'last-modified': (this.deps.now?.() ?? new Date()).toISOString(),
          version: evaluation.id,
          'oscal-version': OSCAL_VERSION,
          remarks:
            'Produced by Infra Hub from an automated evaluation of discovered infrastructure.',
        },
        'import-ap': {
          href: `urn:infra-hub:assessment-plan:${tenantId}:${framework.id}`,
        },
        results: [result],
      },
    };
  }

  /** The tenant's POA&M (optionally the items of one framework) as OSCAL. */
  async poam(tenantId: string, frameworkId?: unknown) {
    const framework =
      frameworkId === undefined || frameworkId === ''
        ? undefined
        : await this.framework(tenantId, frameworkId);
    const items: PoamItem[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.poam.list(
        tenantId,
        {},
        { limit: PAGE, after },
      );
      items.push(
        ...page.items.filter(i => !framework || i.controls[framework.id]),
      );
      after = page.nextAfter;
    } while (after);
    if (items.length === 0)
      throw new NotFoundError(
        `The POA&M of '${tenantId}'${
          framework ? ` for ${framework.id}` : ''
        } has no items: OSCAL needs at least one`,
      );
    const findings = new Map<string, Finding>(
      (
        await this.deps.findings.findingsByIds(
          tenantId,
          items.map(i => i.findingId),
        )
      ).map(f => [f.id, f]),
    );
    const withFinding = items.filter(i => findings.has(i.findingId));
    return {
      'plan-of-action-and-milestones': {
        uuid: stableUuid('poam', tenantId, framework?.id ?? '*'),
        metadata: {
          title: `Plan of action and milestones of ${tenantId}${
            framework ? ` for ${framework.title}` : ''
          }`,
          'last-modified': (this.deps.now?.() ?? new Date()).toISOString(),
          version: new Date(
            Math.max(...items.map(i => new Date(i.updatedAt).getTime())),
          ).toISOString(),
          'oscal-version': OSCAL_VERSION,
        },
        'system-id': {
          'identifier-type': 'https://infra-hub.io/ns/tenant',
          id: tenantId,
        },
        ...(withFinding.length
          ? {
              observations: withFinding.map(i =>
                observation(findings.get(i.findingId)!),
              ),
            }
          : {}),
        risks: items.map(i => ({
          uuid: stableUuid('poam-risk', tenantId, i.id),
          title: i.title,
          description: i.description,
          statement: `${i.severity} severity weakness against ${Object.entries(
            i.controls,
          )
            .map(([fw, ids]) => `${fw} ${ids.join(', ')}`)
            .join('; ')}.`,
          status: RISK_STATUS[i.state],
          deadline: i.dueAt,
          remediations: [
            {
              uuid: stableUuid('remediation', tenantId, i.id),
              lifecycle: 'planned',
              title: 'Remediation',
              description:
                findings.get(i.findingId)?.remediation ?? i.description,
              tasks: i.milestones.map((m, n) => ({
                uuid: stableUuid('milestone', tenantId, i.id, String(n)),
                type: 'milestone',
                title: `${m.title}${m.done ? ' (done)' : ''}`,
                timing: { 'on-date': { date: m.due } },
              })),
            },
          ],
        })),
        'poam-items': items.map(i => ({
          uuid: i.id,
          title: i.title,
          description: i.description,
          ...(findings.has(i.findingId)
            ? {
                'related-observations': [
                  {
                    'observation-uuid': stableUuid(
                      'observation',
                      tenantId,
                      i.findingId,
                    ),
                  },
                ],
              }
            : {}),
          'related-risks': [
            { 'risk-uuid': stableUuid('poam-risk', tenantId, i.id) },
          ],
          remarks: `State ${i.state}; due ${i.dueAt}.`,
        })),
      },
    };
  }
}
