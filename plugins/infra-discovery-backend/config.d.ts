export interface Config {
  infra?: {
    /** Infra Hub discovery (plugin infra-discovery). */
    discovery?: {
      /**
       * Sources defined in config, by tenant id and then source id. They are created or brought
       * in line with this at every start; sources are also listed and run through the API.
       */
      /**
       * How often, in seconds, the scheduler looks for sources created through the API whose
       * interval (`schedule`, an ISO 8601 duration such as PT1H) has passed. Default 60.
       */
      sweepIntervalSeconds?: number;
      /**
       * Where providers may connect for sources created through the API (sources defined here
       * are the operator's and are not restricted). By default only public addresses: loopback,
       * link-local (169.254.169.254, cloud metadata), private, shared and unique-local ranges
       * are refused, checked on every resolved address at connect time; redirects are not
       * followed.
       */
      egress?: {
        /** Non-public networks sources may reach anyway, in CIDR form (e.g. `10.20.0.0/16`). */
        allowedNetworks?: string[];
        /**
         * Whether a source without a credential may use the backend host's own cloud identity
         * (instance role, environment keys). Default false.
         */
        allowHostIdentity?: boolean;
      };
      sources?: {
        [tenantId: string]: {
          [sourceId: string]: {
            /** Display name (defaults to the id). */
            name?: string;
            /** The provider kind: `terraform` (state files) or `aws` (live AWS APIs). */
            provider: string;
            /**
             * Id of a vault credential of this tenant (Infra Admin, Credentials) handed to the
             * provider at run time: a token for an HTTP state URL, or an AWS access key as JSON
             * `{"accessKeyId","secretAccessKey","sessionToken"?}`.
             */
            credentialId?: string;
            /** Workspace of the tenant the source belongs to. */
            workspaceId?: string;
            /**
             * The provider's settings, e.g. `{ type: file, path: ../../examples/...tfstate }`
             * (relative paths from the backend's working directory), `{ type: http, url }` or
             * `{ type: s3, bucket, key, region }`. Never secrets.
             */
            settings: { [key: string]: unknown };
            /**
             * When to run, in Backstage's scheduler format, e.g.
             * `{ frequency: { hours: 1 }, timeout: { minutes: 10 }, initialDelay: { seconds: 10 } }`.
             * Without it the source only runs on demand.
             */
            schedule?: {
              frequency: { [unit: string]: number } | { cron: string } | string;
              timeout: { [unit: string]: number } | string;
              initialDelay?: { [unit: string]: number } | string;
            };
          };
        };
      };
    };
  };
}
