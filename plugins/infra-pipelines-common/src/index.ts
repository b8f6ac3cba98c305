/**
 * Infra Hub pipelines: what the backend and the pages share.
 *
 * @packageDocumentation
 */
export * from './types';
