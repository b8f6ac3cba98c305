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
       * Plans uploaded at start, by tenant and module, for modules that have no plan yet: the
       * path of a `terraform show -json` file, relative to the backend's working directory. For
       * demos; real plans come from CI.
       */
      seedPlans?: { [tenantId: string]: { [moduleId: string]: string } };
    };
  };
}
