/**
 * The asset model of Infra Hub discovery.
 *
 * @packageDocumentation
 */
export * from './model';
