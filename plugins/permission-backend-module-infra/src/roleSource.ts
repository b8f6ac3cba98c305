import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { InfraRole } from '@infra-hub/plugin-infra-security-common';
import { RoleSource } from './policy';

/** How long a user's roles are remembered between decisions. */
const TTL_MS = 2_000;

/**
 * Reads a user's roles from the infra-security plugin with the permission plugin's own service
 * token, remembering them for two seconds (a decision often comes in a batch).
 */
export class HttpRoleSource implements RoleSource {
  private readonly cache = new Map<
    string,
    { until: number; value: Promise<Array<{ scope: string; role: InfraRole }>> }
  >();

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

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
    const baseUrl = await this.deps.discovery.getBaseUrl('infra-security');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'infra-security',
    });
    const res = await fetch(
      `${baseUrl}/internal/role-bindings?userRef=${encodeURIComponent(
        userRef,
      )}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const body = (await res.json()) as {
      items: Array<{ scope: string; role: InfraRole }>;
    };
    return body.items;
  }
}
