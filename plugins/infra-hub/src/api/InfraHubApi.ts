import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { InfraHubAbout } from '@infra-hub/plugin-infra-hub-common';

/**
 * Talks to the `infra-hub` backend plugin.
 *
 * @public
 */
export interface InfraHubApi {
  /** The suite's version and every feature, with whether this portal runs it. */
  getAbout(): Promise<InfraHubAbout>;
}

/** @public */
export const infraHubApiRef = createApiRef<InfraHubApi>({
  id: 'plugin.infra-hub.api',
});

/**
 * The {@link InfraHubApi} over HTTP; `fetchApi` adds the signed-in user's token.
 *
 * @public
 */
export class InfraHubClient implements InfraHubApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getAbout(): Promise<InfraHubAbout> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('infra-hub');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}/about`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
