import { NotFoundError } from '@backstage/errors';
import { AttackPath } from '@infra-hub/plugin-infra-discovery-common';
import { AssetFilter, GraphStore } from '../database/GraphStore';
import { SourceStore } from '../database/SourceStore';
import { AttackPathCache } from './attackPaths';

/**
 * What readers of a tenant's estate ask: its assets, one asset and its neighbourhood, the
 * changes feed, discovery jobs, and the attack paths (computed once per graph version).
 */
export class GraphService {
  private readonly attackPaths: AttackPathCache;

  constructor(
    private readonly deps: { graph: GraphStore; sources: SourceStore },
  ) {
    this.attackPaths = new AttackPathCache(deps.graph);
  }

  listAssets(
    tenantId: string,
    filter: AssetFilter,
    page: { limit: number; after?: string },
    options: { attributes?: boolean } = {},
  ) {
    return this.deps.graph.listAssets([tenantId], filter, page, options);
  }

  async asset(tenantId: string, id: string) {
    const found = await this.deps.graph.getAsset(tenantId, id);
    if (!found)
      throw new NotFoundError(`No asset '${id}' in tenant '${tenantId}'`);
    return found;
  }

  async neighbourhood(tenantId: string, id: string, depth: number) {
    const found = await this.deps.graph.neighbourhood(tenantId, id, depth);
    if (!found)
      throw new NotFoundError(
        `No current asset '${id}' in tenant '${tenantId}'`,
      );
    return found;
  }

  changes(
    tenantId: string,
    options: { after?: string; limit: number; includeRemoved: boolean },
  ) {
    return this.deps.graph.changes(tenantId, options);
  }

  jobs(
    tenantId: string,
    options: { sourceId?: string; limit: number; before?: string },
  ) {
    return this.deps.sources.listJobs(tenantId, options);
  }

  job(tenantId: string, jobId: string) {
    return this.deps.sources.getJob(tenantId, jobId);
  }

  /** The tenant's attack paths, best first; with `through`, only those that pass that asset. */
  async attackPathsOf(
    tenantId: string,
    options: { through?: string; limit: number },
  ): Promise<AttackPath[]> {
    const { through, limit } = options;
    return (await this.attackPaths.get(tenantId))
      .filter(
        p =>
          !through ||
          p.entry === through ||
          p.target === through ||
          p.steps.some(s => s.edge.from === through || s.edge.to === through),
      )
      .slice(0, limit);
  }
}
