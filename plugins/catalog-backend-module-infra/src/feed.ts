import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';
import { ANNOTATION_TENANT } from './entities';
import type { FindingsFeed } from './findings';

/**
 * The `infra-hub.io/tenant` annotation of catalog entities by ref: an entry for each entity the
 * catalog has (undefined when it has no annotation), none for refs it does not have.
 */
export type TenantsOfEntities = (
  refs: string[],
) => Promise<Map<string, string | undefined>>;

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

/**
 * Of the group and system refs a tenant's assets or findings name, those that may not be
 * attached: not in the catalog, or annotated for another tenant.
 */
export async function foreignRefs(
  tenantsOf: TenantsOfEntities,
  refs: string[],
  tenantId: string,
): Promise<ReadonlySet<string>> {
  const tenants = await tenantsOf(refs);
  return new Set(
    refs.filter(ref => {
      if (!tenants.has(ref)) return true;
      const t = tenants.get(ref);
      return t !== undefined && t !== tenantId;
    }),
  );
}

/** The compliance backend's findings of a tenant, read as this plugin's own service principal. */
export function complianceFindingsFeed(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}): FindingsFeed {
  const compliance = new InfraPluginClient({
    ...deps,
    pluginId: 'infra-compliance',
  });
  return (tenantId, options) =>
    compliance.request(`/tenants/${encodeURIComponent(tenantId)}/findings`, {
      query: {
        status: options.status,
        after: options.after,
        limit: options.limit,
      },
    });
}
