import { Entity } from '@backstage/catalog-model';
import {
  AssetChange,
  assetTagNames,
  DiscoveredAsset,
  DISCOVERY_ANNOTATIONS,
  parseAssetId,
} from '@infra-hub/plugin-infra-discovery-common';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import crypto from 'node:crypto';

/** Annotations the entities carry; the frontend finds the asset behind an entity through them. */
export const ANNOTATION_TENANT = INFRA_TENANT_ANNOTATION;
export const ANNOTATION_ASSET_ID = DISCOVERY_ANNOTATIONS.assetId;
export const ANNOTATION_ASSET_TYPE = DISCOVERY_ANNOTATIONS.assetType;
export const ANNOTATION_ACCOUNT = DISCOVERY_ANNOTATIONS.account;
export const ANNOTATION_REGION = DISCOVERY_ANNOTATIONS.region;
export const ANNOTATION_SOURCE = DISCOVERY_ANNOTATIONS.source;
export const ANNOTATION_TERRAFORM_MODULE =
  DISCOVERY_ANNOTATIONS.terraformModule;

/** The configuration parts of other resources: they stay in the graph, not in the catalog. */
export const DEFAULT_EXCLUDED_TYPES = [
  'internet',
  // A state file keeping secrets outside its resources: a subject of findings, not a resource.
  'terraform_state',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_role_policy',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_ownership_controls',
  'aws_kms_alias',
  'aws_lambda_function_url',
  'aws_lambda_permission',
];

export type TenantMapping = {
  tenantId: string;
  owner: string;
  namespace: string;
  systemNamespace: string;
};

/** An asset as the discovery changes feed gives it. */
export type FeedAsset = Pick<
  DiscoveredAsset,
  | 'id'
  | 'provider'
  | 'account'
  | 'region'
  | 'type'
  | 'nativeId'
  | 'name'
  | 'tags'
  | 'sourceId'
>;

export type FeedChange = AssetChange<FeedAsset>;

const slug = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Component for Terraform modules, Resource for everything else. */
export function kindOf(type: string): 'Component' | 'Resource' {
  return type === 'terraform_module' ? 'Component' : 'Resource';
}

/**
 * The entity name of an asset, from its id alone (so that relations to an asset can be written
 * without reading it): its type and the last part of its native id, readable, plus 8 hex digits
 * of the id's SHA-256 so that names never collide. At most 63 characters.
 */
export function entityNameOf(assetId: string): string {
  const { type, nativeId } = parseAssetId(assetId);
  const tail = nativeId.split(/[:/]/).filter(Boolean).pop() ?? nativeId;
  const readable =
    slug(`${type.replace(/^aws_/, '')}-${tail}`)
      .slice(0, 54)
      .replace(/-+$/, '') || 'asset';
  const hash = crypto.createHash('sha256').update(assetId).digest('hex');
  return `${readable}-${hash.slice(0, 8)}`;
}

export function entityRefOf(assetId: string, namespace: string): string {
  const { type } = parseAssetId(assetId);
  return `${kindOf(type).toLowerCase()}:${namespace}/${entityNameOf(assetId)}`;
}

/**
 * The owner and system an asset's tags ask for (`Owner`/`owner`/`team`: a group name;
 * `System`/`system`: a system name), as entity refs; checked against tenants before use.
 */
export function taggedRefs(
  asset: Pick<FeedAsset, 'tags'>,
  mapping: TenantMapping,
) {
  const { owner, system } = assetTagNames(asset.tags);
  return {
    owner: owner ? `group:default/${owner}` : undefined,
    system: system ? `system:${mapping.systemNamespace}/${system}` : undefined,
  };
}

/**
 * The catalog entity of a discovered asset. Owner: the asset's `Owner`/`owner`/`team` tag (a
 * group name) or the tenant's owner; system: its `System`/`system` tag. A tag naming a group or
 * system of another tenant, or one not in the catalog (`foreign`), is ignored: the owner falls
 * back to the tenant's, and no system is set. Relationships become
 * `dependsOn` (from the asset to what it uses: its role, key, log bucket, security groups, ...)
 * and `dependencyOf` for containment (a VPC is a dependency of its subnets); a module depends on
 * the resources it contains.
 */
export function assetToEntity(
  asset: FeedAsset,
  edges: Array<{ to: string; type: string }>,
  mapping: TenantMapping,
  excluded: ReadonlySet<string>,
  locationRef: string,
  foreign: ReadonlySet<string> = new Set(),
): Entity {
  const kind = kindOf(asset.type);
  const refs = (types: (t: string) => boolean) =>
    [
      ...new Set(
        edges
          .filter(e => types(e.type))
          .filter(e => !excluded.has(parseAssetId(e.to).type))
          .map(e => entityRefOf(e.to, mapping.namespace)),
      ),
    ].sort();
  const tagged = taggedRefs(asset, mapping);
  const owner =
    tagged.owner && !foreign.has(tagged.owner) ? tagged.owner : undefined;
  const system =
    tagged.system && !foreign.has(tagged.system) ? tagged.system : undefined;
  const contains = refs(t => t === 'contains');
  const uses = refs(t => t !== 'contains' && t !== 'internet_ingress');
  const spec: Record<string, string | string[]> = {
    type: kind === 'Component' ? 'terraform-module' : slug(asset.type),
    owner: owner ?? mapping.owner,
    ...(system ? { system } : {}),
  };
  if (kind === 'Component') {
    spec.lifecycle = 'production';
    const dependsOn = [...new Set([...contains, ...uses])].sort();
    if (dependsOn.length) spec.dependsOn = dependsOn;
  } else {
    if (uses.length) spec.dependsOn = uses;
    if (contains.length) spec.dependencyOf = contains;
  }
  const providerTag = slug(asset.provider);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name: entityNameOf(asset.id),
      namespace: mapping.namespace,
      title: asset.name.slice(0, 200),
      description: `${asset.type} in ${asset.account}/${asset.region}, discovered by Infra Hub`,
      annotations: {
        [ANNOTATION_TENANT]: mapping.tenantId,
        [ANNOTATION_ASSET_ID]: asset.id,
        [ANNOTATION_ASSET_TYPE]: asset.type,
        [ANNOTATION_ACCOUNT]: asset.account,
        [ANNOTATION_REGION]: asset.region,
        [ANNOTATION_SOURCE]: asset.sourceId,
        ...(kind === 'Component'
          ? { [ANNOTATION_TERRAFORM_MODULE]: asset.nativeId }
          : {}),
        'backstage.io/managed-by-location': locationRef,
        'backstage.io/managed-by-origin-location': locationRef,
      },
      tags: ['infra-hub', ...(providerTag ? [providerTag] : [])].filter(
        (t, i, all) => all.indexOf(t) === i,
      ),
    },
    spec,
  };
}
