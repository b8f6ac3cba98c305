/**
 * Infra Hub compliance, shared by browser and server: rule packs, frameworks, rule results.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './api';
export * from './entity';
export * from './poam';
export * from './findingEntity';
export * from './evidence';
export * from './secrets';
export * from './terraformModule';
