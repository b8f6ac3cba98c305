import {
  describeSecretMarkers,
  RuleResult,
  RuleStatus,
  SECRET_MARKERS_ATTRIBUTE,
  SecretMarker,
} from '@infra-hub/plugin-infra-compliance-common';
import { CompiledRule } from '../packs/ruleSet';
import { ScanResource } from './types';

/** Attribute values by which other resources name a resource (ids, ARNs, names). */
const IDENTITY_ATTRIBUTES = ['id', 'arn', 'bucket', 'name'];

/** An address without its trailing index: `a.b["x"]` → `a.b`. */
export function baseAddress(address: string): string {
  if (!address.endsWith(']')) return address;
  const open = address.lastIndexOf('[');
  return open > 0 ? address.slice(0, open) : address;
}

/** Resolves which resources point at which, by address references or by identity values. */
class RelationIndex {
  private readonly byAddress = new Map<string, ScanResource>();
  private readonly byIdentity = new Map<string, ScanResource>();
  /** `type` → resources of that type, for relations. */
  private readonly byType = new Map<string, ScanResource[]>();
  private readonly cache = new Map<string, Map<ScanResource, ScanResource[]>>();

  constructor(resources: ScanResource[]) {
    for (const r of resources) {
      this.byAddress.set(r.address, r);
      // `aws_s3_bucket.logs[0]` is also what `aws_s3_bucket.logs` names.
      const base = baseAddress(r.address);
      if (base !== r.address && !this.byAddress.has(base))
        this.byAddress.set(base, r);
      for (const key of IDENTITY_ATTRIBUTES) {
        const v = r.attributes[key];
        if (typeof v === 'string' && v !== '' && !r.unknown?.has(key))
          this.byIdentity.set(`${r.type}\u0000${v}`, r);
      }
      const list = this.byType.get(r.type) ?? [];
      list.push(r);
      this.byType.set(r.type, list);
    }
  }

  /** Where each resource of `type` points through attribute `via`: target → sources. */
  private sourcesByTarget(type: string, via: string, targetType: string) {
    const key = `${type}\u0000${via}\u0000${targetType}`;
    let map = this.cache.get(key);
    if (map) return map;
    map = new Map();
    for (const source of this.byType.get(type) ?? []) {
      const targets = new Set<ScanResource>();
      for (const address of source.refs?.[via] ?? []) {
        const t = this.byAddress.get(address);
        if (t) targets.add(t);
      }
      const value = source.attributes[via];
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (typeof v !== 'string') continue;
        const t = this.byIdentity.get(`${targetType}\u0000${v}`);
        if (t) targets.add(t);
      }
      for (const t of targets) {
        const list = map.get(t) ?? [];
        list.push(source);
        map.set(t, list);
      }
    }
    this.cache.set(key, map);
    return map;
  }

  related(target: ScanResource, type: string, via: string): ScanResource[] {
    return this.sourcesByTarget(type, via, target.type).get(target) ?? [];
  }
}

/** Rules grouped by the resource types they apply to. */
function rulesByType(rules: CompiledRule[]) {
  const map = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    for (const type of rule.rule.resourceTypes) {
      const list = map.get(type) ?? [];
      list.push(rule);
      map.set(type, list);
    }
  }
  return map;
}

/** Whether the rule's `when` (if any) takes the resource: only a `true` does. */
function applies(rule: CompiledRule, resource: ScanResource): boolean {
  if (!rule.applies) return true;
  try {
    return (
      rule.applies({ resource: resource.attributes, related: {} }) === true
    );
  } catch {
    return false;
  }
}

/** The first unknown attribute whose value the rule reads, if any. */
function unknownRead(rule: CompiledRule, resource: ScanResource) {
  if (!resource.unknown?.size) return undefined;
  if (rule.reads.values.has('*')) return [...resource.unknown][0];
  for (const attr of rule.reads.values)
    if (resource.unknown.has(attr)) return attr;
  return undefined;
}

/** One rule on one resource, relations resolved. */
export function evaluateRule(
  rule: CompiledRule,
  resource: ScanResource,
  related: Record<string, Array<Record<string, unknown>>>,
): Omit<RuleResult, 'ruleId' | 'severity' | 'resourceType' | 'address'> {
  const unknown = unknownRead(rule, resource);
  if (unknown !== undefined) {
    // Whatever the condition says, it said it over a value that is not known yet.
    return {
      status: 'unknown',
      message: `${unknown} is known only after apply`,
    };
  }
  let status: RuleStatus;
  let message: string | undefined;
  try {
    const value = rule.evaluate({ resource: resource.attributes, related });
    if (typeof value !== 'boolean') {
      status = 'error';
      message = `The condition returned ${typeof value}, not a boolean`;
    } else status = value ? 'pass' : 'fail';
  } catch (e) {
    status = 'error';
    message = `The condition could not be evaluated: ${
      (e as Error).message.split('\n')[0]
    }`;
  }
  return message ? { status, message } : { status };
}

/**
 * Evaluates rules over resources: each rule on each resource of the types it applies to, its
 * relations resolved among the same resources. Results come in resource order, then rule order.
 *
 * @public
 */
export function evaluateResources(
  rules: CompiledRule[],
  resources: ScanResource[],
): RuleResult[] {
  const index = new RelationIndex(resources);
  const byType = rulesByType(rules);
  const results: RuleResult[] = [];
  const everyType = byType.get('*') ?? [];
  for (const resource of resources) {
    for (const rule of [...(byType.get(resource.type) ?? []), ...everyType]) {
      if (!applies(rule, resource)) continue;
      const related: Record<string, Array<Record<string, unknown>>> = {};
      // A related resource with values known only after apply (a policy written with
      // jsonencode, an id from another resource) cannot make the rule fail: that is unknown.
      // (The attribute that links it, a reference, is known enough: it found the resource.)
      let relatedUnknown: { address: string; attributes: string[] } | undefined;
      for (const [name, relation] of Object.entries(rule.rule.related ?? {})) {
        const sources = index.related(resource, relation.type, relation.via);
        for (const s of relatedUnknown ? [] : sources) {
          const attributes = [...(s.unknown ?? [])].filter(
            a => a !== relation.via,
          );
          if (attributes.length)
            relatedUnknown = { address: s.address, attributes };
        }
        related[name] = sources.map(s => s.attributes);
      }
      let outcome = evaluateRule(rule, resource, related);
      if (outcome.status === 'fail' && relatedUnknown)
        outcome = {
          status: 'unknown',
          message: `${
            relatedUnknown.address
          } has values known only after apply (${relatedUnknown.attributes
            .slice(0, 3)
            .join(', ')})`,
        };
      if (outcome.status === 'fail' && !outcome.message) {
        // A secret rule says which secrets, where and their fingerprints (never the values).
        const markers = resource.attributes[SECRET_MARKERS_ATTRIBUTE];
        if (
          rule.reads.values.has(SECRET_MARKERS_ATTRIBUTE) &&
          Array.isArray(markers) &&
          markers.length
        )
          outcome = {
            ...outcome,
            message: describeSecretMarkers(markers as SecretMarker[]),
          };
      }
      results.push({
        ruleId: rule.rule.id,
        severity: rule.rule.severity,
        resourceType: resource.type,
        address: resource.address,
        ...(resource.location ? { location: resource.location } : {}),
        ...outcome,
      });
    }
  }
  return results;
}
