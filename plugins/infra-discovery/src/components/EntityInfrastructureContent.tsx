import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DISCOVERY_ANNOTATIONS,
  isInfraDiscoveryAvailable,
} from '@infra-hub/plugin-infra-discovery-common';
import { AssetDetail } from './AssetDetail';

const TENANT = 'infra-hub.io/tenant';
const ASSET_ID = DISCOVERY_ANNOTATIONS.assetId;

/** True for entities published from discovered assets (they carry the asset annotations). */
export const isInfraAssetEntity = isInfraDiscoveryAvailable;

/**
 * The Infrastructure tab of a Resource or Component entity published by Infra Hub: the asset's
 * attributes as each source saw it, its relationships and their graph, the attack paths through
 * it, its sources and when they last saw it. Read from the discovery API, so the tenant's roles
 * apply.
 */
export function EntityInfrastructureContent() {
  const { entity } = useEntity();
  if (!isInfraAssetEntity(entity)) {
    return (
      <EmptyState
        missing="info"
        title="Not discovered by Infra Hub"
        description={`This entity has no ${ASSET_ID} annotation.`}
      />
    );
  }
  const a = entity.metadata.annotations!;
  return <AssetDetail tenantId={a[TENANT]} assetId={a[ASSET_ID]} />;
}
