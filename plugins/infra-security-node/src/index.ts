/**
 * What every Infra Hub backend plugin uses from the security spine.
 *
 * @packageDocumentation
 */
export { TenantScope, isValidTenantId } from './tenantScope';
export {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  migratedClient,
  toIso,
} from './database';
export {
  createInfraApiRouter,
  InfraRouteKit,
  pageLimit,
  sendCsv,
  toCsv,
} from './routeKit';
export { InfraPluginClient } from './pluginClient';
export type { InfraPluginRequest } from './pluginClient';
export type { CursorPart, CursorValues, StoreOptions } from './database';
export {
  DECISION_REUSE_MS,
  InfraAuthorizer,
  apiKeyOf,
  apiKeySubject,
  actorOf,
  signedInUserOf,
} from './authorizer';
export type { ApiKeyPrincipal } from './authorizer';
export {
  API_KEY_PREFIX,
  infraApiKeyTokenHandlerFactory,
  createInfraApiKeyTokenHandler,
} from './apiKeyTokenHandler';
export { INFRA_TENANT_TOPIC, purgeTenantsOnLifecycle } from './tenantLifecycle';
export type { TenantLifecycleEvent } from './tenantLifecycle';
export {
  InfraSecuritySpineService,
  infraSecuritySpineServiceRef,
} from './securitySpine';
export type { InfraSecuritySpine } from './securitySpine';
