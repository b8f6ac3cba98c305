import {
  createExternalTokenHandler,
  externalTokenHandlersServiceRef,
} from '@backstage/backend-defaults/auth';
import {
  coreServices,
  createServiceFactory,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { apiKeySubject } from './authorizer';

/** Every machine API key starts with this. @public */
export const API_KEY_PREFIX = 'sk_';

/**
 * Makes `Authorization: Bearer sk_...` an accepted token in every backend plugin: the key is
 * checked by the infra-security plugin on each request (so a revoked key fails at once), and the
 * request runs as a service principal whose subject carries the key's tenant and role, which
 * InfraAuthorizer applies. Enable it in app-config:
 *
 * ```yaml
 * backend:
 *   auth:
 *     externalAccess:
 *       - type: infra-api-key
 *         options: { verifiedBy: infra-security }
 *         accessRestrictions:    # the plugins a key may call
 *           - plugin: infra-security
 * ```
 *
 * @public
 */
export const infraApiKeyTokenHandlerFactory = createServiceFactory({
  service: externalTokenHandlersServiceRef,
  deps: { discovery: coreServices.discovery },
  factory({ discovery }) {
    return createInfraApiKeyTokenHandler(discovery);
  },
});

export function createInfraApiKeyTokenHandler(discovery: DiscoveryService) {
  return createExternalTokenHandler<{ pluginId: string }>({
    type: 'infra-api-key',
    initialize({ options }) {
      return {
        pluginId: options.getOptionalString('verifiedBy') ?? 'infra-security',
      };
    },
    async verifyToken(token, ctx) {
      if (!token.startsWith(API_KEY_PREFIX)) return undefined;
      const baseUrl = await discovery.getBaseUrl(ctx.pluginId);
      const res = await fetch(`${baseUrl}/api-keys/introspect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      if (!res.ok) return undefined;
      const key = await res.json();
      return { subject: apiKeySubject(key) };
    },
  });
}
