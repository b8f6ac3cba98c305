import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';
import { TenantsOfEntities } from './InfraAssetEntityProvider';
import { ANNOTATION_TENANT } from './entities';

/**
 * The tenant annotation of the catalog entities that exist (undefined for one without it; no
 * entry for one not in the catalog), read as this plugin's own service principal.
 */
export function catalogTenantsOf(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): TenantsOfEntities {
  const catalog = new InfraPluginClient({ ...deps, pluginId: 'catalog' });
  return async refs => {
    const out = new Map<string, string | undefined>();
    if (refs.length === 0) return out;
    const { items } = await catalog.request<{
      items: Array<{
        metadata?: { annotations?: Record<string, string> };
      } | null>;
    }>('/entities/by-refs', {
      body: { entityRefs: refs, fields: ['metadata.annotations'] },
    });
    refs.forEach((ref, i) => {
      if (items[i])
        out.set(ref, items[i]?.metadata?.annotations?.[ANNOTATION_TENANT]);
    });
    return out;
  };
}
