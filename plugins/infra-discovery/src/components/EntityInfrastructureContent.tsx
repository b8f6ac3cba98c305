import { Entity } from '@backstage/catalog-model';
import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { AssetDetail } from './AssetDetail';

const TENANT = 'infra-hub.io/tenant';
const ASSET_ID = 'infra-hub.io/asset-id';

/** True for entities published from discovered assets (they carry the asset annotations). */
export function isInfraAssetEntity(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(a[TENANT] && a[ASSET_ID]);
}

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
