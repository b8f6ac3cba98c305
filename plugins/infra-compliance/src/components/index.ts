export { CompliancePage, ComplianceContent } from './CompliancePage';
export { EntityComplianceContent } from './EntityComplianceContent';
