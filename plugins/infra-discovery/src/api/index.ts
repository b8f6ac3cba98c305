export {
  infraDiscoveryApiRef,
  InfraDiscoveryClient,
} from './InfraDiscoveryApi';
export type {
  InfraDiscoveryApi,
  DiscoveredAsset,
  AttackPath,
  AssetQuery,
} from './InfraDiscoveryApi';
