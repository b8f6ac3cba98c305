import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  AssetChangesPage,
  parseAssetId,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  assetToEntity,
  entityRefOf,
  FeedAsset,
  FeedChange,
  taggedRefs,
  TenantMapping,
} from './entities';
import { foreignRefs, TenantsOfEntities } from './feed';

/** One page of the discovery changes feed of a tenant. */
export type ChangesPage = AssetChangesPage<FeedAsset>;

/** Where the provider reads changes from (the discovery API, or a store in tests). */
export type ChangesFeed = (
  tenantId: string,
  options: { after?: string; includeRemoved: boolean; limit: number },
) => Promise<ChangesPage>;

export type SyncResult = {
  tenants: number;
  added: number;
  removed: number;
};

const PAGE = 2000;

/**
 * Publishes the discovered assets of the configured tenants as catalog entities. A full sync
 * reads every current asset of every tenant and replaces all of this provider's entities; after
 * it, a delta sync per tenant reads only what changed since the last cursor and adds or removes
 * just those entities. Syncs never run at the same time.
 */
export class InfraAssetEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly cursors = new Map<string, string | undefined>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      tenants: TenantMapping[];
      excludedTypes: ReadonlySet<string>;
      feed: ChangesFeed;
      /** The tenant annotation of the entities asset tags name as owner or system. */
      tenantsOf: TenantsOfEntities;
      logger: LoggerService;
    },
  ) {}

  /**
   * The entities of current assets, keyed to their tenant's location. Groups and systems the
   * assets' tags name are looked up once for the batch; those of another tenant are ignored.
   */
  private async deferredAll(
    changes: Array<Extract<FeedChange, { asset: unknown }>>,
    mapping: TenantMapping,
  ): Promise<DeferredEntity[]> {
    const refs = new Set<string>();
    for (const c of changes) {
      const t = taggedRefs(c.asset, mapping);
      if (t.owner) refs.add(t.owner);
      if (t.system) refs.add(t.system);
    }
    // Only a group or system the catalog has, of this tenant or of none, may be attached.
    const foreign = await foreignRefs(
      this.deps.tenantsOf,
      [...refs],
      mapping.tenantId,
    );
    if (foreign.size) {
      this.deps.logger.warn(
        'asset tags name groups or systems of another tenant or not in the catalog; ignored',
        { tenantId: mapping.tenantId, refs: [...foreign].slice(0, 20) },
      );
    }
    return changes.map(c => this.deferred(c, mapping, foreign));
  }

  getProviderName() {
    return 'infra-discovery';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  private locationOf(tenantId: string) {
    return `infra-discovery:tenants/${tenantId}`;
  }

  /** The entity of a current asset, keyed to its tenant's location. */
  private deferred(
    change: Extract<FeedChange, { asset: unknown }>,
    mapping: TenantMapping,
    foreign: ReadonlySet<string>,
  ): DeferredEntity {
    const location = this.locationOf(mapping.tenantId);
    return {
      entity: assetToEntity(
        change.asset,
        change.edges,
        mapping,
        this.deps.excludedTypes,
        location,
        foreign,
      ),
      locationKey: location,
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private conn() {
    if (!this.connection)
      throw new Error('The infra asset provider is not connected yet');
    return this.connection;
  }

  /** Replaces every entity of this provider with the current assets of every tenant. */
  fullSync(): Promise<SyncResult> {
    return this.serial(async () => {
      const connection = this.conn();
      const entities: DeferredEntity[] = [];
      const cursors = new Map<string, string | undefined>();
      for (const mapping of this.deps.tenants) {
        let after: string | undefined;
        let cursor: string | undefined;
        for (;;) {
          const page = await this.deps.feed(mapping.tenantId, {
            after,
            includeRemoved: false,
            limit: PAGE,
          });
          const current = page.items.filter(
            (c): c is Extract<FeedChange, { asset: unknown }> =>
              !c.removed && !this.deps.excludedTypes.has(c.asset.type),
          );
          entities.push(...(await this.deferredAll(current, mapping)));
          cursor = page.nextAfter ?? cursor;
          after = page.nextAfter;
          if (!page.more) break;
        }
        cursors.set(mapping.tenantId, cursor);
      }
      await connection.applyMutation({ type: 'full', entities });
      for (const [tenantId, cursor] of cursors)
        this.cursors.set(tenantId, cursor);
      this.deps.logger.info('published discovered assets to the catalog', {
        tenants: this.deps.tenants.length,
        entities: entities.length,
      });
      return {
        tenants: this.deps.tenants.length,
        added: entities.length,
        removed: 0,
      };
    });
  }

  /**
   * Adds or removes only the entities whose assets changed since the last sync of the tenant
   * (everything since the beginning if this process has not synced it yet).
   */
  deltaSync(tenantId: string): Promise<SyncResult> {
    return this.serial(async () => {
      const mapping = this.deps.tenants.find(t => t.tenantId === tenantId);
      if (!mapping) return { tenants: 0, added: 0, removed: 0 };
      const connection = this.conn();
      let after = this.cursors.get(tenantId);
      let added = 0;
      let removed = 0;
      for (;;) {
        const page = await this.deps.feed(tenantId, {
          after,
          includeRemoved: true,
          limit: PAGE,
        });
        const current: Array<Extract<FeedChange, { asset: unknown }>> = [];
        const remove: Array<{ entityRef: string; locationKey: string }> = [];
        for (const change of page.items) {
          const type = change.removed
            ? parseAssetId(change.id).type
            : change.asset.type;
          if (this.deps.excludedTypes.has(type)) continue;
          if (change.removed) {
            remove.push({
              entityRef: entityRefOf(change.id, mapping.namespace),
              locationKey: this.locationOf(tenantId),
            });
          } else {
            current.push(change);
          }
        }
        const add = await this.deferredAll(current, mapping);
        if (add.length || remove.length) {
          await connection.applyMutation({
            type: 'delta',
            added: add,
            removed: remove,
          });
        }
        added += add.length;
        removed += remove.length;
        if (page.nextAfter) {
          after = page.nextAfter;
          this.cursors.set(tenantId, after);
        }
        if (!page.more) break;
      }
      if (added || removed) {
        this.deps.logger.info('applied asset changes to the catalog', {
          tenantId,
          added,
          removed,
        });
      }
      return { tenants: 1, added, removed };
    });
  }
}
