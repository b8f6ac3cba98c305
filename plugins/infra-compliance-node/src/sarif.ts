import {
  RuleResult,
  Severity,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  SarifBuilder,
  SarifResultBuilder,
  SarifRuleBuilder,
  SarifRunBuilder,
} from 'node-sarif-builder';
import type { Log } from 'sarif';
import { RuleSet } from './packs/ruleSet';

/** GitHub code scanning's `security-severity` scale (0–10) for each severity. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** The SARIF level of each severity. */
export const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** Where the scanned input lives, for results without a file of their own (plans). */
export type SarifOptions = {
  /** The tool's version, e.g. the package version. */
  version: string;
  /** The file results without a location point at (the plan scanned), relative to the repo. */
  defaultFile?: string;
};

/**
 * A SARIF 2.1.0 log of failing and unknown results: one run, every rule of the set with its
 * title, remediation, severity (`security-severity` for GitHub code scanning) and controls, and a
 * result per finding with its file and line (or the plan and the resource's address).
 *
 * @public
 */
export function toSarif(
  ruleSet: RuleSet,
  results: RuleResult[],
  options: SarifOptions,
): Log {
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: 'infra-scan',
    toolDriverVersion: options.version,
    url: 'https://github.com/infra-hub/infra-hub/tree/main/plugins/infra-compliance-node#readme',
  });
  const byId = new Map(ruleSet.rules.map(r => [r.rule.id, r.rule]));
  for (const { rule } of ruleSet.rules) {
    const builder = new SarifRuleBuilder().initSimple({
      ruleId: rule.id,
      shortDescriptionText: rule.title,
      fullDescriptionText: rule.description ?? rule.title,
    });
    builder.rule.name = rule.id;
    builder.rule.help = { text: rule.remediation };
    builder.rule.defaultConfiguration = { level: LEVEL[rule.severity] };
    builder.rule.properties = {
      tags: ['security', 'infrastructure', ...Object.keys(rule.controls)],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      controls: rule.controls,
      ...(rule.equivalents ? { equivalents: rule.equivalents } : {}),
    };
    run.addRule(builder);
  }
  for (const result of results) {
    if (result.status === 'pass') continue;
    const rule = byId.get(result.ruleId);
    const file = result.location?.file ?? options.defaultFile;
    const builder = new SarifResultBuilder().initSimple({
      ruleId: result.ruleId,
      level: result.status === 'fail' ? LEVEL[result.severity] : 'note',
      messageText:
        result.status === 'fail'
          ? `${result.address}: ${rule?.title ?? result.ruleId} — not met. ${
              rule?.remediation ?? ''
            }`.trim()
          : `${result.address}: ${rule?.title ?? result.ruleId} — ${
              result.status
            } (${result.message ?? 'not evaluated'})`,
      ...(file ? { fileUri: file } : {}),
      ...(result.location ? { startLine: result.location.line } : {}),
    });
    builder.result.kind = result.status === 'fail' ? 'fail' : 'review';
    const location = builder.result.locations?.[0];
    if (location)
      location.logicalLocations = [
        { fullyQualifiedName: result.address, kind: 'resource' },
      ];
    builder.result.partialFingerprints = {
      'infraHub/v1': `${result.ruleId}:${result.address}`,
    };
    run.addResult(builder);
  }
  const sarif = new SarifBuilder();
  sarif.addRun(run);
  return sarif.buildSarifOutput() as Log;
}
