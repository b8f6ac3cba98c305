import {
  createExternalTokenHandler,
  externalTokenHandlersServiceRef,
} from '@backstage/backend-defaults/auth';
import {
  coreServices,
  createServiceFactory,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ApiKeyPrincipal, apiKeySubject } from './authorizer';
import { InfraPluginClient } from './pluginClient';

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
      // The introspection route is open: the key itself is what it checks.
      const client = new InfraPluginClient({
        discovery,
        pluginId: ctx.pluginId,
      });
      try {
        const key = await client.request<ApiKeyPrincipal>(
          '/api-keys/introspect',
          { body: { token } },
        );
        return { subject: apiKeySubject(key) };
      } catch (error) {
        // Refused (invalid, revoked, expired): not a token this handler accepts. Anything else
        // (the security plugin unreachable) fails the request rather than passing it on.
        if (ResponseError.is(error)) return undefined;
        throw error;
      }
    },
  });
}
