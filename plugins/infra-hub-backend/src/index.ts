/**
 * The Infra Hub suite's own backend plugin.
 *
 * @packageDocumentation
 */
export { infraHubPlugin as default } from './plugin';
