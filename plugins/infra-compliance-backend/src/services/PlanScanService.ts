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
  scanSecretsInText,
  secretDetector,
} from '@infra-hub/plugin-infra-compliance-node';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { Rules } from './Rules';

const STATUS_ORDER = ['fail', 'unknown', 'error'];

/** What a secret's address names: a resource's type, or a variable or output of the plan. */
function secretResourceType(address: string | undefined): string {
  if (!address) return 'plan';
  if (address.startsWith('var.')) return 'variable';
  if (address.startsWith('output.')) return 'output';
  return (
    address
      .replace(/\[[^\]]*\]$/, '')
      .split('.')
      .slice(-2, -1)[0] ?? 'plan'
  );
}

/** The rule whose controls secret findings map to. */
const SECRETS_RULE = 'secret-in-terraform-state';

/**
 * Checks a Terraform plan (`terraform show -json`) against the active rules, and for the
 * secrets it carries in plain text (sensitive variables, passwords in values, keys): what change
 * control shows on a change request before the plan is applied. Nothing is stored here; a secret
 * is reported by where it is and its fingerprint (the tenant's salt), never its value.
 */
export class PlanScanService {
  constructor(
    private readonly rules: Rules,
    private readonly spine: Pick<InfraSecuritySpine, 'fingerprintSalt'>,
  ) {}

  async scan(tenantId: string, text: string): Promise<PlanScan> {
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
    // The secrets the plan keeps in plain text, as findings of the secrets rule's controls.
    const secretsRule = this.rules.rule(SECRETS_RULE);
    if (secretsRule) {
      const { findings: secrets } = await scanSecretsInText('plan.json', text, {
        salt: await this.spine.fingerprintSalt(tenantId),
      });
      for (const s of secrets) {
        const detector = secretDetector(s.ruleId);
        counts.fail++;
        findings.push({
          ruleId: s.ruleId,
          title: detector?.title ?? s.ruleId,
          severity: s.severity,
          status: 'fail',
          resourceType: secretResourceType(s.address),
          address: s.address ?? `plan line ${s.line}`,
          message: `${s.attribute ? `${s.attribute}, ` : ''}line ${
            s.line
          }, fingerprint ${s.fingerprint}`,
          controls: secretsRule.controls,
          remediation: detector?.remediation ?? secretsRule.remediation,
        });
      }
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
