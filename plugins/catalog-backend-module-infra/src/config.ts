import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { DEFAULT_EXCLUDED_TYPES, TenantMapping } from './entities';

const NAMESPACE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export type CatalogInfraSettings = {
  tenants: TenantMapping[];
  excludedTypes: Set<string>;
  fullRefreshMinutes: number;
  deltaRefreshSeconds: number;
};

/** Reads `infra.catalog`; a bad value throws naming its key. */
export function readCatalogInfraConfig(
  config: RootConfigService,
): CatalogInfraSettings {
  const c = config.getOptionalConfig('infra.catalog');
  const tenants: TenantMapping[] = [];
  const byTenant = c?.getOptionalConfig('tenants');
  for (const tenantId of byTenant?.keys() ?? []) {
    const t = byTenant!.getConfig(tenantId);
    const key = `infra.catalog.tenants.${tenantId}`;
    const owner = t.getString('owner');
    try {
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch (e) {
      throw new Error(
        `Invalid config at '${key}.owner': ${(e as Error).message}`,
      );
    }
    const namespace = t.getOptionalString('namespace') ?? tenantId;
    const systemNamespace = t.getOptionalString('systemNamespace') ?? 'default';
    for (const [k, v] of [
      ['namespace', namespace],
      ['systemNamespace', systemNamespace],
    ]) {
      if (!NAMESPACE.test(v) || v.length > 63)
        throw new Error(
          `Invalid config at '${key}.${k}': '${v}' is not a catalog namespace`,
        );
    }
    tenants.push({ tenantId, owner, namespace, systemNamespace });
  }
  const fullRefreshMinutes = c?.getOptionalNumber('fullRefreshMinutes') ?? 30;
  const deltaRefreshSeconds =
    c?.getOptionalNumber('deltaRefreshSeconds') ?? 300;
  if (!(fullRefreshMinutes >= 1))
    throw new Error(
      "Invalid config at 'infra.catalog.fullRefreshMinutes': at least 1",
    );
  if (!(deltaRefreshSeconds >= 10))
    throw new Error(
      "Invalid config at 'infra.catalog.deltaRefreshSeconds': at least 10",
    );
  return {
    tenants,
    excludedTypes: new Set(
      c?.getOptionalStringArray('excludeTypes') ?? DEFAULT_EXCLUDED_TYPES,
    ),
    fullRefreshMinutes,
    deltaRefreshSeconds,
  };
}
