/**
 * Infra Hub change control pages: the CAB queue and change detail, the drift dashboard, the
 * compliance report, and the Changes tab on Terraform module entities. The default export serves
 * Backstage's current frontend system; `legacyInfraChangePlugin`, `InfraChangePage` and
 * `EntityChangesContent` serve the legacy one.
 *
 * @packageDocumentation
 */
export {
  infraChangePlugin as default,
  infraChangePlugin,
  infraChangeApi,
  infraChangePage,
  infraChangeEntityContent,
  legacyInfraChangePlugin,
  InfraChangePage,
} from './plugin';
export {
  EntityChangesContent,
  isInfraChangeAvailable,
} from './components/EntityChangesContent';
export { infraChangeApiRef, InfraChangeClient } from './api';
export type {
  InfraChangeApi,
  PlanRecord,
  PlanDetail,
  Decision,
  ChangeRequest,
  ReportRow,
} from './api';
