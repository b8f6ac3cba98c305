import {
  Asset,
  assetId,
  Edge,
  EdgeType,
  INTERNET_ASSET_ID,
  internetAsset,
  normaliseTags,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  REDACTED,
  redactSecrets,
} from '@infra-hub/plugin-infra-security-common';
import {
  azureLocation,
  azureSubscriptionOf,
  inferAzure,
  inferGoogle,
} from './cloudFamilies';
import { StateV4 } from './readState';

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]*):([a-z0-9-]*):(\d*):(.+)$/;

type Resource = StateV4['resources'][number];
type Instance = Resource['instances'][number];

/** `provider["registry.terraform.io/hashicorp/aws"]`, `provider.aws`, with aliases → `aws`. */
export function providerName(provider: string): string {
  const quoted = /provider\["([^"]+)"\]/.exec(provider);
  if (quoted) return quoted[1].split('/').pop()!;
  const legacy = /provider\.([a-z0-9_-]+)/.exec(provider);
  return legacy ? legacy[1] : 'unknown';
}

function parseArn(value: unknown) {
  if (typeof value !== 'string') return undefined;
  const m = ARN.exec(value);
  return m
    ? {
        partition: m[1],
        service: m[2],
        region: m[3],
        account: m[4],
        resource: m[5],
      }
    : undefined;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function sensitiveNames(instance: Instance): Set<string> {
  const names = new Set<string>();
  for (const path of instance.sensitive_attributes ?? []) {
    const first = Array.isArray(path) ? path[0] : undefined;
    if (
      first &&
      typeof first === 'object' &&
      typeof (first as any).value === 'string'
    ) {
      names.add((first as any).value);
    }
  }
  return names;
}

function redact(
  attrs: Record<string, unknown>,
  sensitive: Set<string>,
): Record<string, unknown> {
  // Marked sensitive by Terraform: gone whole; the rest: secrets by name or shape at any depth.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] =
      sensitive.has(k) && v !== null && v !== ''
        ? REDACTED
        : redactSecrets(v, k);
  }
  return out;
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

function policyStatements(doc: unknown): Array<{
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

const isPublicPrincipal = (p: unknown) =>
  p === '*' ||
  (typeof p === 'object' &&
    p !== null &&
    asStrings((p as any).AWS).includes('*'));

export type StateGraph = {
  assets: Asset[];
  edges: Edge[];
  /** References the graph could not resolve (e.g. a role defined in another state). */
  warnings: string[];
};

/**
 * Turns a state file into assets and the relationships that matter for security. Managed
 * resources become assets (data sources do not), modules become `terraform_module` assets that
 * contain their resources, and relationships are read from attribute values: the role a function
 * or instance profile runs as, policy attachments, what policies grant access to, KMS keys,
 * CloudTrail and access-log destinations, security groups, subnets and VPCs, ingress from the
 * internet, and Terraform's own recorded dependencies. Values marked sensitive, and any attribute
 * whose name says it is a secret, are replaced by "(sensitive)".
 */
export function stateToGraph(
  state: StateV4,
  options: {
    /** The account of resources whose ARN names none (S3); by default the most common one. */
    defaultAccount?: string;
  } = {},
): StateGraph {
  const managed = state.resources.filter(r => r.mode !== 'data');
  const allAttrs = managed.flatMap(r =>
    r.instances.map(i => i.attributes ?? {}),
  );
  const arns = allAttrs.map(a => parseArn(a.arn)).filter(Boolean);
  const defaultAccount =
    options.defaultAccount ?? mostCommon(arns.map(a => a!.account)) ?? '-';
  // Azure resources carry their subscription in their id; Google ones their project.
  const defaultSubscription =
    mostCommon(
      allAttrs.map(a => azureSubscriptionOf(a.id)).filter(Boolean) as string[],
    ) ?? '-';
  const defaultLocation =
    mostCommon(allAttrs.map(a => azureLocation(a.location))) ?? 'global';
  const defaultProject =
    mostCommon(
      allAttrs.map(a => (typeof a.project === 'string' ? a.project : '')),
    ) ?? '-';
  const defaultRegion =
    mostCommon([
      ...arns.map(a => a!.region),
      ...allAttrs.map(a => (typeof a.region === 'string' ? a.region : '')),
    ]) ?? '-';

  const assets = new Map<string, Asset>();
  const byAddress = new Map<string, string[]>();
  const index = new Map<string, string>(); // `${kind}:${value}` → asset id
  const remember = (kind: string, value: unknown, id: string) => {
    if (typeof value === 'string' && value) index.set(`${kind}:${value}`, id);
  };
  const lookup = (kind: string, value: unknown) =>
    typeof value === 'string' ? index.get(`${kind}:${value}`) : undefined;
  const entries: Array<{
    resource: Resource;
    id: string;
    attrs: Record<string, unknown>;
    address: string;
  }> = [];

  for (const resource of managed) {
    const provider = providerName(resource.provider);
    resource.instances.forEach(instance => {
      const attrs = instance.attributes ?? {};
      const key = instance.index_key;
      const base = `${resource.module ? `${resource.module}.` : ''}${
        resource.type
      }.${resource.name}`;
      const address =
        key === undefined
          ? base
          : `${base}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
      const arn = parseArn(attrs.arn);
      let nativeId = String(attrs.arn ?? attrs.id ?? address);
      let account = arn?.account || (provider === 'aws' ? defaultAccount : '-');
      // IAM is global; other ARNs without a region (S3) take the state's region.
      let fallbackRegion = provider === 'aws' ? defaultRegion : '-';
      if (arn?.service === 'iam') fallbackRegion = 'global';
      let region =
        (typeof attrs.region === 'string' && attrs.region) ||
        arn?.region ||
        fallbackRegion;
      if (provider === 'azurerm') {
        account = azureSubscriptionOf(attrs.id) ?? defaultSubscription;
        region = azureLocation(attrs.location) || defaultLocation;
      } else if (provider === 'google') {
        nativeId = String(attrs.self_link ?? attrs.id ?? address);
        account =
          (typeof attrs.project === 'string' && attrs.project) ||
          defaultProject;
        region =
          [attrs.region, attrs.zone, attrs.location]
            .find((v): v is string => typeof v === 'string' && v !== '')
            ?.toLowerCase() ?? 'global';
      }
      const id = assetId({
        provider,
        account,
        region,
        type: resource.type,
        nativeId,
      });
      // AWS and Azure tags, Google labels and network tags, in whatever shape they come.
      const tags = redactSecrets({
        ...normaliseTags(attrs.tags),
        ...normaliseTags(attrs.labels),
      }) as Record<string, string>;
      const name = String(
        (resource.type === 'google_service_account'
          ? attrs.email
          : undefined) ??
          tags.Name ??
          attrs.name ??
          attrs.bucket ??
          attrs.function_name ??
          attrs.identifier ??
          (resource.type === 'aws_kms_key' ? attrs.description : undefined) ??
          attrs.id ??
          address,
      );
      assets.set(id, {
        id,
        provider,
        account,
        region,
        type: resource.type,
        nativeId,
        name,
        tags,
        attributes: redact(attrs, sensitiveNames(instance)),
        source: {
          address,
          ...(resource.module ? { module: resource.module } : {}),
        },
      });
      byAddress.set(base, [...(byAddress.get(base) ?? []), id]);
      entries.push({ resource, id, attrs, address });
      remember('arn', attrs.arn, id);
      remember(`id:${resource.type}`, attrs.id, id);
      remember(`name:${resource.type}`, attrs.name, id);
      if (resource.type === 'aws_s3_bucket')
        remember('bucket', attrs.bucket, id);
      if (resource.type === 'aws_lambda_function')
        remember('function', attrs.function_name, id);
      if (resource.type === 'aws_kms_key') remember('kms', attrs.key_id, id);
    });
  }

  // Modules as assets, containing their resources and their child modules.
  const edges: Edge[] = [];
  const edgeKeys = new Set<string>();
  const warnings: string[] = [];
  const edge = (
    from: string | undefined,
    to: string | undefined,
    type: EdgeType,
    details?: Record<string, unknown>,
  ) => {
    if (!from || !to || from === to) return;
    const key = `${from}|${type}|${to}`;
    if (edgeKeys.has(key)) return;
    edgeKeys.add(key);
    edges.push(details ? { from, to, type, details } : { from, to, type });
  };
  const moduleId = (path: string) =>
    assetId({
      provider: 'terraform',
      account: defaultAccount,
      region: defaultRegion,
      type: 'terraform_module',
      nativeId: path,
    });
  for (const { resource, id } of entries) {
    if (!resource.module) continue;
    // module.a.module.b → [module.a, module.a.module.b]
    const segments = resource.module.split('.');
    const parts: string[] = [];
    for (let i = 1; i < segments.length; i += 2)
      parts.push(segments.slice(0, i + 1).join('.'));
    parts.forEach((path, i) => {
      const mid = moduleId(path);
      if (!assets.has(mid)) {
        assets.set(mid, {
          id: mid,
          provider: 'terraform',
          account: defaultAccount,
          region: defaultRegion,
          type: 'terraform_module',
          nativeId: path,
          name: path,
          tags: {},
          attributes: {},
          source: { address: path },
        });
      }
      if (i > 0) edge(moduleId(parts[i - 1]), mid, 'contains');
    });
    edge(moduleId(parts[parts.length - 1]), id, 'contains');
  }

  const resolveKey = (value: unknown) =>
    lookup('arn', value) ?? lookup('kms', value);
  const buckets = (name: unknown) => lookup('bucket', name);
  const policiesByBucket = new Map<string, string[]>();
  const publicAccessAllowed = new Set<string>();

  for (const { resource, id, attrs } of entries) {
    const t = resource.type;
    switch (t) {
      case 'aws_lambda_function':
        edge(id, lookup('arn', attrs.role), 'executes_as', {
          attribute: 'role',
        });
        edge(id, resolveKey(attrs.kms_key_arn), 'encrypted_by', {
          attribute: 'kms_key_arn',
        });
        break;
      case 'aws_lambda_function_url': {
        const fn = lookup('function', attrs.function_name);
        edge(id, fn, 'attached_to', { attribute: 'function_name' });
        if (attrs.authorization_type === 'NONE') {
          edge(INTERNET_ASSET_ID, fn, 'internet_ingress', {
            via: 'function URL without authorization',
          });
        }
        break;
      }
      case 'aws_iam_instance_profile':
        edge(id, lookup('name:aws_iam_role', attrs.role), 'executes_as', {
          attribute: 'role',
        });
        break;
      case 'aws_instance':
        edge(
          id,
          lookup('name:aws_iam_instance_profile', attrs.iam_instance_profile),
          'executes_as',
          { attribute: 'iam_instance_profile' },
        );
        edge(lookup('id:aws_subnet', attrs.subnet_id), id, 'contains', {
          attribute: 'subnet_id',
        });
        for (const sg of asStrings(attrs.vpc_security_group_ids)) {
          edge(id, lookup('id:aws_security_group', sg), 'depends_on', {
            attribute: 'vpc_security_group_ids',
          });
        }
        break;
      case 'aws_iam_role_policy_attachment': {
        const role = lookup('name:aws_iam_role', attrs.role);
        const policy = lookup('arn', attrs.policy_arn);
        if (role && policy)
          edge(policy, role, 'attached_to', {
            via: 'aws_iam_role_policy_attachment',
          });
        else if (role && typeof attrs.policy_arn === 'string') {
          warnings.push(
            `${attrs.policy_arn} (attached to ${attrs.role}) is not in this state`,
          );
        }
        edge(id, role, 'attached_to');
        break;
      }
      case 'aws_iam_policy':
      case 'aws_iam_role_policy': {
        for (const s of policyStatements(attrs.policy)) {
          if (s.effect !== 'Allow') continue;
          for (const r of s.resources) {
            const target =
              lookup('arn', r) ??
              lookup('arn', r.replace(/\/\*$/, '')) ??
              lookup('arn', r.replace(/\/.*$/, ''));
            edge(
              t === 'aws_iam_policy'
                ? id
                : lookup('name:aws_iam_role', attrs.role),
              target,
              'can_access',
              {
                actions: s.actions,
              },
            );
          }
        }
        break;
      }
      case 'aws_s3_bucket_server_side_encryption_configuration': {
        const bucket = buckets(attrs.bucket);
        const rules = Array.isArray(attrs.rule) ? attrs.rule : [];
        for (const rule of rules as any[]) {
          for (const d of rule?.apply_server_side_encryption_by_default ?? []) {
            edge(bucket, resolveKey(d?.kms_master_key_id), 'encrypted_by', {
              via: t,
            });
          }
        }
        edge(id, bucket, 'attached_to');
        break;
      }
      case 'aws_s3_bucket_public_access_block':
        edge(id, buckets(attrs.bucket), 'attached_to');
        if (
          attrs.block_public_policy === false &&
          attrs.restrict_public_buckets === false
        ) {
          const b = buckets(attrs.bucket);
          if (b) publicAccessAllowed.add(b);
        }
        break;
      case 'aws_s3_bucket_policy': {
        const bucket = buckets(attrs.bucket);
        edge(id, bucket, 'attached_to');
        if (bucket)
          policiesByBucket.set(bucket, [
            ...(policiesByBucket.get(bucket) ?? []),
            String(attrs.policy ?? ''),
          ]);
        break;
      }
      case 'aws_s3_bucket_logging':
        edge(buckets(attrs.bucket), buckets(attrs.target_bucket), 'logs_to', {
          via: 'S3 access logs',
        });
        break;
      case 'aws_cloudtrail':
        edge(id, buckets(attrs.s3_bucket_name), 'logs_to', {
          attribute: 's3_bucket_name',
        });
        edge(id, resolveKey(attrs.kms_key_id), 'encrypted_by', {
          attribute: 'kms_key_id',
        });
        break;
      case 'aws_db_instance':
        edge(id, resolveKey(attrs.kms_key_id), 'encrypted_by', {
          attribute: 'kms_key_id',
        });
        for (const sg of asStrings(attrs.vpc_security_group_ids)) {
          edge(id, lookup('id:aws_security_group', sg), 'depends_on', {
            attribute: 'vpc_security_group_ids',
          });
        }
        if (attrs.publicly_accessible === true)
          edge(INTERNET_ASSET_ID, id, 'internet_ingress', {
            via: 'publicly_accessible',
          });
        break;
      case 'aws_kms_alias':
        edge(
          id,
          resolveKey(attrs.target_key_arn) ?? resolveKey(attrs.target_key_id),
          'attached_to',
        );
        break;
      case 'aws_security_group': {
        edge(lookup('id:aws_vpc', attrs.vpc_id), id, 'contains', {
          attribute: 'vpc_id',
        });
        const open = (Array.isArray(attrs.ingress) ? attrs.ingress : [])
          .filter(
            (r: any) =>
              asStrings(r?.cidr_blocks).includes('0.0.0.0/0') ||
              asStrings(r?.ipv6_cidr_blocks).includes('::/0'),
          )
          .map((r: any) =>
            r.from_port === r.to_port
              ? `${r.from_port}/${r.protocol}`
              : `${r.from_port}-${r.to_port}/${r.protocol}`,
          );
        if (open.length)
          edge(INTERNET_ASSET_ID, id, 'internet_ingress', { ports: open });
        break;
      }
      case 'aws_subnet':
        edge(lookup('id:aws_vpc', attrs.vpc_id), id, 'contains', {
          attribute: 'vpc_id',
        });
        break;
      default:
        break;
    }
  }

  // A bucket whose public-access block allows it and whose policy lets anyone in.
  for (const [bucket, policies] of policiesByBucket) {
    const publicPolicy = policies.some(p =>
      policyStatements(p).some(
        s => s.effect === 'Allow' && isPublicPrincipal(s.principal),
      ),
    );
    if (publicPolicy && publicAccessAllowed.has(bucket)) {
      edge(INTERNET_ASSET_ID, bucket, 'internet_ingress', {
        via: 'bucket policy allows Principal "*"',
      });
    }
  }

  // Azure and Google: who runs as whom, what identities reach, what the internet reaches.
  const context = {
    entries: entries.map(e => ({
      type: e.resource.type,
      id: e.id,
      attrs: e.attrs,
    })),
    edge,
  };
  inferAzure(context);
  inferGoogle(context);

  // Terraform's own record of what each resource depends on.
  for (const { resource, id } of entries) {
    for (const instance of resource.instances) {
      for (const dep of instance.dependencies ?? []) {
        for (const target of byAddress.get(dep.replace(/\[[^\]]*\]$/, '')) ??
          []) {
          edge(id, target, 'depends_on', { via: 'terraform dependencies' });
        }
      }
    }
  }

  if (edges.some(e => e.from === INTERNET_ASSET_ID)) {
    assets.set(INTERNET_ASSET_ID, internetAsset());
  }
  return { assets: [...assets.values()], edges, warnings };
}
