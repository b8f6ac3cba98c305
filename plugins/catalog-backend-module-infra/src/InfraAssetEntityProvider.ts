import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { parseAssetId } from '@infra-hub/plugin-infra-discovery-common';
import {
  assetToEntity,
  entityRefOf,
  FeedChange,
  TenantMapping,
} from './entities';

/** One page of the discovery changes feed of a tenant. */
export type ChangesPage = {
  items: FeedChange[];
  nextAfter?: string;
  more: boolean;
};

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
      logger: LoggerService;
    },
  ) {}

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
  ): DeferredEntity {
    const location = this.locationOf(mapping.tenantId);
    return {
      entity: assetToEntity(
        change.asset,
        change.edges,
        mapping,
        this.deps.excludedTypes,
        location,
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
          for (const change of page.items) {
            if (change.removed) continue;
            if (this.deps.excludedTypes.has(change.asset.type)) continue;
            entities.push(this.deferred(change, mapping));
          }
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
        const add: DeferredEntity[] = [];
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
            add.push(this.deferred(change, mapping));
          }
        }
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
