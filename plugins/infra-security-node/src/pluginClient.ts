import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** One call of `InfraPluginClient.request`. @public */
export type InfraPluginRequest = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** JSON text sent as it is (a large document the caller already holds as text). */
  jsonText?: string;
  /**
   * Whose call it is: a user's credentials (e.g. a scaffolder task's initiator) so the target
   * checks that user's permissions; default this plugin itself.
   */
  onBehalfOf?: BackstageCredentials;
};

/**
 * The one way a suite backend calls another plugin of the same installation over HTTP: the
 * target found through Backstage's discovery, the call made with this plugin's own service token
 * (none when constructed without `auth`, for the few unauthenticated routes), the body sent and
 * read as JSON, and any answer but 2xx thrown as Backstage's `ResponseError` (status and the
 * target's error body kept). Nothing is retried: the caller decides what a failure means.
 *
 * @public
 */
export class InfraPluginClient {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      /** This plugin's auth service; absent, requests carry no token. */
      auth?: AuthService;
      /** The plugin called, e.g. `infra-security`, `catalog`. */
      pluginId: string;
    },
  ) {}

  /** Calls `path` (below the plugin's base URL) and returns the JSON answer (undefined on 204). */
  async request<T>(path: string, request: InfraPluginRequest = {}): Promise<T> {
    const { discovery, auth, pluginId } = this.deps;
    const base = await discovery.getBaseUrl(pluginId);
    const headers: Record<string, string> = {};
    if (auth) {
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf:
          request.onBehalfOf ?? (await auth.getOwnServiceCredentials()),
        targetPluginId: pluginId,
      });
      headers.Authorization = `Bearer ${token}`;
    }
    const body =
      request.jsonText ??
      (request.body !== undefined ? JSON.stringify(request.body) : undefined);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const search = query.size ? `?${query}` : '';
    const res = await fetch(`${base}${path}${search}`, {
      method: request.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}
