import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';
import {
  AssetFilter,
  AssetNeighbourhood,
  AttackPath,
  DiscoveredAsset,
  ListedAsset,
  DiscoveredEdge,
  DiscoveryJob,
  DiscoveryProviderKind,
  DiscoverySource,
  DiscoverySourceInput,
} from '@infra-hub/plugin-infra-discovery-common';

export type {
  AttackPath,
  DiscoveredAsset,
  DiscoveryJob,
  DiscoverySource,
  ListedAsset,
};
/** @public */
export type StoredEdge = DiscoveredEdge;

/** The inventory's filters and page. @public */
export type AssetQuery = Omit<AssetFilter, 'includeGone'> & {
  after?: string;
  limit?: number;
};

/** @public */
export type Neighbourhood = AssetNeighbourhood;
/** @public */
export type SourceInput = DiscoverySourceInput;
/** @public */
export type ProviderKind = DiscoveryProviderKind;

/** The infra-discovery backend, as the pages use it. @public */
export interface InfraDiscoveryApi {
  listAssets(
    tenantId: string,
    query: AssetQuery,
  ): Promise<{ items: ListedAsset[]; total: number; nextAfter?: string }>;
  getAsset(
    tenantId: string,
    assetId: string,
  ): Promise<{ views: DiscoveredAsset[]; edges: StoredEdge[] }>;
  getNeighbourhood(
    tenantId: string,
    assetId: string,
    depth: 1 | 2 | 3,
  ): Promise<Neighbourhood>;
  listAttackPaths(tenantId: string, assetId?: string): Promise<AttackPath[]>;
  listProviders(tenantId: string): Promise<ProviderKind[]>;
  listSources(tenantId: string): Promise<DiscoverySource[]>;
  createSource(tenantId: string, input: SourceInput): Promise<DiscoverySource>;
  updateSource(
    tenantId: string,
    sourceId: string,
    patch: Partial<Omit<SourceInput, 'id' | 'provider'>> & {
      credentialId?: string | null;
      schedule?: string | null;
      workspaceId?: string | null;
    },
  ): Promise<DiscoverySource>;
  deleteSource(tenantId: string, sourceId: string): Promise<void>;
  runSource(tenantId: string, sourceId: string): Promise<DiscoveryJob>;
  listJobs(
    tenantId: string,
    query: { sourceId?: string; before?: string; limit?: number },
  ): Promise<{ items: DiscoveryJob[]; nextBefore?: string }>;
  getJob(tenantId: string, jobId: string): Promise<DiscoveryJob>;
}

/** @public */
export const infraDiscoveryApiRef = createApiRef<InfraDiscoveryApi>({
  id: 'plugin.infra-discovery.api',
});

/** {@link InfraDiscoveryApi} over HTTP. @public */
export class InfraDiscoveryClient implements InfraDiscoveryApi {
  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-discovery', deps);
  }

  private readonly requests: InfraBackendRequests;

  private call<T>(path: string, init?: { method: string; body?: unknown }) {
    return this.requests.json<T>(path, init);
  }

  private get<T>(path: string): Promise<T> {
    return this.requests.json<T>(path);
  }

  private tenant(tenantId: string) {
    return `/tenants/${encodeURIComponent(tenantId)}`;
  }

  getAsset(tenantId: string, assetId: string) {
    return this.get<{ views: DiscoveredAsset[]; edges: StoredEdge[] }>(
      `${this.tenant(tenantId)}/asset?id=${encodeURIComponent(assetId)}`,
    );
  }

  getNeighbourhood(tenantId: string, assetId: string, depth: 1 | 2 | 3) {
    return this.get<Neighbourhood>(
      `${this.tenant(tenantId)}/graph?id=${encodeURIComponent(
        assetId,
      )}&depth=${depth}`,
    );
  }

  async listProviders(tenantId: string) {
    return (
      await this.get<{ items: ProviderKind[] }>(
        `${this.tenant(tenantId)}/providers`,
      )
    ).items;
  }

  async listSources(tenantId: string) {
    return (
      await this.get<{ items: DiscoverySource[] }>(
        `${this.tenant(tenantId)}/sources`,
      )
    ).items;
  }

  createSource(tenantId: string, input: SourceInput) {
    return this.call<DiscoverySource>(`${this.tenant(tenantId)}/sources`, {
      method: 'POST',
      body: input,
    });
  }

  updateSource(
    tenantId: string,
    sourceId: string,
    patch: Parameters<InfraDiscoveryApi['updateSource']>[2],
  ) {
    return this.call<DiscoverySource>(
      `${this.tenant(tenantId)}/sources/${encodeURIComponent(sourceId)}`,
      { method: 'PATCH', body: patch },
    );
  }

  deleteSource(tenantId: string, sourceId: string) {
    return this.call<void>(
      `${this.tenant(tenantId)}/sources/${encodeURIComponent(sourceId)}`,
      { method: 'DELETE' },
    );
  }

  runSource(tenantId: string, sourceId: string) {
    return this.call<DiscoveryJob>(
      `${this.tenant(tenantId)}/sources/${encodeURIComponent(sourceId)}/runs`,
      { method: 'POST' },
    );
  }

  listJobs(
    tenantId: string,
    query: { sourceId?: string; before?: string; limit?: number },
  ) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') params.set(k, String(v));
    const q = params.toString();
    return this.get<{ items: DiscoveryJob[]; nextBefore?: string }>(
      `${this.tenant(tenantId)}/jobs${q ? `?${q}` : ''}`,
    );
  }

  getJob(tenantId: string, jobId: string) {
    return this.get<DiscoveryJob>(
      `${this.tenant(tenantId)}/jobs/${encodeURIComponent(jobId)}`,
    );
  }

  listAssets(tenantId: string, query: AssetQuery) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') params.set(k, String(v));
    const q = params.toString();
    return this.get<{
      items: ListedAsset[];
      total: number;
      nextAfter?: string;
    }>(`/tenants/${encodeURIComponent(tenantId)}/assets${q ? `?${q}` : ''}`);
  }

  async listAttackPaths(tenantId: string, assetId?: string) {
    return (
      await this.get<{ items: AttackPath[] }>(
        `${this.tenant(tenantId)}/attack-paths${
          assetId ? `?assetId=${encodeURIComponent(assetId)}` : ''
        }`,
      )
    ).items;
  }
}
