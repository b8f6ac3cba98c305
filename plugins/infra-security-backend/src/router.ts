import {
  AuthService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
} from '@infra-hub/plugin-infra-security-node';
import { apiKeyRoutes } from './routes/apiKeys';
import { auditRoutes } from './routes/audit';
import { SecurityRouteContext } from './routes/context';
import { credentialRoutes } from './routes/credentials';
import { tenantRoutes } from './routes/tenants';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ApiKeys } from './services/ApiKeys';
import { AuditCheckpoints } from './services/AuditCheckpoints';
import { AuditLog } from './services/AuditLog';
import { Credentials } from './services/Credentials';
import { Tenants } from './services/Tenants';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  authorizer: InfraAuthorizer;
  tenants: Tenants;
  audit: AuditLog;
  apiKeys: ApiKeys;
  checkpoints: AuditCheckpoints;
  /** Undefined when no vault key is configured. */
  credentials?: Credentials;
}

/** The largest request body accepted: a credential value is at most 64 KiB. */
const BODY_LIMIT = '128kb';

export async function createRouter(options: RouterOptions) {
  const { httpAuth, authorizer } = options;
  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
  });

  // Who calls and whether they may: the route kit (denials are audited by the authorizer).
  const kit = new InfraRouteKit({ httpAuth, authorizer });

  function vault() {
    if (!options.credentials) {
      throw new ServiceUnavailableError(
        'The credential vault has no key: set infra.security.vault in app-config',
      );
    }
    return options.credentials;
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const ctx: SecurityRouteContext = {
    ...options,
    router,
    kit,
    vault,
  };
  tenantRoutes(ctx);
  credentialRoutes(ctx);
  apiKeyRoutes(ctx);
  auditRoutes(ctx);

  return outer;
}
