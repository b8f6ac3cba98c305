/**
 * Infra Hub change control pages: the CAB queue and change detail, the drift dashboard, the
 * compliance report, the Changes, Module and Infrastructure tabs, and the golden paths' form
 * fields (InfraTenantPicker, InfraSystemPicker). The default export serves
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
  infraModuleEntityContent,
  infraServiceEntityContent,
  infraTenantPickerFormField,
  infraSystemPickerFormField,
  legacyInfraChangePlugin,
  InfraChangePage,
} from './plugin';
export { EntityChangesContent } from './components/EntityChangesContent';
// The golden paths' form fields, for a legacy app's ScaffolderFieldExtensions.
export {
  InfraSystemPickerField,
  InfraTenantPickerField,
} from './scaffolder/fields';
export {
  EntityModuleContent,
  isTerraformModuleWithCode,
} from './components/EntityModuleContent';
export {
  EntityServiceInfrastructureContent,
  isInfraService,
} from './components/EntityServiceInfrastructureContent';
// The predicate and annotation live in the common package; re-exported for existing users.
export {
  CHANGE_MODULE_ANNOTATION,
  isInfraChangeAvailable,
} from '@infra-hub/plugin-infra-change-common';
export { infraChangeApiRef, InfraChangeClient } from './api';
export type {
  InfraChangeApi,
  PlanRecord,
  PlanDetail,
  Decision,
  ChangeRequest,
  ReportRow,
} from './api';
