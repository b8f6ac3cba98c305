import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { AssetChangesPage } from '@infra-hub/plugin-infra-discovery-common';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';

/** Reads one page of a tenant's asset changes. @public */
export type AssetChangesFeed = (
  tenantId: string,
  options: { after?: string; includeRemoved: boolean; limit: number },
) => Promise<AssetChangesPage>;

/**
 * The discovery backend's changes feed (`GET /api/infra-discovery/tenants/{tenantId}/changes`),
 * called as the calling plugin's own service principal: how the catalog module and the
 * compliance backend read a tenant's graph.
 *
 * @public
 */
export function discoveryChangesFeed(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): AssetChangesFeed {
  const discovery = new InfraPluginClient({
    ...deps,
    pluginId: 'infra-discovery',
  });
  return (tenantId, options) =>
    discovery.request(`/tenants/${encodeURIComponent(tenantId)}/changes`, {
      query: {
        includeRemoved: options.includeRemoved,
        limit: options.limit,
        after: options.after,
      },
    });
}
