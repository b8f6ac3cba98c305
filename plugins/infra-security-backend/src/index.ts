/**
 * The Infra Hub security spine's backend plugin.
 *
 * @packageDocumentation
 */
export { infraSecurityPlugin as default } from './plugin';
