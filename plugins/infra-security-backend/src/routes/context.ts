import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  InfraAuthorizer,
  InfraRouteKit,
} from '@infra-hub/plugin-infra-security-node';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { ApiKeys } from '../services/ApiKeys';
import { AuditCheckpoints } from '../services/AuditCheckpoints';
import { AuditLog } from '../services/AuditLog';
import { Credentials } from '../services/Credentials';
import { Tenants } from '../services/Tenants';

/** What every route group of the security router is given. */
export type SecurityRouteContext = {
  /** The typed router generated from the OpenAPI document. */
  router: ReturnType<typeof createValidatedOpenApiRouter<typeof spec>>;
  kit: InfraRouteKit;
  auth: AuthService;
  authorizer: InfraAuthorizer;
  tenants: Tenants;
  audit: AuditLog;
  apiKeys: ApiKeys;
  checkpoints: AuditCheckpoints;
  /** Refuses everyone but backend plugins of this installation acting as themselves. */
  requirePluginService(credentials: BackstageCredentials): void;
  /** The vault; 503 when no vault key is configured. */
  vault(): Credentials;
};
