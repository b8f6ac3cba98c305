import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ChangesFeed, TenantsOfEntities } from './InfraAssetEntityProvider';
import { ANNOTATION_TENANT } from './entities';

/**
 * The tenant annotation of the catalog entities that exist (undefined for one without it; no
 * entry for one not in the catalog), read as this plugin's own service principal.
 */
export function catalogTenantsOf(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TenantsOfEntities {
  return async refs => {
    const out = new Map<string, string | undefined>();
    if (refs.length === 0) return out;
    const base = await deps.discovery.getBaseUrl('catalog');
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: await deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    const res = await fetch(`${base}/entities/by-refs`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        entityRefs: refs,
        fields: ['metadata.annotations'],
      }),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const { items } = (await res.json()) as {
      items: Array<{
        metadata?: { annotations?: Record<string, string> };
      } | null>;
    };
    refs.forEach((ref, i) => {
      if (items[i])
        out.set(ref, items[i]?.metadata?.annotations?.[ANNOTATION_TENANT]);
    });
    return out;
  };
}

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
