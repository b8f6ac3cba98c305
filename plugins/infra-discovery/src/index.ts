/**
 * Infra Hub discovery pages: the inventory of discovered assets and the attack paths. The default
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
} from './plugin';
export { infraDiscoveryApiRef, InfraDiscoveryClient } from './api';
export type {
  InfraDiscoveryApi,
  DiscoveredAsset,
  AttackPath,
  AssetQuery,
} from './api';
