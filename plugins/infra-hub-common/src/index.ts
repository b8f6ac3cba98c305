/**
 * Types, permissions and constants of the Infra Hub suite that both the browser and the
 * server need.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './features';
export * from './types';
