/**
 * Infra Hub compliance: rule packs evaluated over each tenant's discovered assets, findings with
 * a lifecycle, posture and its trend, and plan checks for change control.
 *
 * @packageDocumentation
 */
export { infraCompliancePlugin as default } from './plugin';
