/**
 * Infra Hub change control: plans, drift, change requests and the CAB, signed approvals,
 * evidence.
 *
 * @packageDocumentation
 */
export { infraChangePlugin as default } from './plugin';
export {
  analyzePlan,
  parsePlan,
  PlanFormatError,
} from './services/planAnalysis';
export { planHashOf } from './services/planAnalysis';
