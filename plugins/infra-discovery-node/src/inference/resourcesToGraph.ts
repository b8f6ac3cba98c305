import {
  Asset,
  assetId,
  Edge,
  EDGE_TYPES,
  EdgeType,
  INTERNET_ASSET_ID,
  internetAsset,
  normaliseTags,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  REDACTED,
  redactSecrets,
} from '@infra-hub/plugin-infra-security-common';
import { Arn, parseArn } from './arn';
import { inferAws } from './aws';
import { azureLocation, azureSubscriptionOf, inferAzure } from './azure';
import { InferenceContext, InferenceEntry } from './common';
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
  sensitive: readonly string[],
): Record<string, unknown> {
  // Marked sensitive: gone whole; the rest: secrets by name or shape at any depth.
  const out: Record<string, unknown> = {};
  for (const k in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
    const v = attrs[k];
    out[k] =
      sensitive.length && sensitive.includes(k) && v !== null && v !== ''
        ? REDACTED
        : redactSecrets(v, k);
  }
  return out;
}

/** Where resources are when they do not say: the most common account, region, project, … */
function defaultsOf(
  records: ResourceRecord[],
  arns: Array<Arn | undefined>,
  defaultAccount?: string,
) {
  // One pass, counting (no intermediate lists: this runs on every resource of an estate).
  const counter = () => {
    const counts = new Map<string, number>();
    return {
      add(v: unknown) {
        if (typeof v === 'string' && v) counts.set(v, (counts.get(v) ?? 0) + 1);
      },
      top: () => mostCommonCount(counts),
    };
  };
  const accounts = counter();
  const subscriptions = counter();
  const locations = counter();
  const projects = counter();
  const regions = counter();
  for (let i = 0; i < records.length; i++) {
    const a = records[i].attributes;
    const arn = arns[i];
    if (arn) accounts.add(arn.account);
    subscriptions.add(azureSubscriptionOf(a.id));
    if (typeof a.location === 'string')
      locations.add(azureLocation(a.location));
    projects.add(a.project);
  }
  // Regions of ARNs first, then regions by attribute (the first seen wins a tie).
  for (const arn of arns) if (arn) regions.add(arn.region);
  for (const r of records) regions.add(r.attributes.region);
  return {
    account: defaultAccount ?? accounts.top()?.[0] ?? '-',
    // Azure resources carry their subscription in their id; Google ones their project.
    subscription: subscriptions.top()?.[0] ?? '-',
    location: locations.top()?.[0] ?? 'global',
    project: projects.top()?.[0] ?? '-',
    region: regions.top()?.[0] ?? '-',
  };
}

/** The most frequent key of `counts` (ties: the first seen) with its count. */
function mostCommonCount(
  counts: Map<string, number>,
): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best;
}

/** Where one resource lives: its native id, account (subscription, project) and region. */
function placeOf(
  r: ResourceRecord,
  arn: Arn | undefined,
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

/** The attribute each lookup kind reads (`id:<type>` and `name:<type>` read `id` and `name`). */
const INDEXED_BY: Record<string, string> = {
  arn: 'arn',
  bucket: 'bucket',
  function: 'function_name',
  kms: 'key_id',
};
/** The resource type a lookup kind covers (`arn` covers every resource). */
const INDEXED_TYPE: Record<string, string> = {
  bucket: 'aws_s3_bucket',
  function: 'aws_lambda_function',
  kms: 'aws_kms_key',
};

/** Ends numbered below this make numeric edge keys (2^21, two million assets). */
const NUMBERED_ENDS = 2097152;
/** A small number per edge type (its place in EDGE_TYPES; unknown types after them). */
const EDGE_TYPE_NUMBERS = new Map<string, number>(
  EDGE_TYPES.map((type, i) => [type, i]),
);
const edgeTypeNumber = (type: string) => EDGE_TYPE_NUMBERS.get(type);

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
  const arns = records.map(r => parseArn(r.attributes.arn));
  const defaults = defaultsOf(records, arns, options.defaultAccount);
  const assets = new Map<string, Asset>();
  const byAddress = new Map<string, string[]>();
  const entries: Array<InferenceEntry & { record: ResourceRecord }> = [];
  const entriesByType = new Map<string, InferenceEntry[]>();

  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const attrs = record.attributes;
    const place = placeOf(record, arns[i], defaults);
    const id = assetId({
      provider: record.provider,
      account: place.account,
      region: place.region,
      type: record.type,
      nativeId: place.nativeId,
    });
    // AWS and Azure tags, Google labels and network tags, in whatever shape they come.
    const tags = redactSecrets(
      attrs.labels === undefined
        ? normaliseTags(attrs.tags)
        : { ...normaliseTags(attrs.tags), ...normaliseTags(attrs.labels) },
    ) as Record<string, string>;
    assets.set(id, {
      id,
      provider: record.provider,
      account: place.account,
      region: place.region,
      type: record.type,
      nativeId: place.nativeId,
      name: nameOf(record, tags),
      tags,
      attributes: redact(attrs, record.sensitive ?? []),
      ...(record.address
        ? {
            source: {
              address: record.address,
              ...(record.module ? { module: record.module } : {}),
            },
          }
        : {}),
    });
    if (record.addressBase) {
      const same = byAddress.get(record.addressBase);
      if (same) same.push(id);
      else byAddress.set(record.addressBase, [id]);
    }
    entries.push({ type: record.type, id, attrs, record });
    const ofType = entriesByType.get(record.type);
    if (ofType) ofType.push(entries[entries.length - 1]);
    else entriesByType.set(record.type, [entries[entries.length - 1]]);
  }

  const edges: Edge[] = [];
  const warnings: string[] = [];
  // An edge is its ends and type; the ends numbered so that the key is a number (a string key
  // per edge made a third of this function's garbage on large estates).
  const numbers = new Map<string, number>();
  const numberOf = (id: string) => {
    let n = numbers.get(id);
    if (n === undefined) numbers.set(id, (n = numbers.size));
    return n;
  };
  const edgeKeys = new Set<number>();
  const wideKeys = new Set<string>();
  const edge = (
    from: string | undefined,
    to: string | undefined,
    type: EdgeType,
    details?: Record<string, unknown>,
  ) => {
    if (!from || !to || from === to) return;
    const f = numberOf(from);
    const t = numberOf(to);
    const kind = edgeTypeNumber(type);
    if (kind !== undefined && f < NUMBERED_ENDS && t < NUMBERED_ENDS) {
      // f·2^26 + t·2^5 + kind < 2^53: exact in a double.
      const key = f * 67108864 + t * 32 + kind;
      if (edgeKeys.has(key)) return;
      edgeKeys.add(key);
    } else {
      const key = `${f}|${t}|${type}`;
      if (wideKeys.has(key)) return;
      wideKeys.add(key);
    }
    edges.push(details ? { from, to, type, details } : { from, to, type });
  };

  addModules(entries, assets, edge, defaults);

  // The value → asset indexes the inference looks things up in, each built once, when first
  // needed, over the resources it covers (the last resource with a value wins).
  const indexes = new Map<string, Map<string, string>>();
  const indexOf = (kind: string): Map<string, string> => {
    let index = indexes.get(kind);
    if (index) return index;
    const [what, type] = kind.includes(':')
      ? (kind.split(':', 2) as [string, string])
      : [kind, INDEXED_TYPE[kind]];
    const over = type === undefined ? entries : entriesByType.get(type) ?? [];
    const attribute =
      what === 'id' || what === 'name' ? what : INDEXED_BY[what];
    index = new Map();
    if (attribute) {
      for (const e of over) {
        const value = e.attrs[attribute];
        if (typeof value === 'string' && value) index.set(value, e.id);
      }
    }
    indexes.set(kind, index);
    return index;
  };
  const context: InferenceContext = {
    entries,
    edge,
    lookup: (kind, value) =>
      typeof value === 'string' ? indexOf(kind).get(value) : undefined,
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
  // A module's path → the asset ids of it and its parents, outermost first (made once).
  const chains = new Map<string, string[]>();
  const chainOf = (module: string) => {
    let chain = chains.get(module);
    if (chain) return chain;
    // module.a.module.b → [module.a, module.a.module.b]
    const segments = module.split('.');
    chain = [];
    for (let i = 1; i < segments.length; i += 2) {
      const path = segments.slice(0, i + 1).join('.');
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
      if (chain.length) edge(chain[chain.length - 1], mid, 'contains');
      chain.push(mid);
    }
    chains.set(module, chain);
    return chain;
  };
  for (const { record, id } of entries) {
    if (!record.module) continue;
    const chain = chainOf(record.module);
    if (chain.length) edge(chain[chain.length - 1], id, 'contains');
  }
}
