/** Where the security spine's migrations live and are recorded. */
export const SECURITY_MIGRATIONS = {
  packageName: '@infra-hub/plugin-infra-security-backend',
  tableName: 'infra_security_migrations',
};
