import {
  Asset,
  ATTACK_PATH_TARGETS,
  AttackPath,
  NETWORK_GUARD_TYPES,
  Edge,
  INTERNET_ASSET_ID,
  PathStep,
} from '@infra-hub/plugin-infra-discovery-common';

export type { AttackPath, PathStep };

/** How much reaching each kind of target matters, and why. */
const TARGETS = ATTACK_PATH_TARGETS;
const GUARDS = new Set(NETWORK_GUARD_TYPES);
/** Ports whose exposure makes an entry point worse than a web port. */
const ADMIN_PORTS = /^(22|3389|5432|3306|1433|6379|27017|-1|0-65535)\b/;

const key = (e: Edge) => `${e.from}|${e.type}|${e.to}`;

/**
 * Finds the ways in from the internet to sensitive assets: entry points (an asset the internet
 * reaches directly, or a workload behind a security group open to it), then the identities the
 * workload runs as, the policies attached to those identities, and what they may access, up to
 * data stores, keys, secrets and audit-log buckets. Each path is ranked by what it reaches (audit
 * logs and databases first), how wide the door is (administrative ports, unauthenticated
 * function URLs, public buckets) and how short it is; the reasons say why.
 */
export function findAttackPaths(assets: Asset[], edges: Edge[]): AttackPath[] {
  const byId = new Map(assets.map(a => [a.id, a]));
  const out = new Map<string, Edge[]>();
  const into = new Map<string, Edge[]>();
  for (const e of edges) {
    const o = out.get(e.from);
    if (o) o.push(e);
    else out.set(e.from, [e]);
    const i = into.get(e.to);
    if (i) i.push(e);
    else into.set(e.to, [e]);
  }
  const outOf = (id: string, type: Edge['type']) =>
    (out.get(id) ?? []).filter(e => e.type === type);
  const intoOf = (id: string, type: Edge['type']) =>
    (into.get(id) ?? []).filter(e => e.type === type);
  const auditBuckets = new Set(
    edges.filter(e => e.type === 'logs_to').map(e => e.to),
  );

  const paths: AttackPath[] = [];
  const seen = new Set<string>();
  const emit = (
    entry: string,
    steps: PathStep[],
    target: string,
    door: string[],
    as?: { weight: number; label: string },
  ) => {
    const asset = byId.get(target);
    const kind = as ?? (asset ? TARGETS[asset.type] : undefined);
    if (!kind) return;
    const audit = auditBuckets.has(target);
    const reasons = [
      ...door,
      audit
        ? 'reaches an audit-log bucket (logs can be read or destroyed)'
        : `reaches ${kind.label}`,
    ];
    const actions = steps.flatMap(s =>
      Array.isArray(s.edge.details?.actions)
        ? (s.edge.details!.actions as string[])
        : [],
    );
    const writes = actions.some(
      a => /(Put|Delete|Create|Write|\*)/.test(a) || a === '*',
    );
    if (writes) reasons.push('with write or delete rights');
    // What is reached weighs most, then how wide the door is, then write rights; long chains less.
    const score =
      (audit ? 10 : kind.weight) * 10 +
      (door.some(d => d.includes('administrative')) ? 20 : 0) +
      (door.some(
        d => d.includes('without authorization') || d.includes('public'),
      )
        ? 15
        : 0) +
      (writes ? 5 : 0) -
      Math.max(0, steps.length - 4);
    let severity: AttackPath['severity'] = 'low';
    if (score >= 100) severity = 'critical';
    else if (score >= 85) severity = 'high';
    else if (score >= 70) severity = 'medium';
    const id = [entry, ...steps.map(s => key(s.edge)), target].join('>');
    if (seen.has(id)) return;
    seen.add(id);
    paths.push({ id, entry, target, score, severity, steps, reasons });
  };

  /** From a workload: what it runs as, then the policies on those identities, then their grants. */
  const walkFromWorkload = (
    entry: string,
    workload: string,
    prefix: PathStep[],
    door: string[],
  ) => {
    // The workload's own identity (an Azure system-assigned identity) first, then those it runs as.
    const identities: Array<{ id: string; steps: PathStep[] }> = [
      { id: workload, steps: prefix },
    ];
    const follow = (id: string, steps: PathStep[], depth: number) => {
      for (const e of outOf(id, 'executes_as')) {
        const next = [...steps, { edge: e, reversed: false }];
        identities.push({ id: e.to, steps: next });
        if (depth < 3) follow(e.to, next, depth + 1);
      }
    };
    follow(workload, prefix, 0);
    for (const identity of identities) {
      // An identity holding an AWS managed admin or full-access policy is a target itself.
      for (const attachment of intoOf(identity.id, 'attached_to')) {
        const privilege = attachment.details?.privilege;
        if (identity.steps.length === prefix.length || !privilege) continue;
        const policy = String(attachment.details?.managedPolicy ?? '')
          .split('/')
          .pop();
        emit(entry, identity.steps, identity.id, door, {
          weight: privilege === 'admin' ? 10 : 8,
          label: `an identity holding ${policy} (${
            privilege === 'admin'
              ? 'administrator'
              : 'every action of a service'
          })`,
        });
      }
      for (const grant of outOf(identity.id, 'can_access')) {
        emit(
          entry,
          [...identity.steps, { edge: grant, reversed: false }],
          grant.to,
          door,
        );
      }
      for (const attachment of intoOf(identity.id, 'attached_to')) {
        const viaPolicy = [
          ...identity.steps,
          { edge: attachment, reversed: true },
        ];
        for (const grant of outOf(attachment.from, 'can_access')) {
          emit(
            entry,
            [...viaPolicy, { edge: grant, reversed: false }],
            grant.to,
            door,
          );
        }
      }
    }
  };

  for (const ingress of outOf(INTERNET_ASSET_ID, 'internet_ingress')) {
    const exposed = byId.get(ingress.to);
    const first: PathStep = { edge: ingress, reversed: false };
    const door: string[] = [];
    const ports = Array.isArray(ingress.details?.ports)
      ? (ingress.details!.ports as string[])
      : [];
    if (ports.some(p => ADMIN_PORTS.test(p)))
      door.push(
        `open to the internet on administrative ports (${ports.join(', ')})`,
      );
    else if (ports.length)
      door.push(`open to the internet on ${ports.join(', ')}`);
    if (typeof ingress.details?.via === 'string') {
      door.push(
        /authorization/.test(ingress.details.via as string)
          ? 'invocable from the internet without authorization'
          : `public: ${ingress.details.via}`,
      );
    }
    if (exposed && GUARDS.has(exposed.type)) {
      // The workloads behind the open security group are the entry points.
      for (const member of intoOf(ingress.to, 'depends_on')) {
        const steps: PathStep[] = [first, { edge: member, reversed: true }];
        emit(member.from, steps, member.from, door);
        walkFromWorkload(member.from, member.from, steps, door);
      }
    } else {
      emit(ingress.to, [first], ingress.to, door);
      walkFromWorkload(ingress.to, ingress.to, [first], door);
      // A Kubernetes cluster runs its workloads on its node groups, as their node role.
      for (const group of outOf(ingress.to, 'contains')) {
        if (byId.get(group.to)?.type !== 'aws_eks_node_group') continue;
        walkFromWorkload(
          ingress.to,
          group.to,
          [first, { edge: group, reversed: false }],
          door,
        );
      }
    }
  }
  return paths.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * The attack paths of each tenant, computed once per version of its graph: a request checks the
 * version (the latest change time of its assets, one indexed lookup) and computes the paths again
 * only when a run changed something. Concurrent requests share one computation.
 */
export class AttackPathCache {
  private readonly entries = new Map<
    string,
    { version: string; paths: Promise<AttackPath[]> }
  >();

  constructor(
    private readonly graph: {
      version(tenantId: string): Promise<string>;
      loadGraph(tenantId: string): Promise<{ assets: Asset[]; edges: Edge[] }>;
    },
  ) {}

  async get(tenantId: string): Promise<AttackPath[]> {
    const version = await this.graph.version(tenantId);
    const cached = this.entries.get(tenantId);
    if (cached && cached.version === version) return cached.paths;
    const paths = this.graph
      .loadGraph(tenantId)
      .then(g => findAttackPaths(g.assets, g.edges));
    this.entries.set(tenantId, { version, paths });
    paths.catch(() => {
      if (this.entries.get(tenantId)?.paths === paths)
        this.entries.delete(tenantId);
    });
    return paths;
  }
}
