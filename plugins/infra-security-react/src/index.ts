/**
 * What every Infra Hub frontend plugin uses from the security spine: the infra-security API
 * (its ref and client) and `TenantPicker`, the tenant select every tenant-scoped page starts with.
 *
 * @packageDocumentation
 */
export { infraSecurityApiRef, InfraSecurityClient } from './InfraSecurityApi';
export type { InfraSecurityApi, AuditFilter } from './InfraSecurityApi';
export { TenantPicker } from './TenantPicker';
