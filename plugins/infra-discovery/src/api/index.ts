export {
  infraDiscoveryApiRef,
  InfraDiscoveryClient,
} from './InfraDiscoveryApi';
export type {
  InfraDiscoveryApi,
  DiscoveredAsset,
  AttackPath,
  AssetQuery,
  StoredEdge,
  Neighbourhood,
  DiscoverySource,
  SourceInput,
  DiscoveryJob,
  ProviderKind,
} from './InfraDiscoveryApi';
