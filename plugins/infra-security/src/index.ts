/**
 * The Infra Hub administration page: tenants, members and roles, API keys, credentials and the
 * audit log. The default export serves Backstage's current frontend system; the named
 * `legacyInfraSecurityPlugin` and `InfraAdminPage` serve the legacy one.
 *
 * @packageDocumentation
 */
export {
  infraSecurityPlugin as default,
  infraSecurityPlugin,
  infraSecurityApi,
  infraAdminPage,
  legacyInfraSecurityPlugin,
  InfraAdminPage,
} from './plugin';
export { infraSecurityApiRef, InfraSecurityClient } from './api';
export type { InfraSecurityApi, AuditFilter } from './api';
export { TenantPicker } from '@infra-hub/plugin-infra-security-react';
