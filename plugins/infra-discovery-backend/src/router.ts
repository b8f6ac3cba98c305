import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  infraAssetGraphReadPermission,
  infraAssetGraphWritePermission,
  infraDiscoveryRunPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
  pageLimit,
} from '@infra-hub/plugin-infra-security-node';
import { Request } from 'express';
import { createOpenApiRouter } from './schema/openapi.generated';
import { GraphService } from './services/GraphService';
import { SourceService } from './services/SourceService';

/** Source settings are small; anything bigger is a mistake or an attack. */
const BODY_LIMIT = '64kb';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  sourceService: SourceService;
  graphService: GraphService;
}) {
  const { httpAuth, authorizer, sourceService, graphService } = options;
  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
  });

  const kit = new InfraRouteKit({ httpAuth, authorizer });
  const allowed = (
    req: Request<{ tenantId: string }>,
    permission: typeof infraAssetGraphReadPermission,
  ) => kit.allowedInTenant(req, permission);
  const reader = (req: Request<{ tenantId: string }>) =>
    allowed(req, infraAssetGraphReadPermission);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/sources', async (req, res) => {
    await reader(req);
    res.json({ items: await sourceService.list(req.params.tenantId) });
  });

  router.get('/tenants/:tenantId/providers', async (req, res) => {
    await reader(req);
    res.json({ items: sourceService.providers() });
  });

  router.get('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    await reader(req);
    res.json(await sourceService.get(req.params.tenantId, req.params.sourceId));
  });

  router.post('/tenants/:tenantId/sources', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    res
      .status(201)
      .json(
        await sourceService.create(
          req.params.tenantId,
          req.body,
          actorOf(credentials),
        ),
      );
  });

  router.patch('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    res.json(
      await sourceService.update(
        req.params.tenantId,
        req.params.sourceId,
        req.body,
        actorOf(credentials),
      ),
    );
  });

  router.delete('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    await sourceService.delete(
      req.params.tenantId,
      req.params.sourceId,
      actorOf(credentials),
    );
    res.status(204).end();
  });

  router.post('/tenants/:tenantId/sources/:sourceId/runs', async (req, res) => {
    const credentials = await allowed(req, infraDiscoveryRunPermission);
    res
      .status(202)
      .json(
        await sourceService.run(
          req.params.tenantId,
          req.params.sourceId,
          actorOf(credentials),
        ),
      );
  });

  router.get('/tenants/:tenantId/jobs', async (req, res) => {
    await reader(req);
    const { sourceId, before, limit } = req.query;
    res.json(
      await graphService.jobs(req.params.tenantId, {
        sourceId,
        before,
        limit: pageLimit(limit, { fallback: 50, max: 200 }),
      }),
    );
  });

  router.get('/tenants/:tenantId/jobs/:jobId', async (req, res) => {
    await reader(req);
    res.json(await graphService.job(req.params.tenantId, req.params.jobId));
  });

  router.get('/tenants/:tenantId/assets', async (req, res) => {
    await reader(req);
    const { type, account, region, search, includeGone, after, limit } =
      req.query;
    res.json(
      await graphService.listAssets(
        req.params.tenantId,
        { type, account, region, search, includeGone: includeGone === 'true' },
        { limit: pageLimit(limit, { fallback: 50, max: 500 }), after },
        { attributes: req.query.include === 'attributes' },
      ),
    );
  });

  router.get('/tenants/:tenantId/asset', async (req, res) => {
    await reader(req);
    res.json(
      await graphService.asset(req.params.tenantId, String(req.query.id)),
    );
  });

  router.get('/tenants/:tenantId/graph', async (req, res) => {
    await reader(req);
    res.json(
      await graphService.neighbourhood(
        req.params.tenantId,
        String(req.query.id),
        Number(req.query.depth ?? 1),
      ),
    );
  });

  router.get('/tenants/:tenantId/changes', async (req, res) => {
    await reader(req);
    res.json(
      await graphService.changes(req.params.tenantId, {
        after: req.query.after,
        includeRemoved: req.query.includeRemoved !== 'false',
        limit: pageLimit(req.query.limit, { fallback: 500, max: 5000 }),
      }),
    );
  });

  router.get('/tenants/:tenantId/attack-paths', async (req, res) => {
    await reader(req);
    res.json({
      items: await graphService.attackPathsOf(req.params.tenantId, {
        through: req.query.assetId,
        limit: pageLimit(req.query.limit, { fallback: 100, max: 500 }),
      }),
    });
  });

  return outer;
}
