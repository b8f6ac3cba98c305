import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';

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
  if (!value) return '-';
  return value.includes(':') ? value.replace(/:/g, '_') : value;
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

const NAME_LIKE = /^[a-z0-9]+([-_.][a-z0-9]+)*$/;

function tagName(tags: Record<string, string>, keys: string[]) {
  for (const key of keys) {
    const value = tags[key]?.trim().toLowerCase();
    if (value && value.length <= 63 && NAME_LIKE.test(value)) return value;
  }
  return undefined;
}

/**
 * The owner and system an asset's tags name: `Owner`/`owner`/`team`/`Team` (a group name) and
 * `System`/`system` (a system name), lower-cased; a value that is not name-like is ignored. The
 * catalog module and the compliance posture read ownership the same way through this.
 *
 * @public
 */
export function assetTagNames(tags: Record<string, string>): {
  owner?: string;
  system?: string;
} {
  const owner = tagName(tags, ['Owner', 'owner', 'team', 'Team']);
  const system = tagName(tags, ['System', 'system']);
  return { ...(owner ? { owner } : {}), ...(system ? { system } : {}) };
}

const MAX_TAGS = 200;

/**
 * Tags or labels as one map of strings, from the shapes providers use: a map (AWS tags, Azure
 * tags, Google labels), a list of key/value objects (`[{ key, value }]`, `[{ Key, Value }]`),
 * or a list of strings (Google network tags, which become keys with an empty value). Values that
 * are not strings are written as JSON; at most 200 tags, keys up to 128 characters and values up
 * to 256 are kept.
 *
 * @public
 */
export function normaliseTags(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: unknown, v: unknown) => {
    if (typeof k !== 'string' || !k || Object.keys(out).length >= MAX_TAGS)
      return;
    let text = '';
    if (typeof v === 'string') text = v;
    else if (v !== null && v !== undefined) text = JSON.stringify(v);
    out[k.slice(0, 128)] = text.slice(0, 256);
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string') put(item, '');
      else if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        put(o.key ?? o.Key ?? o.name ?? o.Name, o.value ?? o.Value);
      }
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) put(k, v);
  }
  return out;
}

/**
 * The kinds of asset attack paths end at (data stores, keys, secrets), with how much reaching
 * each matters (0-10) and how a reason names it.
 *
 * @public
 */
export const ATTACK_PATH_TARGETS: Record<
  string,
  { weight: number; label: string }
> = {
  aws_db_instance: { weight: 9, label: 'a database' },
  aws_rds_cluster: { weight: 9, label: 'a database cluster' },
  aws_dynamodb_table: { weight: 8, label: 'a DynamoDB table' },
  aws_kms_key: { weight: 8, label: 'an encryption key' },
  aws_secretsmanager_secret: { weight: 9, label: 'a secret' },
  aws_s3_bucket: { weight: 7, label: 'a bucket' },
  azurerm_postgresql_flexible_server: { weight: 9, label: 'a database' },
  azurerm_postgresql_server: { weight: 9, label: 'a database' },
  azurerm_mysql_flexible_server: { weight: 9, label: 'a database' },
  azurerm_mssql_server: { weight: 9, label: 'a database server' },
  azurerm_mssql_database: { weight: 9, label: 'a database' },
  azurerm_cosmosdb_account: { weight: 9, label: 'a database account' },
  azurerm_key_vault: { weight: 9, label: 'a key vault' },
  azurerm_storage_account: { weight: 7, label: 'a storage account' },
  google_sql_database_instance: { weight: 9, label: 'a database' },
  google_secret_manager_secret: { weight: 9, label: 'a secret' },
  google_kms_crypto_key: { weight: 8, label: 'an encryption key' },
  google_storage_bucket: { weight: 7, label: 'a bucket' },
  google_bigquery_dataset: { weight: 8, label: 'a dataset' },
};

/**
 * Kinds of asset that stand for a network filter (security groups, network security groups,
 * firewall rules): the internet reaches the workloads that depend on them.
 *
 * @public
 */
export const NETWORK_GUARD_TYPES: readonly string[] = [
  'aws_security_group',
  'azurerm_network_security_group',
  'google_compute_firewall',
];

/** Annotations of the catalog entities of discovered assets (catalog-backend-module-infra). @public */
export const DISCOVERY_ANNOTATIONS = {
  /** The asset behind the entity. */
  assetId: 'infra-hub.io/asset-id',
  assetType: 'infra-hub.io/asset-type',
  account: 'infra-hub.io/account',
  region: 'infra-hub.io/region',
  /** The discovery source that found the asset. */
  source: 'infra-hub.io/discovery-source',
  /** On Terraform module components: the module's address. */
  terraformModule: 'infra-hub.io/terraform-module',
} as const;

/**
 * True for catalog entities that stand for a discovered asset of a tenant (they get the
 * Infrastructure tab).
 *
 * @public
 */
export function isInfraDiscoveryAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[DISCOVERY_ANNOTATIONS.assetId] && a[INFRA_TENANT_ANNOTATION],
  );
}

/** The signal channel on which a tenant's discovery jobs are announced (ids only). @public */
export function discoveryJobsChannel(tenantId: string): string {
  return `infra-discovery:jobs:${tenantId}`;
}

/** AWS managed policies that grant administration (of everything, or of IAM itself). */
const ADMIN_MANAGED_POLICIES = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/PowerUserAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
]);

/**
 * What an AWS managed policy known by its ARN grants: `admin` (AdministratorAccess,
 * PowerUserAccess, IAMFullAccess), `full-access` (every other `...FullAccess` policy, e.g.
 * AmazonEC2FullAccess: every action of a service on every resource), or nothing. One reading of
 * privilege for the compliance rules (their `privilege()` helper) and the attack paths.
 *
 * @public
 */
export function managedPolicyPrivilege(
  arn: unknown,
): 'admin' | 'full-access' | undefined {
  if (typeof arn !== 'string') return undefined;
  if (ADMIN_MANAGED_POLICIES.has(arn)) return 'admin';
  if (
    /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) &&
    arn.endsWith('FullAccess')
  )
    return 'full-access';
  return undefined;
}
