import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

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
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: async (token, options) => {
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
 * Mock auth that keeps on-behalf-of actors (see above), with Backstage's real HTTP auth service
 * reading request tokens through it. Add both to `startTestBackend({ features })`.
 */
export const onBehalfOfAwareMockAuth = [
  onBehalfOfAwareMockAuthFactory,
  httpAuthServiceFactory,
];
