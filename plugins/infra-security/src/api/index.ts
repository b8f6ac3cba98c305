export {
  infraSecurityApiRef,
  InfraSecurityClient,
} from '@infra-hub/plugin-infra-security-react';
export type {
  InfraSecurityApi,
  AuditFilter,
} from '@infra-hub/plugin-infra-security-react';
