/**
 * The asset model of Infra Hub discovery.
 *
 * @packageDocumentation
 */
export * from './model';
export * from './api';
