import {
  maskMarked,
  marksAny,
  parsePlan,
  Plan,
} from '@infra-hub/plugin-infra-change-common';
import { baseAddress } from '../engine/evaluate';
import { ScanResource } from '../engine/types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A module of a plan's configuration: its resources and the modules it calls. */
type ConfigModule = {
  resources?: Array<{
    address?: string;
    expressions?: Record<string, unknown>;
  }>;
  module_calls?: Record<string, { module?: ConfigModule }>;
};

/** The references of an expression block, at any depth (nested blocks hold expressions too). */
function referencesOf(expression: unknown, out: Set<string>) {
  const stack = [expression];
  while (stack.length) {
    const e = stack.pop();
    if (Array.isArray(e)) stack.push(...e);
    else if (isObject(e)) {
      if (Array.isArray(e.references)) {
        for (const r of e.references) if (typeof r === 'string') out.add(r);
      } else stack.push(...Object.values(e));
    }
  }
}

type Configured = { refs: Record<string, string[]>; attributes: Set<string> };

/**
 * Per resource address (without index): the attributes its configuration sets, and per attribute
 * the addresses its expression refers to.
 */
function configurationOf(plan: Plan): Map<string, Configured> {
  const out = new Map<string, Configured>();
  const root = (plan.configuration as any)?.root_module as
    | ConfigModule
    | undefined;
  const stack: Array<[ConfigModule, string]> = root ? [[root, '']] : [];
  while (stack.length) {
    const [module, prefix] = stack.pop()!;
    for (const r of module.resources ?? []) {
      if (typeof r.address !== 'string' || !isObject(r.expressions)) continue;
      const refs: Record<string, string[]> = {};
      for (const [attr, expression] of Object.entries(r.expressions)) {
        const found = new Set<string>();
        referencesOf(expression, found);
        if (found.size) refs[attr] = [...found].map(a => `${prefix}${a}`);
      }
      out.set(`${prefix}${r.address}`, {
        refs,
        attributes: new Set(Object.keys(r.expressions)),
      });
    }
    for (const [name, call] of Object.entries(module.module_calls ?? {})) {
      if (call.module) stack.push([call.module, `${prefix}module.${name}.`]);
    }
  }
  return out;
}

/**
 * The resources a plan creates or updates, as rules see them: their planned attributes (values
 * Terraform marks sensitive replaced), which top-level attributes are known only after apply, and
 * what each attribute refers to. An attribute is unknown when the configuration sets it to a value
 * known only after apply; one the configuration does not set at all, and the provider computes,
 * is treated as not set, as it is when the same code is scanned (a plan without its
 * configuration leaves every computed attribute unknown). Deleted and unchanged resources are not introduced by the plan
 * and are left out; data sources too.
 *
 * @public
 */
export function planResources(plan: Plan): ScanResource[] {
  const configuration = configurationOf(plan);
  const hasConfiguration = configuration.size > 0;
  const out: ScanResource[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode && rc.mode !== 'managed') continue;
    const actions = rc.change.actions;
    if (!actions.includes('create') && !actions.includes('update')) continue;
    const after = isObject(rc.change.after) ? rc.change.after : {};
    const sensitive = isObject(rc.change.after_sensitive)
      ? rc.change.after_sensitive
      : {};
    const unknownMarks = isObject(rc.change.after_unknown)
      ? rc.change.after_unknown
      : {};
    const attributes: Record<string, unknown> = {};
    const unknown = new Set<string>();
    const configured = configuration.get(baseAddress(rc.address));
    for (const [k, v] of Object.entries(after))
      attributes[k] = maskMarked(v, sensitive[k]);
    for (const [k, mark] of Object.entries(unknownMarks)) {
      if (!marksAny(mark)) continue;
      if (hasConfiguration && !configured?.attributes.has(k)) {
        // Not set by the configuration: the provider computes it; as in the code, it is not set.
        if (attributes[k] === null || attributes[k] === undefined)
          delete attributes[k];
        continue;
      }
      unknown.add(k);
      if (!(k in attributes)) attributes[k] = null;
    }
    out.push({
      type: rc.type,
      address: rc.address,
      attributes,
      unknown,
      refs: configured?.refs ?? {},
    });
  }
  return out;
}

/** Reads plan JSON text (see `parsePlan`) into the resources it introduces. @public */
export function planResourcesFromText(text: string): ScanResource[] {
  return planResources(parsePlan(text));
}
