import { managedPolicyPrivilege } from '@infra-hub/plugin-infra-discovery-common';
import { policyStatements } from '@infra-hub/plugin-infra-discovery-node';
import { Environment } from '@marcbachmann/cel-js';

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

const asList = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  return v === null || v === undefined ? [] : [v];
};
const asStrings = (v: unknown): string[] =>
  asList(v).filter((x): x is string => typeof x === 'string');

/**
 * The inbound rules of a security group (its `ingress` blocks), or of a rule resource
 * (`aws_security_group_rule` of type ingress, `aws_vpc_security_group_ingress_rule`) itself.
 */
function ingressRules(resource: unknown): unknown[] {
  const r = (resource ?? {}) as Record<string, unknown>;
  if ('ingress' in r) return asList(r.ingress);
  if (r.type === 'egress') return [];
  return [r];
}

/** An IAM policy's statements as CEL maps (see {@link ruleEnvironment}). */
const statements = (doc: unknown) =>
  policyStatements(doc).map(s => ({
    effect: s.effect,
    actions: s.actions,
    not_actions: s.notActions,
    resources: s.resources,
    principals: s.principals,
    has_condition: s.hasCondition,
    condition_keys: s.conditionKeys,
  }));

/** True when a port range (Terraform's from/to, protocol `-1` meaning all) includes `port`. */
function portOpen(rule: unknown, port: number): boolean {
  const r = (rule ?? {}) as Record<string, unknown>;
  const protocol = String(r.protocol ?? r.ip_protocol ?? '');
  if (protocol === '-1' || protocol === 'all') return true;
  const from = Number(r.from_port ?? 0);
  const to = Number(r.to_port ?? from);
  return from <= port && port <= to;
}

/** True when a rule admits anyone on the internet. */
function fromInternet(rule: unknown): boolean {
  const r = (rule ?? {}) as Record<string, unknown>;
  return [
    ...asStrings(r.cidr_blocks),
    ...asStrings(r.ipv6_cidr_blocks),
    ...asStrings(r.cidr_ipv4),
    ...asStrings(r.cidr_ipv6),
    ...asStrings(r.cidr_block),
  ].some(c => OPEN_CIDRS.has(c));
}

/**
 * The CEL environment rule conditions are checked and evaluated in: the variables `resource`
 * (the resource's attributes) and `related` (named lists of related resources' attributes), and
 * these helpers:
 *
 * - `statements(policy)`: an IAM policy (JSON text or object) as a list of maps with `effect`,
 *   `actions`, `not_actions`, `resources`, `principals`, `has_condition` and `condition_keys`;
 * - `fromInternet(rule)`: a security-group rule (or ingress block) admits 0.0.0.0/0 or ::/0;
 * - `portOpen(rule, port)`: its port range (or protocol `-1`) includes the port;
 * - `openCidr(list)`: a list of CIDRs includes 0.0.0.0/0 or ::/0;
 * - `ingress(resource)`: a security group's inbound rules, or an ingress rule resource as one;
 * - `list(value)`: a list as it is, a single value as a list of one, null as an empty list;
 * - `privilege(arn)`: what an AWS managed policy grants, `'admin'` (AdministratorAccess,
 *   PowerUserAccess, IAMFullAccess), `'full-access'` (any other `...FullAccess`) or `''`; the
 *   attack paths read privilege the same way.
 */
export function ruleEnvironment(): Environment {
  return new Environment({
    homogeneousAggregateLiterals: false,
    limits: {
      maxAstNodes: 2000,
      maxDepth: 60,
      maxListElements: 200,
      maxMapEntries: 200,
      maxCallArguments: 8,
    },
  })
    .registerVariable('resource', 'map')
    .registerVariable('related', 'map')
    .registerFunction('statements(dyn): list', statements)
    .registerFunction('fromInternet(dyn): bool', fromInternet)
    .registerFunction('portOpen(dyn, int): bool', (r: unknown, p: bigint) =>
      portOpen(r, Number(p)),
    )
    .registerFunction('openCidr(dyn): bool', (v: unknown) =>
      asStrings(v).some(c => OPEN_CIDRS.has(c)),
    )
    .registerFunction('list(dyn): list', asList)
    .registerFunction(
      'privilege(dyn): string',
      (arn: unknown) => managedPolicyPrivilege(arn) ?? '',
    )
    .registerFunction('ingress(dyn): list', ingressRules);
}

type AstNode = { op: string; args: any };

const RULE_FIELDS = [
  'type',
  'from_port',
  'to_port',
  'protocol',
  'ip_protocol',
  'cidr_blocks',
  'ipv6_cidr_blocks',
  'cidr_ipv4',
  'cidr_ipv6',
  'cidr_block',
];
/** The attributes each helper reads of a resource passed to it whole. */
const HELPER_READS: Record<string, string[]> = {
  ingress: ['ingress', ...RULE_FIELDS],
  fromInternet: RULE_FIELDS,
  portOpen: RULE_FIELDS,
};

/**
 * The attributes of `resource` a condition reads, split into those whose value it reads and those
 * it only tests for presence with `has()`, and the relations it reads.
 */
export function attributesRead(ast: AstNode): {
  values: Set<string>;
  presence: Set<string>;
} {
  const values = new Set<string>();
  const presence = new Set<string>();
  const isResource = (n: any) => n?.op === 'id' && n.args === 'resource';
  const attrOf = (n: any): string | undefined => {
    if (n?.op === '.' && isResource(n.args[0])) return String(n.args[1]);
    if (
      n?.op === '[]' &&
      isResource(n.args[0]) &&
      n.args[1]?.op === 'value' &&
      typeof n.args[1].args === 'string'
    )
      return n.args[1].args;
    return undefined;
  };
  const stack: any[] = [ast];
  const wholeResourceArgument = (n: any) =>
    (n?.op === 'call' || n?.op === 'rcall') &&
    Array.isArray(n.args?.[1]) &&
    n.args[1].some(isResource);
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      stack.push(...n);
      continue;
    }
    if (n.op === 'call' && n.args?.[0] === 'has') {
      const attr = attrOf(n.args[1]?.[0]);
      if (attr !== undefined) {
        presence.add(attr);
        continue;
      }
    }
    const attr = attrOf(n);
    if (attr !== undefined) {
      values.add(attr);
      continue;
    }
    if (wholeResourceArgument(n) && HELPER_READS[n.args[0]]) {
      // A helper given the whole resource reads only the attributes it is written to read.
      for (const a of HELPER_READS[n.args[0]]) values.add(a);
      stack.push(n.args[1].filter((a: any) => !isResource(a)));
      continue;
    }
    if (isResource(n)) values.add('*');
    if (n.args && typeof n.args === 'object') stack.push(n.args);
  }
  return { values, presence };
}
