import {
  InfraRole,
  infraTenantCreatePermission,
  infraTenantDeletePermission,
  infraTenantReadPermission,
  infraUsersManagePermission,
} from '@infra-hub/plugin-infra-security-common';
import { actorOf, apiKeyOf } from '@infra-hub/plugin-infra-security-node';
import { SecurityRouteContext } from './context';

/**
 * Who the caller is, tenants, their workspaces and role bindings, and the roles the permission
 * policy reads.
 */
export function tenantRoutes(ctx: SecurityRouteContext) {
  const { router, kit, auth, authorizer, tenants } = ctx;
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
    await kit.allowedInTenant(req, infraTenantReadPermission);
    res.json({ items: await tenants.listWorkspaces(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/workspaces', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraUsersManagePermission,
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
      const credentials = await kit.allowedInTenant(
        req,
        infraUsersManagePermission,
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
    const credentials = await kit.allowedInTenant(
      req,
      infraUsersManagePermission,
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
    const credentials = await kit.allowedInTenant(
      req,
      infraUsersManagePermission,
    );
    await tenants.revoke(
      req.params.tenantId,
      String(req.query.userRef),
      req.query.role as InfraRole,
      actorOf(credentials),
    );
    res.status(204).end();
  });

  // ---- for the permission policy ----------------------------------------------------------------

  router.get('/internal/role-bindings', async (req, res) => {
    await kit.pluginService(req);
    res.json({ items: await tenants.rolesOf(String(req.query.userRef)) });
  });
}
