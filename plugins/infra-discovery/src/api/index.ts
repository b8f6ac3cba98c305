export {
  infraDiscoveryApiRef,
  InfraDiscoveryClient,
} from './InfraDiscoveryApi';
export type {
  InfraDiscoveryApi,
  DiscoveredAsset,
  ListedAsset,
  AttackPath,
  AssetQuery,
  StoredEdge,
  Neighbourhood,
  DiscoverySource,
  SourceInput,
  DiscoveryJob,
  ProviderKind,
} from './InfraDiscoveryApi';
