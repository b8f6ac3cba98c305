import { EdgeType } from '@infra-hub/plugin-infra-discovery-common';

/** A resource as the inference reads it: its kind, its asset id, its attributes. */
export type InferenceEntry = {
  type: string;
  id: string;
  attrs: Record<string, unknown>;
};

/** What the inference of each cloud family needs of the graph being built. */
export type InferenceContext = {
  entries: InferenceEntry[];
  edge(
    from: string | undefined,
    to: string | undefined,
    type: EdgeType,
    details?: Record<string, unknown>,
  ): void;
  /** The asset a value names: `arn`, `kms`, `bucket`, `function`, `id:<type>`, `name:<type>`. */
  lookup(kind: string, value: unknown): string | undefined;
  /** A reference the graph could not resolve. */
  warn(message: string): void;
};

/** A string, or the strings of a list; anything else is none. */
export function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/** The value seen most often (ties: the first seen), ignoring empty ones. */
export function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** One statement of an IAM policy, normalised. @public */
export type PolicyStatement = {
  effect: string;
  /** The principal as written (`"*"`, `{ "AWS": [...] }`, …). */
  principal: unknown;
  /** Every principal named, whatever its kind (`"*"` for anyone). */
  principals: string[];
  actions: string[];
  notActions: string[];
  resources: string[];
  /** The keys its condition tests, lower-cased (`aws:securetransport`); none without one. */
  conditionKeys: string[];
  hasCondition: boolean;
};

/** The keys a condition block tests: `{ "Bool": { "aws:SecureTransport": "false" } }`. */
function conditionKeysOf(condition: unknown): string[] {
  if (!condition || typeof condition !== 'object') return [];
  return Object.values(condition).flatMap(test =>
    test && typeof test === 'object'
      ? Object.keys(test).map(k => k.toLowerCase())
      : [],
  );
}

/** Every principal a statement names. */
function principalsOf(principal: unknown): string[] {
  if (typeof principal === 'string') return [principal];
  if (principal && typeof principal === 'object')
    return Object.values(principal).flatMap(asStrings);
  return [];
}

/**
 * The statements of an IAM policy document (JSON text or parsed), normalised. Text that is not
 * JSON has none.
 *
 * @public
 */
export function policyStatements(doc: unknown): PolicyStatement[] {
  let parsed: any = doc;
  if (typeof doc === 'string') {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const statements = parsed?.Statement;
  let list: any[] = [];
  if (Array.isArray(statements)) list = statements;
  else if (statements) list = [statements];
  return list.map((s: any) => ({
    effect: s?.Effect ?? 'Allow',
    principal: s?.Principal,
    principals: principalsOf(s?.Principal),
    actions: asStrings(s?.Action),
    notActions: asStrings(s?.NotAction),
    resources: asStrings(s?.Resource),
    conditionKeys: conditionKeysOf(s?.Condition),
    hasCondition: Boolean(s?.Condition),
  }));
}

/** `"*"` or `{ "AWS": "*" }`: anyone. */
export const isPublicPrincipal = (p: unknown) =>
  p === '*' ||
  (typeof p === 'object' &&
    p !== null &&
    asStrings((p as any).AWS).includes('*'));

/** Source ranges that mean "anyone on the internet" (Azure and Google rules). */
export const OPEN_SOURCES = new Set([
  '*',
  'internet',
  '0.0.0.0/0',
  'any',
  '::/0',
]);
/** A list, or none. */
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
/** The strings of a list. */
export const strings = (v: unknown): string[] =>
  list(v).filter((x): x is string => typeof x === 'string');
/** A string in lower case, or empty. */
export const lower = (v: unknown) =>
  typeof v === 'string' ? v.toLowerCase() : '';
