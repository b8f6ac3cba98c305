export interface Config {
  infra?: {
    /** Infra Hub change control: plans, drift, the CAB (plugin infra-change). */
    change?: {
      /**
       * Approvals a change request needs before it is approved, by the risk of its plan.
       * Defaults: none 1, low 1, medium 1, high 2, critical 2. The requester never counts.
       */
      requiredApprovals?: {
        none?: number;
        low?: number;
        medium?: number;
        high?: number;
        critical?: number;
      };
      /** The largest plan upload accepted (default 64 MB); larger ones get 413. */
      maxPlanMegabytes?: number;
      /**
       * Plans are analysed in a worker thread, off the backend's event loop; an analysis that
       * takes longer than this (default 60 seconds) is stopped and the upload refused with 400.
       */
      analysisTimeoutSeconds?: number;
      /**
       * Plans uploaded at start, by tenant and module, for modules that have no plan yet: the
       * path of a `terraform show -json` file, relative to the backend's working directory. For
       * demos; real plans come from CI. Or `{ path, run }`, `run` naming the CI run the plan is
       * shown with (`<provider>:<repository>:<runId>`).
       */
      seedPlans?: {
        [tenantId: string]: {
          [moduleId: string]: string | { path: string; run?: string };
        };
      };
      /**
       * Modules whose drift the backend checks itself, by tenant and module: on the schedule it
       * runs `init`, `plan -refresh-only` and `show -json` in the working directory and ingests
       * the result like an uploaded refresh-only plan.
       */
      refresh?: {
        [tenantId: string]: {
          [moduleId: string]: {
            /** `terraform` (default), `tofu`, or a path to either. */
            binary?: string;
            /** The root module's directory, relative to the backend's working directory. */
            workingDirectory: string;
            /**
             * Environment variables of the backend handed to the binary, by name (cloud
             * credentials such as AWS_PROFILE); TF_* variables always are, nothing else is.
             */
            passEnv?: string[];
            /** How long a run may take (default 15). */
            timeoutMinutes?: number;
            /** When to run, in Backstage's scheduler format, e.g. `{ frequency: { hours: 6 }, timeout: { minutes: 20 } }`. */
            schedule: {
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
