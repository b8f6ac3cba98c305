/**
 * Infra Hub compliance pages: posture per framework and control with its trend, findings with
 * suppressions, evaluations, and the Compliance tab on resources, systems and their components.
 * The default export serves Backstage's current frontend system; `legacyInfraCompliancePlugin`,
 * `InfraCompliancePage` and `EntityComplianceContent` serve the legacy one.
 *
 * @packageDocumentation
 */
export {
  infraCompliancePlugin as default,
  infraCompliancePlugin,
  infraComplianceApi,
  infraCompliancePage,
  infraComplianceEntityContent,
  legacyInfraCompliancePlugin,
  InfraCompliancePage,
} from './plugin';
export { EntityComplianceContent } from './components/EntityComplianceContent';
export {
  complianceScopeOf,
  isInfraComplianceAvailable,
} from '@infra-hub/plugin-infra-compliance-common';
export * from './api';
