export interface Config {
  infra?: {
    /** Infra Hub compliance: rule packs, evaluations, findings, posture (plugin infra-compliance). */
    compliance?: {
      /**
       * Whether the rule packs shipped with `@infra-hub/plugin-infra-compliance-node` (the AWS
       * rules and the six frameworks they map to) are active. Default true.
       */
      builtInPacks?: boolean;
      /**
       * More rule packs, by a name of your choosing: a `.yaml` file or a folder of them, relative
       * to the backend's working directory. They are watched: a change takes effect without a
       * restart, and a pack that does not load is refused (logged with file, line and reason)
       * while the previous rules stay active.
       */
      packs?: { [name: string]: string };
      /**
       * OSCAL catalogs (JSON) by name, relative to the backend's working directory: a framework
       * whose `catalog` names one shows that catalog's official control titles. The framework
       * `nist-800-53-r5` names `nist-800-53-r5`: NIST publishes the catalog at
       * https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json
       * (download it next to the backend; nothing is fetched at run time). FedRAMP Moderate
       * names `nist-800-53-r5-moderate` (the resolved moderate baseline of the same folder).
       * Without a catalog, the titles of the packs are shown.
       */
      catalogs?: { [name: string]: string };
      /**
       * Every tenant evaluated before is evaluated again this often, in minutes (default 360), so
       * that the posture trend has a point even on days nothing changed and expired suppressions
       * open again. Evaluations also run when discovery changes a tenant's graph and when the
       * rules change.
       */
      reevaluateMinutes?: number;
      /**
       * How long to wait after a graph change before evaluating the tenant, in seconds (default
       * 5): changes of several sources arriving together are evaluated once.
       */
      graphChangeDelaySeconds?: number;
      /** The evidence kept for each evaluation (per control, with the rule results). */
      evidence?: {
        /**
         * Have the change-control plugin sign each evaluation's evidence with the
         * installation's keys, ML-DSA-65 and Ed25519 (default true). Without change control
         * installed, set false: evidence is still kept, unsealed, and cannot be downloaded.
         */
        seal?: boolean;
      };
    };
  };
}
