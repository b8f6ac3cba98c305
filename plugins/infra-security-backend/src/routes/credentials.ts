import {
  infraCredentialsManagePermission,
  infraSystemSettingsPermission,
} from '@infra-hub/plugin-infra-security-common';
import { actorOf } from '@infra-hub/plugin-infra-security-node';
import { SecurityRouteContext } from './context';

/** The credential vault: values go in, never come out; rotation re-seals every record. */
export function credentialRoutes(ctx: SecurityRouteContext) {
  const { router, kit, tenants, vault } = ctx;
  // ---- credentials ------------------------------------------------------------------------------

  router.get('/tenants/:tenantId/credentials', async (req, res) => {
    await kit.allowedInTenant(req, infraCredentialsManagePermission);
    res.json({ items: await vault().list(req.params.tenantId) });
  });

  router.post('/tenants/:tenantId/credentials', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraCredentialsManagePermission,
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
      const credentials = await kit.allowedInTenant(
        req,
        infraCredentialsManagePermission,
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
      const credentials = await kit.allowedInTenant(
        req,
        infraCredentialsManagePermission,
      );
      await vault().delete(
        req.params.tenantId,
        req.params.credentialId,
        actorOf(credentials),
      );
      res.status(204).end();
    },
  );

  // ---- vault ------------------------------------------------------------------------------------

  router.post('/vault/rotate', async (req, res) => {
    const credentials = await kit.allowed(req, infraSystemSettingsPermission);
    res.json(await vault().rotate(actorOf(credentials)));
  });
}
