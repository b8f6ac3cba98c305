import {
  BackstageIdentityApi,
  createApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/core-plugin-api';

/**
 * Sign-in through the backend's `oidc` auth provider (Keycloak, Entra ID, Okta, Auth0, ...).
 * The provider itself is configured under `auth.providers.oidc` in app-config.
 */
export const oidcAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'auth.infra-hub.oidc' });
