export { infraChangeApiRef, InfraChangeClient } from './InfraChangeApi';
export type {
  InfraChangeApi,
  PlanRecord,
  PlanDetail,
  Decision,
  ChangeRequest,
  ReportRow,
  AssistText,
} from './InfraChangeApi';
