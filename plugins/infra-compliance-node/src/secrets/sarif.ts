import {
  SarifBuilder,
  SarifResultBuilder,
  SarifRuleBuilder,
  SarifRunBuilder,
} from 'node-sarif-builder';
import type { Log } from 'sarif';
import { LEVEL, SECURITY_SEVERITY } from '../sarif';
import { SECRET_DETECTORS, SecretDetector, secretDetector } from './detectors';
import { SecretFinding } from './types';

/**
 * A SARIF 2.1.0 log of secret findings for code scanning: every detector that fired (and the
 * Terraform-aware ones) as a rule with its severity, a result per finding with file, line and
 * the resource address and attribute, and the salted fingerprint as the partial fingerprint, so
 * the same secret is one alert across runs. No value is in the log.
 *
 * @public
 */
export function secretsToSarif(
  findings: SecretFinding[],
  options: { version: string },
): Log {
  const run = new SarifRunBuilder().initSimple({
    toolDriverName: 'infra-secrets',
    toolDriverVersion: options.version,
    url: 'https://github.com/infra-hub/infra-hub/tree/main/plugins/infra-compliance-node#readme',
  });
  const detectors = new Map<string, SecretDetector>(
    SECRET_DETECTORS.map(d => [d.id, d]),
  );
  for (const f of findings) {
    const d = detectors.has(f.ruleId) ? undefined : secretDetector(f.ruleId);
    if (d) detectors.set(d.id, d);
  }
  for (const d of detectors.values()) {
    const builder = new SarifRuleBuilder().initSimple({
      ruleId: d.id,
      shortDescriptionText: d.title,
      fullDescriptionText: d.description,
    });
    builder.rule.name = d.id;
    builder.rule.help = { text: d.remediation };
    builder.rule.defaultConfiguration = { level: LEVEL[d.severity] };
    builder.rule.properties = {
      tags: ['security', 'secret'],
      'security-severity': SECURITY_SEVERITY[d.severity],
      severity: d.severity,
    };
    run.addRule(builder);
  }
  for (const f of findings) {
    const d = detectors.get(f.ruleId);
    const where = [f.address, f.attribute].filter(Boolean).join(' ');
    const builder = new SarifResultBuilder().initSimple({
      ruleId: f.ruleId,
      level: LEVEL[f.severity],
      messageText: `${d?.title ?? f.ruleId}${
        where ? `: ${where}` : ''
      } (fingerprint ${f.fingerprint}). ${d?.remediation ?? ''}`.trim(),
      fileUri: f.file,
      startLine: f.line,
    });
    const location = builder.result.locations?.[0];
    if (location && f.address)
      location.logicalLocations = [
        {
          fullyQualifiedName: f.attribute
            ? `${f.address}.${f.attribute}`
            : f.address,
          kind: 'resource',
        },
      ];
    builder.result.partialFingerprints = { 'infraHubSecret/v1': f.fingerprint };
    run.addResult(builder);
  }
  const sarif = new SarifBuilder();
  sarif.addRun(run);
  return sarif.buildSarifOutput() as Log;
}
