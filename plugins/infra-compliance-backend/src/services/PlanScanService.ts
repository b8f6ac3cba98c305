import { InputError } from '@backstage/errors';
import { PlanFormatError } from '@infra-hub/plugin-infra-change-common';
import {
  PlanFinding,
  PlanScan,
  SEVERITIES,
  zeroCounts,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  evaluateResources,
  planResourcesFromText,
} from '@infra-hub/plugin-infra-compliance-node';
import { Rules } from './Rules';

const STATUS_ORDER = ['fail', 'unknown', 'error'];

/**
 * Checks a Terraform plan (`terraform show -json`) against the active rules: what change control
 * shows on a change request before the plan is applied. Nothing is stored here.
 */
export class PlanScanService {
  constructor(private readonly rules: Rules) {}

  scan(text: string): PlanScan {
    let resources;
    try {
      resources = planResourcesFromText(text);
    } catch (e) {
      if (e instanceof PlanFormatError) throw new InputError(e.message);
      throw e;
    }
    const set = this.rules.current();
    const results = evaluateResources(set.rules, resources);
    const counts = zeroCounts();
    const findings: PlanFinding[] = [];
    for (const r of results) {
      counts[r.status]++;
      if (r.status === 'pass') continue;
      const rule = this.rules.rule(r.ruleId)!;
      findings.push({
        ruleId: r.ruleId,
        title: rule.title,
        severity: r.severity,
        status: r.status,
        resourceType: r.resourceType,
        address: r.address,
        ...(r.message ? { message: r.message } : {}),
        controls: rule.controls,
        remediation: rule.remediation,
      });
    }
    findings.sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        a.address.localeCompare(b.address) ||
        a.ruleId.localeCompare(b.ruleId),
    );
    return {
      ruleSetVersion: this.rules.currentVersion(),
      resources: resources.length,
      counts,
      findings,
    };
  }
}
