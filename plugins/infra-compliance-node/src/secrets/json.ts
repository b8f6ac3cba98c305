import {
  hasPrivateKey,
  isCandidateValue,
  isHighEntropy,
  isSecretAttribute,
  hasSecretAttributes,
  hintsAtSecret,
  isSecretName,
  mayHoldSecret,
} from './classify';
import { Candidate } from './types';

type Path = (string | number)[];

/** Every string in a JSON value, with its path below `base`. */
function strings(
  value: unknown,
  base: Path,
  out: Array<{ path: Path; value: string }>,
) {
  if (typeof value === 'string') out.push({ path: base, value });
  else if (Array.isArray(value))
    value.forEach((v, i) => strings(v, [...base, i], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) strings(v, [...base, k], out);
}

/** Terraform's sensitive paths (`[{type:get_attr,value:a},{type:index,value:{value:0}}]`). */
function sensitivePaths(list: unknown): Path[] {
  const out: Path[] = [];
  for (const steps of Array.isArray(list) ? list : []) {
    if (!Array.isArray(steps)) continue;
    const path: Path = [];
    for (const s of steps) {
      const v = (s as { value?: unknown })?.value;
      if (typeof v === 'string') path.push(v);
      else if (typeof (v as { value?: unknown })?.value === 'number')
        path.push((v as { value: number }).value);
      else if (typeof (v as { value?: unknown })?.value === 'string')
        path.push((v as { value: string }).value);
    }
    if (path.length) out.push(path);
  }
  return out;
}

/** Paths where a `*_sensitive` / `sensitive_values` mirror says `true`. */
function markedPaths(mirror: unknown, base: Path = [], out: Path[] = []) {
  if (mirror === true) out.push(base);
  else if (Array.isArray(mirror))
    mirror.forEach((v, i) => markedPaths(v, [...base, i], out));
  else if (mirror && typeof mirror === 'object')
    for (const [k, v] of Object.entries(mirror))
      markedPaths(v, [...base, k], out);
  return out;
}

const startsWith = (path: Path, prefix: Path) =>
  prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/**
 * Judges the strings of one resource's attributes: marked sensitive (state or plan), a known
 * secret attribute of the type, a private key, a secret-looking name with a real value, or a
 * high-entropy value under a name that hints at a credential. One candidate per value, the
 * strongest reason. The walk keeps one path and copies it only for a candidate.
 */
function resourceCandidates(
  resource: {
    address: string;
    type: string;
    attributes: unknown;
    sensitive: Path[];
  },
  base: Path,
  out: Candidate[],
) {
  const attrs = (resource.attributes ?? {}) as Record<string, unknown>;
  const path: Path = [];
  const typed = hasSecretAttributes(resource.type);
  const judge = (value: string, name: string | undefined) => {
    // Most strings are of a type with no secret, under a plain name, marked nothing: one test.
    if (
      !typed &&
      !resource.sensitive.length &&
      !hintsAtSecret(name) &&
      !hasPrivateKey(value)
    )
      return;
    if (!isCandidateValue(value)) return;
    let ruleId: string | undefined;
    if (hasPrivateKey(value)) ruleId = 'private-key';
    else if (resource.sensitive.some(p => startsWith(path, p)))
      ruleId = 'tf-state-sensitive-value';
    else if (isSecretAttribute(resource.type, path, attrs))
      ruleId = 'tf-secret-attribute';
    else if (name && isSecretName(name)) ruleId = 'tf-secret-attribute';
    else if (mayHoldSecret(name) && isHighEntropy(value))
      ruleId = 'high-entropy-value';
    if (!ruleId) return;
    out.push({
      path: [...base, ...path],
      value,
      ruleId,
      address: resource.address,
      attribute: path.join('.'),
    });
  };
  const walk = (value: unknown, name: string | undefined) => {
    if (typeof value === 'string') judge(value, name);
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i], name);
        path.pop();
      }
    } else if (value && typeof value === 'object') {
      for (const k of Object.keys(value)) {
        path.push(k);
        walk((value as Record<string, unknown>)[k], k);
        path.pop();
      }
    }
  };
  walk(resource.attributes, undefined);
}

type StateResource = {
  mode?: string;
  type?: string;
  name?: string;
  module?: string;
  instances?: Array<{
    index_key?: string | number;
    attributes?: unknown;
    sensitive_attributes?: unknown;
  }>;
};

/** The candidates of a state file (format version 4): resource attributes and outputs. */
export function stateCandidates(state: {
  resources?: StateResource[];
  outputs?: Record<string, { value?: unknown; sensitive?: boolean }>;
}): Candidate[] {
  const out: Candidate[] = [];
  // In the order Terraform writes them: outputs, then resources.
  outputCandidates(state.outputs, ['outputs'], out);
  (state.resources ?? []).forEach((r, i) => {
    if (r?.mode === 'data' || typeof r?.type !== 'string') return;
    const base = `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`;
    (r.instances ?? []).forEach((instance, j) => {
      const key = instance?.index_key;
      resourceCandidates(
        {
          address:
            key === undefined
              ? base
              : `${base}[${
                  typeof key === 'number' ? key : JSON.stringify(key)
                }]`,
          type: r.type!,
          attributes: instance?.attributes,
          sensitive: sensitivePaths(instance?.sensitive_attributes),
        },
        ['resources', i, 'instances', j, 'attributes'],
        out,
      );
    });
  });
  return out;
}

function outputCandidates(
  outputs: Record<string, { value?: unknown; sensitive?: boolean }> | undefined,
  base: Path,
  out: Candidate[],
) {
  for (const [name, o] of Object.entries(outputs ?? {})) {
    if (!o?.sensitive) continue;
    const values: Array<{ path: Path; value: string }> = [];
    strings(o.value, [...base, name, 'value'], values);
    for (const { path, value } of values) {
      if (!isCandidateValue(value)) continue;
      out.push({
        path,
        value,
        ruleId: hasPrivateKey(value) ? 'private-key' : 'tf-sensitive-output',
        address: `output.${name}`,
      });
    }
  }
}

type PlanModule = {
  resources?: Array<{
    address?: string;
    mode?: string;
    type?: string;
    values?: unknown;
    sensitive_values?: unknown;
  }>;
  child_modules?: PlanModule[];
};

function moduleCandidates(
  module: PlanModule | undefined,
  base: Path,
  out: Candidate[],
) {
  (module?.resources ?? []).forEach((r, i) => {
    if (r?.mode === 'data' || typeof r?.type !== 'string') return;
    resourceCandidates(
      {
        address: r.address ?? r.type,
        type: r.type,
        attributes: r.values,
        sensitive: markedPaths(r.sensitive_values),
      },
      [...base, 'resources', i, 'values'],
      out,
    );
  });
  (module?.child_modules ?? []).forEach((m, i) =>
    moduleCandidates(m, [...base, 'child_modules', i], out),
  );
}

/**
 * The candidates of a plan (`terraform show -json`): planned and prior resource values, the
 * changes' before and after values, outputs, and the values of variables the configuration marks
 * sensitive. The same secret in several places of a plan is found in each.
 */
export function planCandidates(plan: any): Candidate[] {
  // In the order `terraform show -json` writes them: variables, planned values (outputs, then
  // resources), changes, prior state.
  const out: Candidate[] = [];
  const declared = plan?.configuration?.root_module?.variables ?? {};
  for (const [name, v] of Object.entries(plan?.variables ?? {})) {
    const value = (v as { value?: unknown })?.value;
    const sensitive = (declared[name] as { sensitive?: boolean })?.sensitive;
    if (typeof value !== 'string' || !isCandidateValue(value)) continue;
    if (!sensitive && !isSecretName(name) && !hasPrivateKey(value)) continue;
    let ruleId = 'tf-hardcoded-secret';
    if (hasPrivateKey(value)) ruleId = 'private-key';
    else if (sensitive) ruleId = 'tf-sensitive-variable';
    out.push({
      path: ['variables', name, 'value'],
      value,
      ruleId,
      address: `var.${name}`,
    });
  }
  outputCandidates(
    plan?.planned_values?.outputs,
    ['planned_values', 'outputs'],
    out,
  );
  moduleCandidates(
    plan?.planned_values?.root_module,
    ['planned_values', 'root_module'],
    out,
  );
  (Array.isArray(plan?.resource_changes) ? plan.resource_changes : []).forEach(
    (c: any, i: number) => {
      if (c?.mode === 'data' || typeof c?.type !== 'string') return;
      for (const side of ['before', 'after'] as const) {
        resourceCandidates(
          {
            address: c.address ?? c.type,
            type: c.type,
            attributes: c.change?.[side],
            sensitive: markedPaths(c.change?.[`${side}_sensitive`]),
          },
          ['resource_changes', i, 'change', side],
          out,
        );
      }
    },
  );
  moduleCandidates(
    plan?.prior_state?.values?.root_module,
    ['prior_state', 'values', 'root_module'],
    out,
  );
  return out;
}

/** How many out-of-order values are looked for from the start of a text, at most. */
const MAX_REWINDS = 100;

/**
 * The 1-based line of each candidate in the JSON text it was parsed from, found by searching
 * for the value as JSON writes it (as Go's encoder writes it too: `<`, `>`, `&` escaped) in
 * document order, each search going on from the previous match, the lines counted once: linear
 * in the text. A value found only before the previous match (keys JavaScript orders otherwise)
 * is looked for from the start, at most 100 times; past that, or not found, it has no line.
 */
export function linesOfCandidates(
  text: string,
  candidates: ReadonlyArray<{ path: Path; value: string }>,
): Map<string, number> {
  const lines = new Map<string, number>();
  let cursor = 0;
  let line = 1;
  let counted = 0;
  let rewinds = 0;
  // Newlines between the last position asked and this one, found natively (indexOf).
  const lineAt = (pos: number) => {
    if (pos <= counted) return line;
    for (
      let nl = text.indexOf('\n', counted);
      nl >= 0 && nl < pos;
      nl = text.indexOf('\n', nl + 1)
    )
      line++;
    counted = pos;
    return line;
  };
  for (const c of candidates) {
    const plain = JSON.stringify(c.value);
    const forms = [plain];
    const go = plain
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026');
    if (go !== plain) forms.push(go);
    const find = (from: number) =>
      Math.min(
        ...forms.map(f => {
          const at = text.indexOf(f, from);
          return at < 0 ? Infinity : at;
        }),
      );
    let at = find(cursor);
    if (at !== Infinity) {
      cursor = at + 1;
      lines.set(c.path.join('\u0000'), lineAt(at));
    } else if (rewinds++ < MAX_REWINDS) {
      at = find(0);
      if (at !== Infinity)
        lines.set(c.path.join('\u0000'), text.slice(0, at).split('\n').length);
    }
  }
  return lines;
}
