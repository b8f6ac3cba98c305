import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Asset, Edge } from '@infra-hub/plugin-infra-discovery-common';

export type DiscoveredAsset = Asset & {
  sourceId: string;
  firstSeen: string;
  lastSeen: string;
  goneAt?: string;
};

export type AttackPath = {
  id: string;
  entry: string;
  target: string;
  score: number;
  severity: 'critical' | 'high' | 'medium' | 'low';
  steps: Array<{ edge: Edge; reversed: boolean }>;
  reasons: string[];
};

export type AssetQuery = {
  type?: string;
  account?: string;
  region?: string;
  search?: string;
  after?: string;
  limit?: number;
};

/** The infra-discovery backend, as the pages use it. @public */
export interface InfraDiscoveryApi {
  listAssets(
    tenantId: string,
    query: AssetQuery,
  ): Promise<{ items: DiscoveredAsset[]; total: number; nextAfter?: string }>;
  listAttackPaths(tenantId: string): Promise<AttackPath[]>;
}

/** @public */
export const infraDiscoveryApiRef = createApiRef<InfraDiscoveryApi>({
  id: 'plugin.infra-discovery.api',
});

/** {@link InfraDiscoveryApi} over HTTP. @public */
export class InfraDiscoveryClient implements InfraDiscoveryApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('infra-discovery');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  listAssets(tenantId: string, query: AssetQuery) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') params.set(k, String(v));
    const q = params.toString();
    return this.get<{
      items: DiscoveredAsset[];
      total: number;
      nextAfter?: string;
    }>(`/tenants/${encodeURIComponent(tenantId)}/assets${q ? `?${q}` : ''}`);
  }

  async listAttackPaths(tenantId: string) {
    return (
      await this.get<{ items: AttackPath[] }>(
        `/tenants/${encodeURIComponent(tenantId)}/attack-paths`,
      )
    ).items;
  }
}
