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
import { DevSignInPage } from './DevSignInPage';
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
 * Offers exactly the sign-in methods the backend is configured for. In the `development` auth
 * environment without OIDC: the development page (guest, demo users). Otherwise the
 * organisation's OIDC provider when `auth.providers.oidc` is set, plus the guest in development.
 * The backend refuses guest and demo sign-ins outside NODE_ENV=development anyway.
 */
export function InfraHubSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const configured = config.getOptionalConfig('auth.providers');
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  if (
    environment === 'development' &&
    !configured?.has('oidc') &&
    (configured?.has('guest') || configured?.has('demo'))
  ) {
    return <DevSignInPage {...props} />;
  }
  const providers: Array<'guest' | SignInProviderConfig> = [];
  if (configured?.has('oidc')) {
    providers.push(oidcProvider);
  }
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
