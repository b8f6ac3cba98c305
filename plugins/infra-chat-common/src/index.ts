/**
 * Infra Hub chat and AI governance, shared by browser and server.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './governance';
