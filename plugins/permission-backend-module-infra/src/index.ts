/**
 * The Infra Hub permission policy, as a module of Backstage's permission plugin.
 *
 * @packageDocumentation
 */
export { permissionModuleInfraPolicy as default } from './module';
export { InfraPermissionPolicy, PLATFORM_ADMIN_GROUP } from './policy';
export type { RoleSource } from './policy';
export { HttpRoleSource } from './roleSource';
