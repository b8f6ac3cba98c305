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

/** The statements of an IAM policy document (text or parsed), normalised. */
export function policyStatements(doc: unknown): Array<{
  effect: string;
  principal: unknown;
  actions: string[];
  resources: string[];
}> {
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
    actions: asStrings(s?.Action),
    resources: asStrings(s?.Resource),
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
