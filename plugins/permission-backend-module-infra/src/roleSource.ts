import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';
import { InfraRole } from '@infra-hub/plugin-infra-security-common';
import { RoleSource } from './policy';

/** How long a user's roles are remembered between decisions. */
const TTL_MS = 1_000;

/**
 * Reads a user's roles from the infra-security plugin with the permission plugin's own service
 * token, remembering them for a second (a decision often comes in a batch).
 */
export class HttpRoleSource implements RoleSource {
  private readonly cache = new Map<
    string,
    { until: number; value: Promise<Array<{ scope: string; role: InfraRole }>> }
  >();

  private readonly security: InfraPluginClient;

  constructor(deps: { discovery: DiscoveryService; auth: AuthService }) {
    this.security = new InfraPluginClient({
      ...deps,
      pluginId: 'infra-security',
    });
  }

  rolesOf(userRef: string) {
    const now = Date.now();
    const hit = this.cache.get(userRef);
    if (hit && hit.until > now) return hit.value;
    const value = this.fetchRoles(userRef);
    this.cache.set(userRef, { until: now + TTL_MS, value });
    value.catch(() => this.cache.delete(userRef));
    if (this.cache.size > 10_000) {
      for (const [key, entry] of this.cache)
        if (entry.until <= now) this.cache.delete(key);
    }
    return value;
  }

  private async fetchRoles(userRef: string) {
    const body = await this.security.request<{
      items: Array<{ scope: string; role: InfraRole }>;
    }>('/internal/role-bindings', { query: { userRef } });
    return body.items;
  }
}
