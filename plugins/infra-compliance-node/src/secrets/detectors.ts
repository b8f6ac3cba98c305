import { Severity } from '@infra-hub/plugin-infra-compliance-common';

/** What a kind of secret finding means and what to do about it. @public */
export type SecretDetector = {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
};

const ROTATE =
  'Rotate the secret (it has been exposed to everyone who can read this file), then';

/**
 * The secret scanner's detectors: the Terraform-aware ones, and the token formats of
 * secretlint's recommended preset (one detector, `secretlint/<rule>`, per rule that fires).
 *
 * @public
 */
export const SECRET_DETECTORS: readonly SecretDetector[] = [
  {
    id: 'tf-state-sensitive-value',
    title: 'A value Terraform marks sensitive is stored in plain text',
    severity: 'high',
    description:
      "The state lists this attribute in the instance's sensitive_attributes (a plan in its *_sensitive values), and stores its value in plain text beside it, as Terraform always does.",
    remediation: `${ROTATE} keep the state in an encrypted backend readable by as few as possible, or have the provider manage the secret (e.g. manage_master_user_password for RDS) so that none is in state.`,
  },
  {
    id: 'tf-secret-attribute',
    title: 'A provider stores a secret in this attribute',
    severity: 'high',
    description:
      'The attribute is one a provider is known to keep a secret in (a database password, an access key secret, a private key, a generated password).',
    remediation: `${ROTATE} generate and keep the secret outside Terraform (a secrets manager the resource reads) or use the provider's managed-secret option.`,
  },
  {
    id: 'tf-sensitive-output',
    title: 'A sensitive output is stored in plain text',
    severity: 'medium',
    description:
      'Outputs marked sensitive are only hidden from the console; their values are in state and plans in plain text.',
    remediation:
      'Do not output secrets; output a reference to where the secret is kept (its ARN) instead.',
  },
  {
    id: 'tf-sensitive-variable',
    title: 'A sensitive variable value is stored in the plan',
    severity: 'medium',
    description:
      'A saved plan records the value of every input variable, sensitive ones included, in plain text.',
    remediation:
      'Pass secrets by reference (a secrets manager data source) rather than as variables, and keep plan files as carefully as state.',
  },
  {
    id: 'tf-hardcoded-secret',
    title: 'A secret is written in Terraform code',
    severity: 'high',
    description:
      'A literal value is given to an attribute, variable default or tfvars entry whose name says it is a secret.',
    remediation: `${ROTATE} remove it from the code and its history; read it from a secrets manager or a variable set outside version control.`,
  },
  {
    id: 'private-key',
    title: 'A private key',
    severity: 'critical',
    description: 'A PEM or OpenSSH private key block.',
    remediation: `${ROTATE} generate keys outside Terraform (tls_private_key keeps its key in state) and keep them in a secrets manager.`,
  },
  {
    id: 'high-entropy-value',
    title: 'A high-entropy value in a secret-looking place',
    severity: 'medium',
    description:
      'A long random-looking string (not a hash, UUID, ARN, id or key example) in a resource attribute.',
    remediation:
      'Check whether it is a credential; if so, rotate it and keep it out of Terraform.',
  },
];

/** The detector of secretlint's rule `ruleId` (e.g. `@secretlint/secretlint-rule-github`). */
export function secretlintDetector(ruleId: string): SecretDetector {
  const name = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return {
    id: `secretlint/${name}`,
    title: `A ${name} credential (secretlint)`,
    severity: 'critical',
    description: `A token in the format secretlint's recommended rule ${ruleId} recognises.`,
    remediation: `${ROTATE} remove it from the file and its history.`,
  };
}

const BY_ID = new Map(SECRET_DETECTORS.map(d => [d.id, d]));

/**
 * The detector a finding names (`ruleId`): a Terraform-aware one, or `secretlint/<rule>`;
 * undefined for an id of neither.
 *
 * @public
 */
export function secretDetector(ruleId: string): SecretDetector | undefined {
  const known = BY_ID.get(ruleId);
  if (known) return known;
  return ruleId.startsWith('secretlint/')
    ? secretlintDetector(
        `@secretlint/secretlint-rule-${ruleId.slice('secretlint/'.length)}`,
      )
    : undefined;
}
