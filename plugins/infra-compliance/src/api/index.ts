export {
  infraComplianceApiRef,
  InfraComplianceClient,
} from './InfraComplianceApi';
export type {
  InfraComplianceApi,
  Evaluation,
  Finding,
  FindingEvent,
  FindingPage,
  FindingQuery,
  FrameworkDetail,
  FrameworkPosture,
  GroupPosture,
  Posture,
  RuleSetDescription,
  TrendPoint,
} from './InfraComplianceApi';
