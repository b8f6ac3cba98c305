import { Asset, Edge, EdgeType } from './model';

/**
 * A discovery source as the API gives it: what to discover in a tenant.
 *
 * @public
 */
export type DiscoverySource = {
  tenantId: string;
  id: string;
  /** Workspace of the tenant the source belongs to. */
  workspaceId?: string;
  name: string;
  /** The provider kind, e.g. `terraform` or `aws`. */
  provider: string;
  /** The provider's settings; never secrets. */
  settings: Record<string, unknown>;
  /** The vault credential handed to the provider at run time. */
  credentialId?: string;
  /** ISO 8601 interval for API sources; what app-config says for config sources. */
  schedule?: string;
  enabled: boolean;
  /** `config` for sources defined in app-config (changed only there), `api` otherwise. */
  origin: 'config' | 'api';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

/**
 * A run of a source.
 *
 * @public
 */
export type DiscoveryJob = {
  tenantId: string;
  id: string;
  sourceId: string;
  trigger: 'schedule' | 'manual';
  status: 'running' | 'succeeded' | 'failed';
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  counts?: { assets: number; edges: number; added: number; gone: number };
  /** Partial errors: the run went on. */
  warnings: string[];
  error?: string;
  /** While running: what the provider last said and what has arrived so far. */
  progress?: {
    message?: string;
    done?: number;
    total?: number;
    assets: number;
    edges: number;
  };
};

/**
 * An asset as one source saw it.
 *
 * @public
 */
export type DiscoveredAsset = Asset & {
  sourceId: string;
  firstSeen: string;
  lastSeen: string;
  goneAt?: string;
};

/**
 * What changed about one asset, as the discovery backend's changes feed
 * (`GET /tenants/{tenantId}/changes`) gives it: the asset as last seen with its outgoing
 * relationships, or `removed` when no source has it any more.
 *
 * @public
 */
export type AssetChange<A = DiscoveredAsset> =
  | { id: string; removed: true }
  | {
      id: string;
      removed?: false;
      /** The most recently seen of the views the sources have of it. */
      asset: A;
      /** Its outgoing relationships, across sources. */
      edges: Array<{ to: string; type: EdgeType }>;
    };

/**
 * One page of the changes feed: `nextAfter` goes on from here (also on the last page, so that a
 * later call sees only newer changes); `more` says whether a next page exists now.
 *
 * @public
 */
export type AssetChangesPage<A = DiscoveredAsset> = {
  items: Array<AssetChange<A>>;
  nextAfter?: string;
  more: boolean;
};

/** An edge as one source reported it. @public */
export type DiscoveredEdge = Edge & { sourceId: string };

/**
 * What a run changed in a tenant's graph, as announced on the `infra-discovery.graph-changed` events topic.
 *
 * @public
 */
export type GraphChange = {
  tenantId: string;
  sourceId: string;
  /** Empty when the change is a deleted source. */
  jobId: string;
  changed: number;
  gone: number;
  /** The tenant was deleted and its whole graph removed: readers should re-read everything. */
  purged?: boolean;
};

/** One step of an attack path: the edge, walked forwards or backwards. @public */
export type PathStep = { edge: Edge; reversed: boolean };

/** A way in from the internet to a sensitive asset, ranked. @public */
export type AttackPath = {
  /** Stable for the same entry, chain and target. */
  id: string;
  entry: string;
  target: string;
  score: number;
  severity: 'critical' | 'high' | 'medium' | 'low';
  /** From the internet to the target. */
  steps: PathStep[];
  reasons: string[];
};

/**
 * A new discovery source, as `POST /tenants/{tenantId}/sources` takes it.
 *
 * @public
 */
export type DiscoverySourceInput = {
  id: string;
  name: string;
  provider: string;
  settings: Record<string, unknown>;
  credentialId?: string;
  workspaceId?: string;
  /** ISO 8601 interval, PT5M to P30D. */
  schedule?: string;
  enabled?: boolean;
};

/**
 * A change to a source, as `PATCH /tenants/{tenantId}/sources/{sourceId}` takes it; `null`
 * clears an optional field.
 *
 * @public
 */
export type DiscoverySourcePatch = {
  name?: string;
  settings?: Record<string, unknown>;
  credentialId?: string | null;
  workspaceId?: string | null;
  schedule?: string | null;
  enabled?: boolean;
};

/** An installed provider kind, as a source form offers it. @public */
export type DiscoveryProviderKind = {
  id: string;
  title: string;
  credentialHint: string;
};

/** Filters of the asset inventory. @public */
export type AssetFilter = {
  type?: string;
  account?: string;
  region?: string;
  /** Matched against name and id, case-insensitively. */
  search?: string;
  includeGone?: boolean;
};

/**
 * An asset as the inventory lists it: everything but its attributes, which only the detail
 * route (`GET /tenants/{tenantId}/asset`) and lists asked for them (`include=attributes`) carry.
 *
 * @public
 */
export type ListedAsset = Omit<DiscoveredAsset, 'attributes'> & {
  attributes?: Record<string, unknown>;
};

/** One page of the asset inventory. @public */
export type AssetPage = {
  items: ListedAsset[];
  total: number;
  /** The cursor of the next page, when there is one. */
  nextAfter?: string;
};

/** An asset's neighbourhood in the graph, as the graph view draws it. @public */
export type AssetNeighbourhood = {
  nodes: Array<
    Pick<DiscoveredAsset, 'id' | 'type' | 'name' | 'account' | 'region'>
  >;
  edges: DiscoveredEdge[];
  /** True when the neighbourhood had more nodes than were returned. */
  truncated: boolean;
};
