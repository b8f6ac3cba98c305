import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  infraAuditLogReadPermission,
  infraCredentialsManagePermission,
  InfraRole,
  infraSystemSettingsPermission,
  infraTenantCreatePermission,
  infraTenantDeletePermission,
  infraTenantReadPermission,
  infraUsersManagePermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  apiKeyOf,
  InfraAuthorizer,
  InfraRouteKit,
  pageLimit,
  sendCsv,
  signedInUserOf,
  toCsv,
} from '@infra-hub/plugin-infra-security-node';
import express from 'express';
import Router from 'express-promise-router';
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

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'scope',
  'actor',
  'action',
  'outcome',
  'subject',
  'details',
  'prevHash',
  'hash',
] as const;

export async function createRouter(options: RouterOptions) {
  const { httpAuth, auth, authorizer, tenants, audit, apiKeys, checkpoints } =
    options;
  // Bodies are parsed before the OpenAPI router, so that a body too large or not JSON reaches the
  // error handler as what it is (413, 400) rather than as a validation error.
  const outer = Router();
  outer.use(express.json({ limit: BODY_LIMIT }));
  const router = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  outer.use(router);

  // Who calls and whether they may: the route kit (denials are audited by the authorizer).
  const kit = new InfraRouteKit({ httpAuth, authorizer });

  /**
   * Backend plugins of this installation acting as themselves (subject `plugin:<id>`), never a
   * machine API key or an external access token.
   */
  function requirePluginService(credentials: BackstageCredentials) {
    if (
      !auth.isPrincipal(credentials, 'service') ||
      !credentials.principal.subject.startsWith('plugin:')
    ) {
      throw new NotAllowedError('Only backend plugins may call this endpoint');
    }
  }

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

  router.get('/me', async (req, res) => {
    const credentials = await kit.credentials(req);
    const key = apiKeyOf(credentials);
    let roles: Array<{ scope: string; role: InfraRole }> = [];
    if (key) roles = [{ scope: key.tenantId, role: key.role }];
    else if (auth.isPrincipal(credentials, 'user')) {
      roles = await tenants.rolesOf(credentials.principal.userEntityRef);
    }
    res.json({ actor: actorOf(credentials), roles });
  });

  // ---- tenants ----------------------------------------------------------------------------------

  router.get('/tenants', async (req, res) => {
    const credentials = await kit.credentials(req);
    const readable = await authorizer.allowedTenants(
      credentials,
      infraTenantReadPermission,
    );
    const admin = await authorizer.isAllowed(
      credentials,
      infraTenantCreatePermission,
    );
    res.json({ items: await tenants.list(admin ? 'all' : readable) });
  });

  router.post('/tenants', async (req, res) => {
    const credentials = await kit.allowed(req, infraTenantCreatePermission);
    res.status(201).json(await tenants.create(req.body, actorOf(credentials)));
  });

  router.get('/tenants/:tenantId', async (req, res) => {
    const credentials = await kit.credentials(req);
    const { tenantId } = req.params;
    if (
      !(await authorizer.isAllowed(credentials, infraTenantCreatePermission))
    ) {
      await authorizer.authorize(
        credentials,
        infraTenantReadPermission,
        tenantId,
      );
    }
    res.json(await tenants.get(tenantId));
  });

  router.delete('/tenants/:tenantId', async (req, res) => {
    const credentials = await kit.allowed(req, infraTenantDeletePermission);
    await tenants.delete(req.params.tenantId, actorOf(credentials));
    res.status(204).end();
  });

  // ---- workspaces -------------------------------------------------------------------------------

  router.get('/tenants/:tenantId/workspaces', async (req, res) => {
    await kit.allowed(req, infraTenantReadPermission, req.params.tenantId);
    res.json({ items: await tenants.listWorkspaces(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/workspaces', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraUsersManagePermission,
      req.params.tenantId,
    );
    res
      .status(201)
      .json(
        await tenants.createWorkspace(
          req.params.tenantId,
          req.body,
          actorOf(credentials),
        ),
      );
  });

  router.delete(
    '/tenants/:tenantId/workspaces/:workspaceId',
    async (req, res) => {
      const credentials = await kit.allowed(
        req,
        infraUsersManagePermission,
        req.params.tenantId,
      );
      await tenants.deleteWorkspace(
        req.params.tenantId,
        req.params.workspaceId,
        actorOf(credentials),
      );
      res.status(204).end();
    },
  );

  // ---- role bindings ----------------------------------------------------------------------------

  router.get('/tenants/:tenantId/role-bindings', async (req, res) => {
    const credentials = await kit.credentials(req);
    const { tenantId } = req.params;
    if (
      !(await authorizer.isAllowed(
        credentials,
        infraUsersManagePermission,
        tenantId,
      ))
    ) {
      await authorizer.authorize(
        credentials,
        infraTenantReadPermission,
        tenantId,
      );
    }
    res.json({ items: await tenants.members(tenantId) });
  });

  router.post('/tenants/:tenantId/role-bindings', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraUsersManagePermission,
      req.params.tenantId,
    );
    const { userRef, role } = req.body;
    res
      .status(201)
      .json(
        await tenants.grant(
          req.params.tenantId,
          userRef,
          role,
          actorOf(credentials),
        ),
      );
  });

  router.delete('/tenants/:tenantId/role-bindings', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraUsersManagePermission,
      req.params.tenantId,
    );
    await tenants.revoke(
      req.params.tenantId,
      String(req.query.userRef),
      req.query.role as InfraRole,
      actorOf(credentials),
    );
    res.status(204).end();
  });

  // ---- credentials ------------------------------------------------------------------------------

  router.get('/tenants/:tenantId/credentials', async (req, res) => {
    await kit.allowed(
      req,
      infraCredentialsManagePermission,
      req.params.tenantId,
    );
    res.json({ items: await vault().list(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/credentials', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraCredentialsManagePermission,
      req.params.tenantId,
    );
    await tenants.get(req.params.tenantId);
    res
      .status(201)
      .json(
        await vault().create(
          req.params.tenantId,
          req.body,
          actorOf(credentials),
        ),
      );
  });

  router.put(
    '/tenants/:tenantId/credentials/:credentialId',
    async (req, res) => {
      const credentials = await kit.allowed(
        req,
        infraCredentialsManagePermission,
        req.params.tenantId,
      );
      res.json(
        await vault().replace(
          req.params.tenantId,
          req.params.credentialId,
          req.body.value,
          actorOf(credentials),
        ),
      );
    },
  );

  router.delete(
    '/tenants/:tenantId/credentials/:credentialId',
    async (req, res) => {
      const credentials = await kit.allowed(
        req,
        infraCredentialsManagePermission,
        req.params.tenantId,
      );
      await vault().delete(
        req.params.tenantId,
        req.params.credentialId,
        actorOf(credentials),
      );
      res.status(204).end();
    },
  );

  // ---- API keys ---------------------------------------------------------------------------------

  router.get('/tenants/:tenantId/api-keys', async (req, res) => {
    await kit.allowed(req, infraUsersManagePermission, req.params.tenantId);
    res.json({ items: await apiKeys.list(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/api-keys', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraUsersManagePermission,
      req.params.tenantId,
    );
    // A key acts for the person who minted it: keys and services mint none.
    const creator = signedInUserOf(credentials, 'create API keys');
    await tenants.get(req.params.tenantId);
    res
      .status(201)
      .json(await apiKeys.create(req.params.tenantId, req.body, creator));
  });

  router.delete('/tenants/:tenantId/api-keys/:keyId', async (req, res) => {
    const credentials = await kit.allowed(
      req,
      infraUsersManagePermission,
      req.params.tenantId,
    );
    res.json(
      await apiKeys.revoke(
        req.params.tenantId,
        req.params.keyId,
        actorOf(credentials),
      ),
    );
  });

  router.post('/api-keys/introspect', async (req, res) => {
    const key = await apiKeys.introspect(req.body.token);
    if (!key)
      throw new AuthenticationError('Invalid, revoked or expired API key');
    res.json({ keyId: key.keyId, tenantId: key.tenantId, role: key.role });
  });

  // ---- audit log --------------------------------------------------------------------------------

  router.get('/audit/:scope/events', async (req, res) => {
    const credentials = await kit.credentials(req);
    const { scope } = req.params;
    await authorizer.authorize(credentials, infraAuditLogReadPermission, scope);
    const q = req.query;
    const csv = q.format === 'csv';
    const limit = csv
      ? 10_000
      : pageLimit(q.limit, { fallback: 100, max: 500 });
    const page = await audit.list(scope, {
      action: q.action,
      actor: q.actor,
      outcome: q.outcome,
      from: q.from,
      to: q.to,
      before: q.before === undefined ? undefined : Number(q.before),
      limit,
    });
    if (csv) {
      sendCsv(
        res as unknown as express.Response,
        `audit-${scope}.csv`,
        toCsv(
          CSV_COLUMNS,
          page.events.map(e => CSV_COLUMNS.map(c => e[c])),
        ),
      );
      return;
    }
    res.json({ items: page.events, nextBefore: page.nextBefore });
  });

  router.get('/audit/:scope/verify', async (req, res) => {
    await kit.allowed(req, infraAuditLogReadPermission, req.params.scope);
    res.json(await checkpoints.verify(req.params.scope));
  });

  router.post('/audit/events', async (req, res) => {
    const credentials = await kit.credentials(req);
    requirePluginService(credentials);
    const event = await audit.recordEvent(req.body);
    if (event) res.status(201).json(event);
    else res.status(202).json({ aggregated: true });
  });

  // ---- for the permission policy ----------------------------------------------------------------

  router.get('/internal/role-bindings', async (req, res) => {
    const credentials = await kit.credentials(req);
    requirePluginService(credentials);
    res.json({ items: await tenants.rolesOf(String(req.query.userRef)) });
  });

  // ---- vault ------------------------------------------------------------------------------------

  router.post('/vault/rotate', async (req, res) => {
    const credentials = await kit.allowed(req, infraSystemSettingsPermission);
    res.json(await vault().rotate(actorOf(credentials)));
  });

  return outer;
}
