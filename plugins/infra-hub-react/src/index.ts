/**
 * What every Infra Hub frontend plugin shares.
 *
 * @packageDocumentation
 */
export { createInfraPagePlugin } from './createInfraPagePlugin';
export { InfraBackendRequests } from './InfraBackendRequests';
export { downloadText } from './downloadText';
