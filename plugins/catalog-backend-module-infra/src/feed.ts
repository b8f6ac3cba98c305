import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ChangesFeed } from './InfraAssetEntityProvider';

/** The discovery backend's changes feed, called as this plugin's own service principal. */
export function discoveryChangesFeed(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ChangesFeed {
  return async (tenantId, options) => {
    const base = await deps.discovery.getBaseUrl('infra-discovery');
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: await deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'infra-discovery',
    });
    const query = new URLSearchParams({
      includeRemoved: String(options.includeRemoved),
      limit: String(options.limit),
      ...(options.after ? { after: options.after } : {}),
    });
    const res = await fetch(
      `${base}/tenants/${encodeURIComponent(tenantId)}/changes?${query}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  };
}
