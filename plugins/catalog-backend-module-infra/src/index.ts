/**
 * Infra Hub assets in the Backstage catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleInfraAssets as default } from './module';
export { InfraAssetEntityProvider } from './InfraAssetEntityProvider';
export type {
  ChangesFeed,
  ChangesPage,
  SyncResult,
} from './InfraAssetEntityProvider';
export {
  assetToEntity,
  entityNameOf,
  entityRefOf,
  kindOf,
  DEFAULT_EXCLUDED_TYPES,
  ANNOTATION_TENANT,
  ANNOTATION_ASSET_ID,
  ANNOTATION_ASSET_TYPE,
  ANNOTATION_ACCOUNT,
  ANNOTATION_REGION,
  ANNOTATION_SOURCE,
  ANNOTATION_TERRAFORM_MODULE,
} from './entities';
export type { FeedAsset, FeedChange, TenantMapping } from './entities';
export {
  findingEntityName,
  findingToEntity,
  InfraFindingEntityProcessor,
  InfraFindingEntityProvider,
} from './findings';
export type { FindingsFeed } from './findings';
export type { TenantsOfEntities } from './feed';
