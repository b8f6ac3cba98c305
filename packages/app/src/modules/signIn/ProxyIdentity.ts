import {
  BackstageUserIdentity,
  DiscoveryApi,
  IdentityApi,
  ProfileInfo,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

type RefreshResponse = {
  profile: ProfileInfo;
  backstageIdentity: {
    token: string;
    expiresInSeconds?: number;
    identity: BackstageUserIdentity;
  };
};

/** Remembered in the browser so that a reload keeps the development sign-in. */
export const DEV_SIGN_IN_KEY = 'infra-hub:dev-sign-in';

/**
 * The identity of a development sign-in through one of the backend's proxy providers (`guest`,
 * or `demo` with a chosen user): the token comes from `/api/auth/<provider>/refresh` and is
 * fetched again shortly before it expires.
 */
export class ProxyIdentity implements IdentityApi {
  private session?: { response: RefreshResponse; expiresAt: number };

  private constructor(
    private readonly discoveryApi: DiscoveryApi,
    readonly provider: 'guest' | 'demo',
    readonly userRef?: string,
  ) {}

  static async signIn(
    discoveryApi: DiscoveryApi,
    provider: 'guest' | 'demo',
    userRef?: string,
  ): Promise<ProxyIdentity> {
    const identity = new ProxyIdentity(discoveryApi, provider, userRef);
    await identity.refresh();
    localStorage.setItem(
      DEV_SIGN_IN_KEY,
      JSON.stringify({ provider, userRef }),
    );
    return identity;
  }

  private async refresh(): Promise<RefreshResponse> {
    const base = await this.discoveryApi.getBaseUrl('auth');
    const query = this.userRef
      ? `?user=${encodeURIComponent(this.userRef)}`
      : '';
    const res = await fetch(`${base}/${this.provider}/refresh${query}`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'include',
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    const response = (await res.json()) as RefreshResponse;
    const lifetime =
      (response.backstageIdentity.expiresInSeconds ?? 3600) * 1000;
    this.session = { response, expiresAt: Date.now() + lifetime * 0.8 };
    return response;
  }

  private async current(): Promise<RefreshResponse> {
    if (this.session && this.session.expiresAt > Date.now())
      return this.session.response;
    return this.refresh();
  }

  async getProfileInfo(): Promise<ProfileInfo> {
    return (await this.current()).profile;
  }

  async getBackstageIdentity(): Promise<BackstageUserIdentity> {
    return (await this.current()).backstageIdentity.identity;
  }

  async getCredentials(): Promise<{ token?: string }> {
    return { token: (await this.current()).backstageIdentity.token };
  }

  async signOut(): Promise<void> {
    localStorage.removeItem(DEV_SIGN_IN_KEY);
    this.session = undefined;
  }
}
