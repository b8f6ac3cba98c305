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
import { parseArn } from './arn';
import { inferAws } from './aws';
import { azureLocation, azureSubscriptionOf, inferAzure } from './azure';
import { InferenceContext, InferenceEntry, mostCommon } from './common';
import { inferGoogle } from './google';

/**
 * One resource, in the shape Terraform's providers record it (type and attributes), whether it
 * was read from a state file or from a cloud API.
 *
 * @public
 */
export type ResourceRecord = {
  /** The provider's short name: `aws`, `azurerm`, `google`, … */
  provider: string;
  /** The resource type, e.g. `aws_s3_bucket`. */
  type: string;
  attributes: Record<string, unknown>;
  /** Where the resource is declared (Terraform address with its index); none for live resources. */
  address?: string;
  /** The module that declares it (`module.a.module.b`). */
  module?: string;
  /** The address without its index: what other resources' dependencies name. */
  addressBase?: string;
  /** Addresses Terraform recorded this resource as depending on. */
  dependsOn?: string[];
  /** Attribute names the provider marked sensitive (their values are never kept). */
  sensitive?: string[];
};

/** Assets, edges and what could not be resolved. @public */
export type InferredGraph = {
  assets: Asset[];
  edges: Edge[];
  /** References the graph could not resolve (e.g. a role defined in another state). */
  warnings: string[];
};

function redact(
  attrs: Record<string, unknown>,
  sensitive: ReadonlySet<string>,
): Record<string, unknown> {
  // Marked sensitive: gone whole; the rest: secrets by name or shape at any depth.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] =
      sensitive.has(k) && v !== null && v !== ''
        ? REDACTED
        : redactSecrets(v, k);
  }
  return out;
}

/** Where resources are when they do not say: the most common account, region, project, … */
function defaultsOf(records: ResourceRecord[], defaultAccount?: string) {
  const allAttrs = records.map(r => r.attributes);
  const arns = allAttrs.map(a => parseArn(a.arn)).filter(a => a !== undefined);
  return {
    account: defaultAccount ?? mostCommon(arns.map(a => a.account)) ?? '-',
    // Azure resources carry their subscription in their id; Google ones their project.
    subscription:
      mostCommon(
        allAttrs
          .map(a => azureSubscriptionOf(a.id))
          .filter((s): s is string => Boolean(s)),
      ) ?? '-',
    location:
      mostCommon(allAttrs.map(a => azureLocation(a.location))) ?? 'global',
    project:
      mostCommon(
        allAttrs.map(a => (typeof a.project === 'string' ? a.project : '')),
      ) ?? '-',
    region:
      mostCommon([
        ...arns.map(a => a.region),
        ...allAttrs.map(a => (typeof a.region === 'string' ? a.region : '')),
      ]) ?? '-',
  };
}

/** Where one resource lives: its native id, account (subscription, project) and region. */
function placeOf(
  r: ResourceRecord,
  defaults: ReturnType<typeof defaultsOf>,
): { nativeId: string; account: string; region: string } {
  const attrs = r.attributes;
  const fallbackId = r.address ?? r.type;
  if (r.provider === 'azurerm') {
    return {
      nativeId: String(attrs.arn ?? attrs.id ?? fallbackId),
      account: azureSubscriptionOf(attrs.id) ?? defaults.subscription,
      region: azureLocation(attrs.location) || defaults.location,
    };
  }
  if (r.provider === 'google') {
    return {
      nativeId: String(attrs.self_link ?? attrs.id ?? fallbackId),
      account:
        (typeof attrs.project === 'string' && attrs.project) ||
        defaults.project,
      region:
        [attrs.region, attrs.zone, attrs.location]
          .find((v): v is string => typeof v === 'string' && v !== '')
          ?.toLowerCase() ?? 'global',
    };
  }
  const arn = parseArn(attrs.arn);
  const aws = r.provider === 'aws';
  // IAM is global; other ARNs without a region (S3) take the estate's region.
  let fallbackRegion = aws ? defaults.region : '-';
  if (arn?.service === 'iam') fallbackRegion = 'global';
  return {
    nativeId: String(attrs.arn ?? attrs.id ?? fallbackId),
    account: arn?.account || (aws ? defaults.account : '-'),
    region:
      (typeof attrs.region === 'string' && attrs.region) ||
      arn?.region ||
      fallbackRegion,
  };
}

/** The name people know a resource by. */
function nameOf(r: ResourceRecord, tags: Record<string, string>): string {
  const attrs = r.attributes;
  return String(
    (r.type === 'google_service_account' ? attrs.email : undefined) ??
      tags.Name ??
      attrs.name ??
      attrs.bucket ??
      attrs.function_name ??
      attrs.identifier ??
      (r.type === 'aws_kms_key' ? attrs.description : undefined) ??
      attrs.id ??
      r.address ??
      r.type,
  );
}

/**
 * Turns resources into assets and the relationships that matter for security. Each resource
 * becomes an asset; modules become `terraform_module` assets that contain their resources; and
 * relationships are read from attribute values (AWS, Azure and Google, see `aws.ts`, `azure.ts`,
 * `google.ts`) and from the dependencies Terraform recorded. Values marked sensitive, and any
 * attribute whose name or shape says it is a secret, are replaced by "(sensitive)". The state
 * provider and the live AWS provider both describe an estate through this one function, so the
 * same estate reads the same way from either.
 *
 * @public
 */
export function resourcesToGraph(
  records: ResourceRecord[],
  options: {
    /** The account of resources whose ARN names none (S3); by default the most common one. */
    defaultAccount?: string;
  } = {},
): InferredGraph {
  const defaults = defaultsOf(records, options.defaultAccount);
  const assets = new Map<string, Asset>();
  const byAddress = new Map<string, string[]>();
  const index = new Map<string, string>(); // `${kind}:${value}` → asset id
  const remember = (kind: string, value: unknown, id: string) => {
    if (typeof value === 'string' && value) index.set(`${kind}:${value}`, id);
  };
  const entries: Array<InferenceEntry & { record: ResourceRecord }> = [];

  for (const record of records) {
    const attrs = record.attributes;
    const place = placeOf(record, defaults);
    const id = assetId({
      provider: record.provider,
      account: place.account,
      region: place.region,
      type: record.type,
      nativeId: place.nativeId,
    });
    // AWS and Azure tags, Google labels and network tags, in whatever shape they come.
    const tags = redactSecrets({
      ...normaliseTags(attrs.tags),
      ...normaliseTags(attrs.labels),
    }) as Record<string, string>;
    assets.set(id, {
      id,
      provider: record.provider,
      account: place.account,
      region: place.region,
      type: record.type,
      nativeId: place.nativeId,
      name: nameOf(record, tags),
      tags,
      attributes: redact(attrs, new Set(record.sensitive ?? [])),
      ...(record.address
        ? {
            source: {
              address: record.address,
              ...(record.module ? { module: record.module } : {}),
            },
          }
        : {}),
    });
    if (record.addressBase)
      byAddress.set(record.addressBase, [
        ...(byAddress.get(record.addressBase) ?? []),
        id,
      ]);
    entries.push({ type: record.type, id, attrs, record });
    remember('arn', attrs.arn, id);
    remember(`id:${record.type}`, attrs.id, id);
    remember(`name:${record.type}`, attrs.name, id);
    if (record.type === 'aws_s3_bucket') remember('bucket', attrs.bucket, id);
    if (record.type === 'aws_lambda_function')
      remember('function', attrs.function_name, id);
    if (record.type === 'aws_kms_key') remember('kms', attrs.key_id, id);
  }

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

  addModules(entries, assets, edge, defaults);

  const context: InferenceContext = {
    entries,
    edge,
    lookup: (kind, value) =>
      typeof value === 'string' ? index.get(`${kind}:${value}`) : undefined,
    warn: message => warnings.push(message),
  };
  inferAws(context);
  inferAzure(context);
  inferGoogle(context);

  // Terraform's own record of what each resource depends on.
  for (const { record, id } of entries) {
    for (const dep of record.dependsOn ?? []) {
      for (const target of byAddress.get(dep.replace(/\[[^\]]*\]$/, '')) ??
        []) {
        edge(id, target, 'depends_on', { via: 'terraform dependencies' });
      }
    }
  }

  if (edges.some(e => e.from === INTERNET_ASSET_ID)) {
    assets.set(INTERNET_ASSET_ID, internetAsset());
  }
  return { assets: [...assets.values()], edges, warnings };
}

/** Modules as assets, containing their resources and their child modules. */
function addModules(
  entries: Array<InferenceEntry & { record: ResourceRecord }>,
  assets: Map<string, Asset>,
  edge: InferenceContext['edge'],
  defaults: { account: string; region: string },
) {
  const moduleId = (path: string) =>
    assetId({
      provider: 'terraform',
      account: defaults.account,
      region: defaults.region,
      type: 'terraform_module',
      nativeId: path,
    });
  for (const { record, id } of entries) {
    if (!record.module) continue;
    // module.a.module.b → [module.a, module.a.module.b]
    const segments = record.module.split('.');
    const parts: string[] = [];
    for (let i = 1; i < segments.length; i += 2)
      parts.push(segments.slice(0, i + 1).join('.'));
    parts.forEach((path, i) => {
      const mid = moduleId(path);
      if (!assets.has(mid)) {
        assets.set(mid, {
          id: mid,
          provider: 'terraform',
          account: defaults.account,
          region: defaults.region,
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
}
