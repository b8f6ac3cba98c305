export interface Config {
  infra?: {
    /**
     * Infra Hub chat (plugin infra-chat): answers about a tenant from its catalog, modules,
     * assets, attack paths, drift, change requests and findings, each cited, each built only from
     * what the asker may read.
     */
    chat?: {
      /**
       * Every tenant is indexed again this often, in minutes (default 30), which also picks up
       * catalog edits. Discovery, compliance and change control announce their changes, and the
       * kinds they name are indexed within `eventDelaySeconds`.
       */
      reindexMinutes?: number;
      /**
       * How long to wait after a change is announced before indexing it, in seconds (default 5):
       * changes arriving together are indexed once.
       */
      eventDelaySeconds?: number;
      /** How long after start the first full indexing begins, in seconds (default 15). */
      initialIndexDelaySeconds?: number;
      /**
       * Whether similarity search (vectors of the deterministic local embedder, compared in
       * process) is fused with keyword search (default true). Off: keyword search only.
       */
      vectors?: boolean;
    };
  };
}
