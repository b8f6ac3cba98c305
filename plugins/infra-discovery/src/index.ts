/**
 * Infra Hub discovery pages: the inventory of discovered assets, the graph around an asset, the
 * attack paths, sources and jobs, and the Infrastructure tab on asset entities. The default
 * export serves Backstage's current frontend system; `legacyInfraDiscoveryPlugin` and
 * `InfraDiscoveryPage` serve the legacy one.
 *
 * @packageDocumentation
 */
export {
  infraDiscoveryPlugin as default,
  infraDiscoveryPlugin,
  infraDiscoveryApi,
  infraDiscoveryPage,
  legacyInfraDiscoveryPlugin,
  InfraDiscoveryPage,
  infraAssetEntityContent,
} from './plugin';
export {
  EntityInfrastructureContent,
  isInfraAssetEntity,
} from './components/EntityInfrastructureContent';
export { infraDiscoveryApiRef, InfraDiscoveryClient } from './api';
export type {
  InfraDiscoveryApi,
  DiscoveredAsset,
  AttackPath,
  AssetQuery,
} from './api';
