/** Where the change-control plugin's migrations live and are recorded. */
export const CHANGE_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-change-backend',
  tableName: 'infra_change_migrations',
};
