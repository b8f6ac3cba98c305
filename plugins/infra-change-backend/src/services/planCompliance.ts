import { ResponseError } from '@backstage/errors';
import {
  maxRisk,
  PlanCompliance,
  PlanSummary,
  RiskLevel,
} from '@infra-hub/plugin-infra-change-common';
import {
  PlanFinding,
  PlanScan,
  Severity,
} from '@infra-hub/plugin-infra-compliance-common';

/** Asks the compliance plugin about a plan's changes. */
export type PlanChecker = (
  tenantId: string,
  planText: string,
) => Promise<PlanScan>;

/** The most findings kept with a plan (worst first); the counts keep the rest. */
export const MAX_PLAN_FINDINGS = 200;

const SEVERITY_RISK: Record<Severity, RiskLevel> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'none',
};

/** The compliance plugin's check of a plan, or why there is none; never throws. */
export async function checkPlanCompliance(
  check: PlanChecker,
  tenantId: string,
  planText: string,
): Promise<PlanCompliance> {
  try {
    const scan = await check(tenantId, planText);
    return {
      status: 'checked',
      ...scan,
      findings: scan.findings.slice(0, MAX_PLAN_FINDINGS),
    };
  } catch (e) {
    const reason = ResponseError.is(e)
      ? `The compliance plugin answered ${e.statusCode}: ${e.body.error.message}`
      : `The compliance plugin could not be reached: ${(e as Error).message}`;
    return { status: 'unavailable', reason: reason.slice(0, 500) };
  }
}

const failing = (c: PlanCompliance): PlanFinding[] =>
  c.status === 'checked' ? c.findings.filter(f => f.status === 'fail') : [];

/**
 * A plan's summary with what compliance says of it: the risk is at least that of the worst failing
 * rule (a critical finding makes a critical change, and so the approvals a critical change
 * needs), the reasons and resources name the findings, and the text says what was checked.
 */
export function withCompliance(
  summary: PlanSummary,
  compliance: PlanCompliance | undefined,
): PlanSummary {
  if (!compliance) return summary;
  if (compliance.status === 'unavailable')
    return {
      ...summary,
      text: `${summary.text}\nCompliance: not checked (${compliance.reason})`,
    };
  const fails = failing(compliance);
  let risk = summary.risk;
  for (const f of fails) risk = maxRisk(risk, SEVERITY_RISK[f.severity]);
  const byAddress = new Map<string, PlanFinding[]>();
  for (const f of fails)
    byAddress.set(f.address, [...(byAddress.get(f.address) ?? []), f]);
  const resources = summary.resources.map(r => {
    const found = byAddress.get(r.address);
    if (!found) return r;
    return {
      ...r,
      risk: found.reduce(
        (acc, f) => maxRisk(acc, SEVERITY_RISK[f.severity]),
        r.risk,
      ),
      reasons: [
        ...r.reasons,
        ...found.map(f => `fails ${f.ruleId}: ${f.title}`),
      ],
    };
  });
  const findingReasons = fails
    .slice(0, 5)
    .map(f => `${f.severity} compliance finding: ${f.title} (${f.address})`);
  const bySeverity = new Map<string, number>();
  for (const f of fails)
    bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  const line = fails.length
    ? `Compliance: ${fails.length} failing rule results (${[...bySeverity]
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}), ${compliance.counts.unknown} known only after apply`
    : `Compliance: no failing rule (${compliance.counts.pass} passed, ${compliance.counts.unknown} known only after apply)`;
  return {
    ...summary,
    risk,
    // Worst first: the findings lead when they set the risk.
    reasons:
      risk !== summary.risk
        ? [...findingReasons, ...summary.reasons]
        : [...summary.reasons, ...findingReasons],
    resources,
    text: `${summary.text}\n${line}`,
  };
}
