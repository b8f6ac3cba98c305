/**
 * Roles, permissions and shared types of the Infra Hub security spine.
 *
 * @packageDocumentation
 */
export * from './roles';
export * from './permissions';
export * from './types';
export * from './canonicalJson';
export * from './secrets';
export * from './signing';
