import {
  AttributeChange,
  maskMarked,
  marksAny,
  maxRisk,
  Plan,
  PlanChange,
  parsePlan,
  RawResourceChange,
  PlanSummary,
  ResourceChangeAnalysis,
  RISK_LEVELS,
  RiskLevel,
  sha256Hex,
} from '@infra-hub/plugin-infra-change-common';
import {
  canonicalJson,
  REDACTED,
  redactSecrets,
} from '@infra-hub/plugin-infra-security-common';

/** The analysis of a plan: its summary, the drifted resources and the planned changes. */
export type PlanAnalysis = {
  summary: PlanSummary;
  drift: ResourceChangeAnalysis[];
  changes: ResourceChangeAnalysis[];
};

const SENSITIVE = REDACTED;
const UNKNOWN = '(known after apply)';
const MAX_CHANGES_PER_RESOURCE = 200;
const MAX_SUMMARY_RESOURCES = 200;

/** The SHA-256 of a plan: over its canonical JSON, so that formatting does not change it. */
export function planHashOf(plan: unknown): string {
  return sha256Hex(canonicalJson(plan));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The last attribute name of a path such as `ingress[0].cidr_blocks[1]` (no regex: linear). */
function lastKey(path: string) {
  let end = path.length;
  while (end > 0 && path[end - 1] === ']') {
    const open = path.lastIndexOf('[', end - 1);
    if (open < 0) break;
    end = open;
  }
  const dot = path.lastIndexOf('.', end - 1);
  return path.slice(dot + 1, end);
}

/** `value` with secrets replaced; `key` is the name of the attribute (or list) holding it. */
const scrub = (key: string, value: unknown): unknown =>
  redactSecrets(value, key);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every(k => k in b && equal(a[k], b[k]))
    );
  }
  return false;
}

const child = (v: unknown, key: string | number): unknown =>
  v && typeof v === 'object' ? (v as any)[key] : undefined;

/**
 * The attributes that differ between `before` and `after`, walking objects and lists; sensitive
 * values (Terraform's `*_sensitive` marks, secret-looking names and values) never come out.
 */
export function diffAttributes(
  change: Pick<
    PlanChange,
    | 'before'
    | 'after'
    | 'after_unknown'
    | 'before_sensitive'
    | 'after_sensitive'
  >,
): AttributeChange[] {
  const out: AttributeChange[] = [];
  // The path is kept as a stack and only written out for a difference: most leaves are equal.
  const stack: Array<string | number> = [];
  const keyOf = () => {
    for (let i = stack.length - 1; i >= 0; i--)
      if (typeof stack[i] === 'string') return stack[i] as string;
    return '';
  };
  const pathOf = () => {
    let text = '';
    for (const part of stack) {
      if (typeof part === 'number') text += `[${part}]`;
      else text += text ? `.${part}` : part;
    }
    return text;
  };
  const walk = (
    before: unknown,
    after: unknown,
    unknown: unknown,
    bs: unknown,
    as: unknown,
  ): void => {
    if (out.length >= MAX_CHANGES_PER_RESOURCE) return;
    if (before === after && unknown !== true) return;
    if (bs === true || as === true) {
      if (!equal(before, after))
        out.push({
          path: pathOf(),
          before: SENSITIVE,
          after: SENSITIVE,
          sensitive: true,
        });
      return;
    }
    if (unknown === true) {
      // Known only after apply: what it was is shown only where nothing marked it sensitive.
      out.push({
        path: pathOf(),
        before: scrub(keyOf(), maskMarked(before, bs)),
        after: UNKNOWN,
        ...(marksAny(bs) ? { sensitive: true } : {}),
      });
      return;
    }
    if (isObject(before) && isObject(after)) {
      const keys = Object.keys(before);
      for (const k of Object.keys(after)) if (!(k in before)) keys.push(k);
      // Terraform writes keys sorted already; sort only when they are not.
      for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1] > keys[i]) {
          keys.sort();
          break;
        }
      }
      for (const k of keys) {
        stack.push(k);
        walk(
          before[k],
          after[k],
          child(unknown, k),
          child(bs, k),
          child(as, k),
        );
        stack.pop();
      }
      return;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
      const n = Math.max(before.length, after.length);
      for (let i = 0; i < n; i++) {
        stack.push(i);
        walk(
          before[i],
          after[i],
          child(unknown, i),
          child(bs, i),
          child(as, i),
        );
        stack.pop();
      }
      return;
    }
    if (!equal(before, after)) {
      const path = pathOf();
      // A value under a sensitive mark deeper down is masked whole.
      const hidden = marksAny(bs) || marksAny(as);
      out.push(
        hidden
          ? { path, before: SENSITIVE, after: SENSITIVE, sensitive: true }
          : {
              path,
              before: scrub(keyOf(), before),
              after: scrub(keyOf(), after),
            },
      );
    }
  };
  walk(
    change.before ?? null,
    change.after ?? null,
    change.after_unknown,
    change.before_sensitive,
    change.after_sensitive,
  );
  // A created or deleted resource is one change of the whole object, not one per attribute.
  return out.map(c => (c.path === '' ? { ...c, path: '(resource)' } : c));
}

function actionOf(actions: string[]): ResourceChangeAnalysis['action'] {
  const a = [...actions].sort().join(',');
  if (a === 'create,delete') return 'replace';
  if (a === 'create') return 'create';
  if (a === 'delete') return 'delete';
  if (a === 'update') return 'update';
  if (a === 'read') return 'read';
  return 'no-op';
}

const DATA_STORES: Record<string, string> = {
  aws_db_instance: 'a database',
  aws_rds_cluster: 'a database cluster',
  aws_s3_bucket: 'a bucket',
  aws_dynamodb_table: 'a DynamoDB table',
  aws_kms_key: 'an encryption key',
  aws_efs_file_system: 'a file system',
  aws_secretsmanager_secret: 'a secret',
  aws_ebs_volume: 'a volume',
};
const ADMIN_PORTS = new Set([22, 3389, 5432, 3306, 1433, 6379, 27017]);
const OPEN = ['0.0.0.0/0', '::/0'];

type Risky = { risk: RiskLevel; reason: string };

/** The openings to the internet an ingress list holds: `22/tcp` and the like. */
function openings(value: unknown): Array<{ port: string; admin: boolean }> {
  const rules = Array.isArray(value) ? value : [];
  const out: Array<{ port: string; admin: boolean }> = [];
  for (const r of rules as any[]) {
    const cidrs = [...(r?.cidr_blocks ?? []), ...(r?.ipv6_cidr_blocks ?? [])];
    if (!cidrs.some((c: unknown) => OPEN.includes(c as string))) continue;
    const from = Number(r?.from_port ?? 0);
    const to = Number(r?.to_port ?? from);
    const port =
      from === to ? `${from}/${r?.protocol}` : `${from}-${to}/${r?.protocol}`;
    const admin =
      r?.protocol === '-1' ||
      [...ADMIN_PORTS].some(p => p >= from && p <= to) ||
      (from === 0 && to >= 65535);
    out.push({ port, admin });
  }
  return out;
}

function rulesFor(
  type: string,
  action: ResourceChangeAnalysis['action'],
  before: any,
  after: any,
  changes: AttributeChange[],
): Risky[] {
  const found: Risky[] = [];
  const add = (risk: RiskLevel, reason: string) => found.push({ risk, reason });
  const store = DATA_STORES[type];
  if (action === 'delete' || action === 'replace') {
    const verb =
      action === 'delete' ? 'deletes' : 'replaces (deletes and creates)';
    if (store) add('critical', `${verb} ${store}`);
    else if (type === 'aws_cloudtrail')
      add('critical', `${verb} an audit trail`);
    else add(action === 'delete' ? 'high' : 'medium', `${verb} the resource`);
  }
  if (type.startsWith('aws_iam_') && action !== 'no-op' && action !== 'read') {
    if (grantsEveryAction(after)) {
      add('critical', 'grants every action ("Action": "*")');
    } else {
      add('high', 'changes IAM: who may do what');
    }
  }
  if (/security_group/.test(type) && after) {
    const now = openings(after.ingress ?? (after.cidr_blocks ? [after] : []));
    const was = new Set(
      openings(before?.ingress ?? (before?.cidr_blocks ? [before] : [])).map(
        o => o.port,
      ),
    );
    for (const o of now.filter(x => !was.has(x.port))) {
      add(
        o.admin ? 'critical' : 'high',
        `opens ${o.port} to the internet (0.0.0.0/0)`,
      );
    }
  }
  if (
    before?.publicly_accessible === false &&
    after?.publicly_accessible === true
  )
    add('critical', 'makes a database reachable from the internet');
  if (type === 'aws_s3_bucket_public_access_block' && before && after) {
    const off = [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ].filter(k => before[k] === true && after[k] === false);
    if (off.length)
      add('high', `turns off public access blocking (${off.join(', ')})`);
  }
  for (const c of changes) {
    const key = lastKey(c.path);
    if (/encrypt/i.test(key) && c.before === true && c.after === false)
      add('high', `turns encryption off (${c.path})`);
    if (/kms_key|kms_master_key/i.test(key) && c.before && !c.after)
      add('high', `removes the encryption key (${c.path})`);
    if (key === 'enable_logging' && c.before === true && c.after === false)
      add('critical', 'turns audit logging off');
    else if (
      /logging|log_file_validation/i.test(key) &&
      c.before === true &&
      c.after === false
    )
      add('high', `turns logging off (${c.path})`);
  }
  if (
    (action === 'delete' || action === 'replace') &&
    /server_side_encryption|_logging$/.test(type)
  ) {
    add(
      'high',
      /logging/.test(type) ? 'removes logging' : 'removes encryption',
    );
  }
  if (found.length === 0) {
    const tagsOnly =
      changes.length > 0 &&
      changes.every(c => /^tags(_all)?(\.|$)/.test(c.path));
    if (action === 'update' && tagsOnly) add('low', 'changes tags only');
    else if (action === 'update') add('low', 'updates the resource in place');
    else if (action === 'create') add('low', 'creates the resource');
  }
  return found;
}

/**
 * True when a policy document in `value` (an object, or JSON text such as an IAM resource's
 * `policy` attribute) has a statement whose Action is "*". Policy text is parsed (linear), and
 * text inside parsed text is not parsed again.
 */
function grantsEveryAction(value: unknown, parsed = false, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'string') {
    const text = value.trimStart();
    if (parsed || !(text.startsWith('{') || text.startsWith('['))) return false;
    try {
      return grantsEveryAction(JSON.parse(text), true, depth + 1);
    } catch {
      return false;
    }
  }
  if (Array.isArray(value))
    return value.some(v => grantsEveryAction(v, parsed, depth + 1));
  if (!isObject(value)) return false;
  const action = value.Action;
  if (action === '*' || (Array.isArray(action) && action.includes('*')))
    return true;
  return Object.values(value).some(v =>
    grantsEveryAction(v, parsed, depth + 1),
  );
}

function analyzeOne(r: RawResourceChange): ResourceChangeAnalysis {
  const action = actionOf(r.change.actions);
  const changes =
    action === 'no-op' || action === 'read' ? [] : diffAttributes(r.change);
  // The rules see values as a reader may: what Terraform marked sensitive is masked, so that no
  // reason quotes it.
  const found = rulesFor(
    r.type,
    action,
    isObject(r.change.before)
      ? (maskMarked(r.change.before, r.change.before_sensitive) as any)
      : undefined,
    isObject(r.change.after)
      ? (maskMarked(r.change.after, r.change.after_sensitive) as any)
      : undefined,
    changes,
  );
  const risk = found.reduce<RiskLevel>(
    (acc, f) => maxRisk(acc, f.risk),
    'none',
  );
  // Worst reason first, then as found.
  const reasons = [...found]
    .sort((a, b) => RISK_LEVELS.indexOf(b.risk) - RISK_LEVELS.indexOf(a.risk))
    .map(f => f.reason);
  return { address: r.address, type: r.type, action, changes, risk, reasons };
}

const byRisk = (a: { risk: RiskLevel; address: string }, b: typeof a) =>
  RISK_LEVELS.indexOf(b.risk) - RISK_LEVELS.indexOf(a.risk) ||
  a.address.localeCompare(b.address);

/**
 * Analyses a plan: each drifted resource (from `resource_drift`, and every change of a
 * refresh-only plan) and each planned change with its attribute differences, risk and reasons;
 * then a deterministic summary.
 */
export function analyzePlan(plan: Plan): PlanAnalysis {
  const managed = (list?: RawResourceChange[]) =>
    (list ?? []).filter(r => r.mode !== 'data');
  const drift = managed(plan.resource_drift).map(analyzeOne).sort(byRisk);
  const changes = managed(plan.resource_changes).map(analyzeOne);
  const counts = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    read: 0,
    noop: 0,
  };
  for (const c of changes) {
    if (c.action === 'no-op') counts.noop += 1;
    else counts[c.action] += 1;
  }
  const changed = changes.filter(
    c => c.action !== 'no-op' && c.action !== 'read',
  );
  const all = [
    ...drift.map(d => ({ ...d, drift: true })),
    ...changed.map(c => ({ ...c, drift: false })),
  ].sort(byRisk);
  const risk = all.reduce<RiskLevel>((acc, r) => maxRisk(acc, r.risk), 'none');
  const reasons: string[] = [];
  for (const r of all) {
    for (const why of r.reasons) {
      const line = `${r.address}${r.drift ? ' (drift)' : ''}: ${why}`;
      if (r.risk !== 'low' && r.risk !== 'none' && !reasons.includes(line))
        reasons.push(line);
    }
  }
  const text = [
    `Terraform ${plan.terraform_version ?? 'unknown'}, plan format ${
      plan.format_version
    }`,
    `Changes: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.replace} to replace (${counts.noop} unchanged)`,
    drift.length
      ? `Drift: ${drift.length} resource${
          drift.length === 1 ? '' : 's'
        } changed outside Terraform (${drift
          .slice(0, 10)
          .map(d => d.address)
          .join(', ')}${drift.length > 10 ? ', …' : ''})`
      : 'Drift: none',
    `Risk: ${risk}`,
    ...(reasons.length
      ? ['Why:', ...reasons.slice(0, 20).map(r => `- ${r}`)]
      : []),
  ].join('\n');
  return {
    drift,
    changes: changed,
    summary: {
      formatVersion: plan.format_version,
      ...(plan.terraform_version
        ? { terraformVersion: plan.terraform_version }
        : {}),
      counts,
      drifted: drift.length,
      risk,
      reasons,
      resources: all.slice(0, MAX_SUMMARY_RESOURCES).map(r => ({
        address: r.address,
        type: r.type,
        action: r.action,
        risk: r.risk,
        reasons: r.reasons,
        drift: r.drift,
      })),
      text,
    },
  };
}

/** A plan read and analysed: what is stored of it. */
export type AnalysedPlan = {
  formatVersion: string;
  terraformVersion?: string;
  sha256: string;
  analysis: PlanAnalysis;
};

/** Reads, hashes and analyses a plan's text (what the worker thread does for uploads). */
export function analyzePlanText(text: string): AnalysedPlan {
  const plan = parsePlan(text);
  return {
    formatVersion: plan.format_version,
    ...(plan.terraform_version
      ? { terraformVersion: plan.terraform_version }
      : {}),
    sha256: planHashOf(plan),
    analysis: analyzePlan(plan),
  };
}
