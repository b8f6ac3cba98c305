import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * Requests to one suite backend plugin, as every suite API client makes them: the plugin's base
 * URL from `discoveryApi`, the signed-in user's token from `fetchApi`, JSON bodies, and a
 * `ResponseError` (with the backend's message) for anything but 2xx.
 *
 * @public
 */
export class InfraBackendRequests {
  constructor(
    private readonly pluginId: string,
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  /** The response of a request that succeeded. */
  async response(
    path: string,
    init?: {
      method?: string;
      body?: unknown;
      /** More request headers, e.g. `Accept` for a streamed answer. */
      headers?: Record<string, string>;
    },
  ): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl(this.pluginId);
    const headers: Record<string, string> = { ...init?.headers };
    if (init?.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(init?.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  /** A JSON answer (undefined for 204). */
  async json<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T> {
    const res = await this.response(path, init);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  /** A text answer, as it was sent (files such as CSV or evidence bundles). */
  async text(path: string): Promise<string> {
    return (await this.response(path)).text();
  }
}
