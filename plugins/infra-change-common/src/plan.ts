import { REDACTED } from '@infra-hub/plugin-infra-security-common';

/** Raised for input that is not a plan this analysis can read; its message names why. @public */
export class PlanFormatError extends Error {
  name = 'PlanFormatError';
}

/** A resource change of a plan, as Terraform writes it. @public */
export type PlanChange = {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
};

/** One entry of `resource_changes`. @public */
export type RawResourceChange = {
  address: string;
  type: string;
  mode?: string;
  change: PlanChange;
};

/** The parts of `terraform show -json` plan output (format 1.x) Infra Hub reads. @public */
export type Plan = {
  format_version: string;
  terraform_version?: string;
  resource_changes?: RawResourceChange[];
  resource_drift?: RawResourceChange[];
  /** What the plan would leave (values of resources after apply). */
  planned_values?: unknown;
  /** The configuration, with the references of each attribute's expression. */
  configuration?: unknown;
};

/**
 * Reads `terraform show -json` / `tofu show -json` plan output. Refuses, naming why, text that is
 * not JSON, another format version than 1.x, state files and other JSON.
 *
 * @public
 */
export function parsePlan(text: string): Plan {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PlanFormatError(`The plan is not JSON: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PlanFormatError('The plan must be a JSON object');
  }
  if (typeof doc.format_version !== 'string') {
    throw new PlanFormatError(
      'Not `terraform show -json` plan output: it has no format_version',
    );
  }
  if (!/^1\.\d+$/.test(doc.format_version)) {
    throw new PlanFormatError(
      `Plan format version ${doc.format_version} is not supported (1.x is)`,
    );
  }
  if (
    !Array.isArray(doc.resource_changes) &&
    !Array.isArray(doc.resource_drift) &&
    !doc.planned_values
  ) {
    throw new PlanFormatError(
      'This is not a plan (no resource_changes, resource_drift or planned_values): state or show output of something else?',
    );
  }
  for (const key of ['resource_changes', 'resource_drift'] as const) {
    const list = doc[key];
    if (list === undefined) continue;
    if (!Array.isArray(list))
      throw new PlanFormatError(`${key} must be an array`);
    list.forEach((r: any, i: number) => {
      if (
        typeof r?.address !== 'string' ||
        typeof r?.type !== 'string' ||
        !Array.isArray(r?.change?.actions)
      ) {
        throw new PlanFormatError(
          `${key}[${i}] is not a resource change (address, type and change.actions are required)`,
        );
      }
    });
  }
  return doc as Plan;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when a `*_sensitive` mark (true, or an object/list holding true) marks anything. @public */
export function marksAny(marks: unknown): boolean {
  if (marks === true) return true;
  if (marks && typeof marks === 'object')
    return Object.values(marks as object).some(marksAny);
  return false;
}

/**
 * `value` with every part Terraform marked sensitive (`marks`, the `*_sensitive` of the same
 * shape) replaced by the redaction marker.
 *
 * @public
 */
export function maskMarked(value: unknown, marks: unknown): unknown {
  // Unmarked values (most of a plan) are returned as they are, not copied.
  return marksAny(marks) ? masked(value, marks) : value;
}

function masked(value: unknown, marks: unknown): unknown {
  if (marks === true) return value === null ? null : REDACTED;
  if (!marks || typeof marks !== 'object') return value;
  if (Array.isArray(value))
    return value.map((v, i) => masked(v, (marks as any)[i]));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value))
      out[k] = masked(value[k], (marks as any)[k]);
    return out;
  }
  return value;
}
