import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError } from '@backstage/errors';
import {
  API_KEY_PREFIX,
  apiKeySubject,
} from '@infra-hub/plugin-infra-security-node';

const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * Backstage's mock auth service, except that a token one plugin obtained on behalf of a user
 * authenticates as that user *with the calling plugin as actor*, as real on-behalf-of tokens do.
 *
 * Without the actor, the real permission backend takes the catalog's conditional authorize calls
 * for direct user requests and refuses them ("Resource permissions require a resourceRef"), so
 * a test could not run the catalog behind the real permission backend and a real policy.
 */
const onBehalfOfAwareMockAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: {
    plugin: coreServices.pluginMetadata,
    discovery: coreServices.discovery,
  },
  factory({ plugin, discovery }): AuthService {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: async (token, options) => {
        // A real machine API key, checked by the security plugin as in the portal.
        if (token.startsWith(API_KEY_PREFIX)) {
          const res = await fetch(
            `${await discovery.getBaseUrl(
              'infra-security',
            )}/api-keys/introspect`,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ token }),
            },
          );
          if (!res.ok) throw new AuthenticationError('Invalid API key');
          return mockCredentials.service(
            apiKeySubject(await res.json()),
          ) as any;
        }
        const credentials = await inner.authenticate(token, options);
        if (token.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
          const { sub, obo } = JSON.parse(
            token.slice(MOCK_SERVICE_TOKEN_PREFIX.length),
          );
          if (obo) {
            return mockCredentials.user(obo, {
              actor: { subject: sub ?? 'external:test-service' },
            }) as typeof credentials;
          }
        }
        return credentials;
      },
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: ((credentials: any, type: any) =>
        inner.isPrincipal(credentials, type)) as AuthService['isPrincipal'],
      getPluginRequestToken: options => inner.getPluginRequestToken(options),
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
    };
  },
});

/**
 * Mock auth that keeps on-behalf-of actors (see above) and accepts real machine API keys
 * (`sk_...`, checked by the infra-security plugin of the test backend, as the portal's token
 * handler does), with Backstage's real HTTP auth service
 * reading request tokens through it. Add both to `startTestBackend({ features })`.
 */
export const onBehalfOfAwareMockAuth = [
  onBehalfOfAwareMockAuthFactory,
  httpAuthServiceFactory,
];
