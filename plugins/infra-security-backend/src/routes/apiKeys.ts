import { AuthenticationError } from '@backstage/errors';
import { infraUsersManagePermission } from '@infra-hub/plugin-infra-security-common';
import { actorOf, signedInUserOf } from '@infra-hub/plugin-infra-security-node';
import { SecurityRouteContext } from './context';

/**
 * Machine API keys: minted by signed-in users, listed, revoked, and introspected by the token
 * handler.
 */
export function apiKeyRoutes(ctx: SecurityRouteContext) {
  const { router, kit, tenants, apiKeys } = ctx;
  // ---- API keys ---------------------------------------------------------------------------------

  router.get('/tenants/:tenantId/api-keys', async (req, res) => {
    await kit.allowedInTenant(req, infraUsersManagePermission);
    res.json({ items: await apiKeys.list(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/api-keys', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraUsersManagePermission,
    );
    // A key acts for the person who minted it: keys and services mint none.
    const creator = signedInUserOf(credentials, 'create API keys');
    await tenants.get(req.params.tenantId);
    res
      .status(201)
      .json(await apiKeys.create(req.params.tenantId, req.body, creator));
  });

  router.delete('/tenants/:tenantId/api-keys/:keyId', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraUsersManagePermission,
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
}
