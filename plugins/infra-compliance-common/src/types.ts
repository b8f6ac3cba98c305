/** How bad a failing rule is, most severe first. @public */
export const SEVERITIES = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
] as const;

/** @public */
export type Severity = (typeof SEVERITIES)[number];

/** True when `a` is at least as severe as `b`. @public */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

/**
 * The outcome of one rule on one resource: `pass`, `fail`, `unknown` (the condition reads a value
 * that cannot be known before apply) or `error` (the condition could not be evaluated).
 *
 * @public
 */
export type RuleStatus = 'pass' | 'fail' | 'unknown' | 'error';

/** A control of a framework. @public */
export type Control = {
  /** The framework's own id, e.g. `sc-28` (OSCAL style for NIST), `3.5.1`, `CC6.1`. */
  id: string;
  title?: string;
};

/** A framework and its controls, from a pack or defined by a tenant. @public */
export type Framework = {
  id: string;
  title: string;
  version?: string;
  /** An OSCAL catalog whose control titles fill in missing ones, e.g. `nist-800-53-r5`. */
  catalog?: string;
  controls: Control[];
};

/** A relation a rule reads: resources of `type` whose attribute `via` points at the resource. @public */
export type RuleRelation = { type: string; via: string };

/** A rule of a pack, as written. @public */
export type Rule = {
  id: string;
  title: string;
  description?: string;
  severity: Severity;
  /** The resource types it applies to, e.g. `aws_s3_bucket`; `*` for every type (with `when`). */
  resourceTypes: string[];
  /** A CEL expression over `resource` (its attributes) and `related` that is true when compliant. */
  condition: string;
  /**
   * A CEL condition over `resource` choosing the resources of its types the rule applies to
   * (e.g. those a state was scanned for); the others get no result at all.
   */
  when?: string;
  /** Named relations whose resources the condition reads as `related.<name>` (a list). */
  related?: Record<string, RuleRelation>;
  remediation: string;
  /** Controls it supports, per framework id. */
  controls: Record<string, string[]>;
  /** Equivalent checks of other tools, for comparing results. */
  equivalents?: { checkov?: string[]; prowler?: string[] };
  /** Example attributes it must pass and fail, checked when the pack loads. */
  examples?: {
    pass?: Array<Record<string, unknown>>;
    fail?: Array<Record<string, unknown>>;
  };
};

/** A rule pack document (`kind: RulePack`). @public */
export type RulePack = {
  apiVersion: 'infra-hub.io/v1alpha1';
  kind: 'RulePack';
  metadata: { name: string; title?: string; description?: string };
  frameworks?: Framework[];
  rules?: Rule[];
};

/** Where a resource is declared, for findings on code. @public */
export type SourceLocation = { file: string; line: number };

/** One rule's result on one resource. @public */
export type RuleResult = {
  ruleId: string;
  severity: Severity;
  status: RuleStatus;
  resourceType: string;
  /** The Terraform address, or the asset id for discovered assets. */
  address: string;
  location?: SourceLocation;
  /** Why it failed, is unknown or errored (never a secret value). */
  message?: string;
};
