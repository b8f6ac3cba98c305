import { Severity } from '@infra-hub/plugin-infra-compliance-common';

/** What kind of file a secret was found in. @public */
export type SecretSource = 'code' | 'tfvars' | 'plan' | 'state' | 'text';

/**
 * One secret found: what kind, where (file and line; for state and plans the resource address
 * and attribute path), and its salted fingerprint. Never the value.
 *
 * @public
 */
export type SecretFinding = {
  /** The detector (see SECRET_DETECTORS), or `secretlint/<rule>`. */
  ruleId: string;
  severity: Severity;
  source: SecretSource;
  /** As given to the scanner (relative paths stay relative). */
  file: string;
  /** 1-based. */
  line: number;
  /** Resource address (state, plans, code), output or variable name. */
  address?: string;
  /** The attribute path inside the resource, dotted (`user.0.password`). */
  attribute?: string;
  /** HMAC-SHA256 of the value with the salt, 32 hex digits. */
  fingerprint: string;
};

/** How a scan runs. @public */
export type SecretScanOptions = {
  /** The fingerprints' salt (keep it secret and stable to compare fingerprints across scans). */
  salt: string;
  /** Run secretlint's recommended preset over the text too (default true). */
  secretlint?: boolean;
  /** The text already parsed as JSON (a state or plan the caller has read), not parsed again. */
  parsed?: unknown;
};

/** A value found where a secret may be, before it is judged. */
export type Candidate = {
  /** JSON path of the value in the document (for its line). */
  path: (string | number)[];
  value: string;
  ruleId: string;
  address?: string;
  attribute?: string;
};
