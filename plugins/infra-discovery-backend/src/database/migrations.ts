/** Where the discovery plugin's migrations live and are recorded (one set for all its stores). */
export const DISCOVERY_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-discovery-backend',
  tableName: 'infra_discovery_migrations',
};
