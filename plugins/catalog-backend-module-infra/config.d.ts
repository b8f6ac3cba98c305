export interface Config {
  infra?: {
    /** Infra Hub assets in the catalog (module catalog-backend-module-infra). */
    catalog?: {
      /**
       * The tenants whose discovered assets become catalog entities, by tenant id. A tenant not
       * listed here stays out of the catalog (catalog entities are visible to every signed-in
       * user; the asset details behind the Infrastructure tab stay behind the tenant's roles).
       */
      tenants?: {
        [tenantId: string]: {
          /** Owner of the entities, e.g. `group:default/cartwheel-engineering`. */
          owner: string;
          /**
           * The entity namespace (default: the tenant id).
           */
          namespace?: string;
          /**
           * Namespace of the systems named by an asset's `System` tag (default: `default`).
           */
          systemNamespace?: string;
        };
      };
      /**
       * Asset types that do not become entities (they stay in the asset graph): by default the
       * configuration parts of other resources (policy attachments, bucket encryption, access
       * blocks, bucket policies, logging, versioning, KMS aliases, function URLs).
       */
      excludeTypes?: string[];
      /** How often every published tenant is re-read in full (default: 30 minutes). */
      fullRefreshMinutes?: number;
      /**
       * How often changes are fetched even without an announcement from discovery (default: 5
       * minutes); a run that changed the graph is picked up at once through the events service.
       */
      deltaRefreshSeconds?: number;
    };
  };
}
