import { OAuth2 } from '@backstage/core-app-api';
import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  oauthRequestApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  SignInPageProps,
} from '@backstage/plugin-app-react';
import { oidcAuthApiRef } from './oidcAuthApi';

const oidcAuthApi = ApiBlueprint.make({
  name: 'oidc',
  params: defineParams =>
    defineParams(
      createApiFactory({
        api: oidcAuthApiRef,
        deps: {
          discoveryApi: discoveryApiRef,
          oauthRequestApi: oauthRequestApiRef,
          configApi: configApiRef,
        },
        factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
          OAuth2.create({
            configApi,
            discoveryApi,
            oauthRequestApi,
            provider: { id: 'oidc', title: 'Single sign-on', icon: () => null },
            environment: configApi.getOptionalString('auth.environment'),
            defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
          }),
      }),
    ),
});

const oidcProvider: SignInProviderConfig = {
  id: 'oidc-auth-provider',
  title: 'Single sign-on',
  message: "Sign in with your organisation's identity provider",
  apiRef: oidcAuthApiRef,
};

/**
 * Offers exactly the sign-in methods the backend is configured for: the organisation's OIDC
 * provider when `auth.providers.oidc` is set, and the guest provider when `auth.providers.guest`
 * is set and `auth.environment` is `development` (the backend refuses guests outside
 * NODE_ENV=development anyway).
 */
export function InfraHubSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const configured = config.getOptionalConfig('auth.providers');
  const providers: Array<'guest' | SignInProviderConfig> = [];
  if (configured?.has('oidc')) {
    providers.push(oidcProvider);
  }
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  if (configured?.has('guest') && environment === 'development') {
    providers.push('guest');
  }
  return (
    <SignInPage
      {...props}
      title="Infra Hub"
      align="center"
      providers={providers}
    />
  );
}

const signInPage = SignInPageBlueprint.make({
  params: { loader: async () => InfraHubSignInPage },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, signInPage],
});
