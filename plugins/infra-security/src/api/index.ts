export { infraSecurityApiRef, InfraSecurityClient } from './InfraSecurityApi';
export type { InfraSecurityApi, AuditFilter } from './InfraSecurityApi';
