export {
  infraComplianceApiRef,
  InfraComplianceClient,
} from './InfraComplianceApi';
export type {
  InfraComplianceApi,
  Evaluation,
  EvidenceRecord,
  Finding,
  FindingEvent,
  FindingPage,
  FindingQuery,
  FrameworkDetail,
  FrameworkPosture,
  GroupPosture,
  CustomFramework,
  TenantFramework,
  PoamEvent,
  PoamItem,
  PoamState,
  Posture,
  RuleSetDescription,
  TrendPoint,
} from './InfraComplianceApi';
