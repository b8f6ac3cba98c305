/**
 * The relationships of the asset graph. Each edge points from the asset that holds the reference
 * to the asset it names:
 *
 * | type | from → to | e.g. |
 * |---|---|---|
 * | `contains` | container → member | VPC → subnet, subnet → instance, module → resource |
 * | `attached_to` | attachment → what it is attached to | policy → role, URL → function |
 * | `depends_on` | dependant → dependency | instance → security group, Terraform dependencies |
 * | `executes_as` | workload → identity it runs as | function → role, instance → profile → role |
 * | `encrypted_by` | data → key | bucket → KMS key, database → KMS key |
 * | `logs_to` | source → log destination | trail → bucket |
 * | `can_access` | identity or policy → resource it grants access to | policy → bucket, policy → key |
 * | `internet_ingress` | the internet → what it can reach | internet → security group, public bucket |
 *
 * @public
 */
export const EDGE_TYPES = [
  'contains',
  'attached_to',
  'depends_on',
  'executes_as',
  'encrypted_by',
  'logs_to',
  'can_access',
  'internet_ingress',
] as const;

/** @public */
export type EdgeType = (typeof EDGE_TYPES)[number];

/**
 * A discovered asset. `type` is the resource type as Terraform's provider names it
 * (`aws_s3_bucket`), whichever provider discovered it, so that state files and live discovery
 * describe the same thing the same way.
 *
 * @public
 */
export type Asset = {
  /** `<provider>:<account>:<region>:<type>:<id>`, see {@link assetId}. */
  id: string;
  /** The cloud or platform: aws, azurerm, google, kubernetes, ... (`terraform` for modules). */
  provider: string;
  account: string;
  region: string;
  type: string;
  /** The provider's own id of the resource (an ARN where there is one). */
  nativeId: string;
  /** A human name: the Name tag, the resource's name, or its address. */
  name: string;
  tags: Record<string, string>;
  /** The resource's attributes as discovered, secrets excluded. */
  attributes: Record<string, unknown>;
  /** Where it was found, e.g. the Terraform address `module.x.aws_s3_bucket.this`. */
  source?: { address?: string; module?: string };
};

/** @public */
export type Edge = {
  from: string;
  to: string;
  type: EdgeType;
  /** What the edge is based on, e.g. `{ attribute: 'role' }` or `{ ports: '22' }`. */
  details?: Record<string, unknown>;
};

/** The pseudo-asset that stands for the public internet in exposure edges. @public */
export const INTERNET_ASSET_ID = 'internet:-:-:internet:0.0.0.0/0';

/** The asset {@link INTERNET_ASSET_ID} names, for graphs with exposure edges. @public */
export function internetAsset(): Asset {
  return {
    id: INTERNET_ASSET_ID,
    provider: 'internet',
    account: '-',
    region: '-',
    type: 'internet',
    nativeId: '0.0.0.0/0',
    name: 'The internet',
    tags: {},
    attributes: {},
  };
}

/** Segments of an asset id may not contain ':' (ids and ARNs keep theirs in the last one). */
function segment(value: string) {
  return (value || '-').replace(/:/g, '_');
}

/**
 * The stable id of an asset: `<provider>:<account>:<region>:<type>:<id>`. Provider, account,
 * region and type never contain ':'; the last segment is the native id as it is (an ARN keeps
 * its colons), so the id splits unambiguously on the first four colons.
 *
 * @public
 */
export function assetId(parts: {
  provider: string;
  account: string;
  region: string;
  type: string;
  nativeId: string;
}): string {
  return [
    segment(parts.provider),
    segment(parts.account),
    segment(parts.region),
    segment(parts.type),
    parts.nativeId,
  ].join(':');
}

/** The parts of an asset id. @public */
export function parseAssetId(id: string) {
  const [provider, account, region, type, ...rest] = id.split(':');
  if (rest.length === 0) throw new Error(`Not an asset id: '${id}'`);
  return { provider, account, region, type, nativeId: rest.join(':') };
}

/**
 * The events topic on which the discovery backend announces that a run changed a tenant's graph;
 * payload `{ tenantId, sourceId, jobId, changed, gone }`. The catalog module listens to it.
 *
 * @public
 */
export const GRAPH_CHANGED_TOPIC = 'infra-discovery.graph-changed';
