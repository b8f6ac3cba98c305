export interface Config {
  infra?: {
    permission?: {
      /**
       * Groups whose members may change what the catalog ingests (register and delete locations,
       * delete entities), as entity refs. Default: `group:default/platform-engineering`.
       */
      platformAdminGroups?: string[];
    };
  };
}
