/**
 * Infra Hub change control: plans, drift, change requests and the CAB, signed approvals,
 * evidence.
 *
 * @packageDocumentation
 */
export { infraChangePlugin as default } from './plugin';
export { analyzePlan } from './services/planAnalysis';
/** The plan reader moved to the common package; re-exported for existing callers. */
export {
  parsePlan,
  PlanFormatError,
} from '@infra-hub/plugin-infra-change-common';
export { planHashOf } from './services/planAnalysis';
