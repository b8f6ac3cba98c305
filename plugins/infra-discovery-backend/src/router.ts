import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  infraAssetGraphReadPermission,
  infraDiscoveryRunPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  InfraAuthorizer,
} from '@infra-hub/plugin-infra-security-node';
import { Request } from 'express';
import { GraphStore } from './database/GraphStore';
import { SourceStore } from './database/SourceStore';
import { createOpenApiRouter } from './schema/openapi.generated';
import { findAttackPaths } from './services/attackPaths';
import { DiscoveryRunner } from './services/DiscoveryRunner';

const page = (limit: unknown, fallback: number, max: number) =>
  Math.min(Math.max(Number(limit ?? fallback), 1), max);

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  sources: SourceStore;
  graph: GraphStore;
  runner: DiscoveryRunner;
}) {
  const { httpAuth, authorizer, sources, graph, runner } = options;
  const router = await createOpenApiRouter();

  const reader = async (req: Request<{ tenantId: string }>) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizer.authorize(
      credentials,
      infraAssetGraphReadPermission,
      req.params.tenantId,
    );
    return credentials;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/sources', async (req, res) => {
    await reader(req);
    res.json({ items: await sources.listSources([req.params.tenantId]) });
  });

  router.post('/tenants/:tenantId/sources/:sourceId/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorizer.authorize(
      credentials,
      infraDiscoveryRunPermission,
      req.params.tenantId,
    );
    const { job } = await runner.start(
      req.params.tenantId,
      req.params.sourceId,
      'manual',
      actorOf(credentials),
    );
    res.status(202).json(job);
  });

  router.get('/tenants/:tenantId/jobs', async (req, res) => {
    await reader(req);
    const { sourceId, before, limit } = req.query;
    res.json(
      await sources.listJobs(req.params.tenantId, {
        sourceId,
        before,
        limit: page(limit, 50, 200),
      }),
    );
  });

  router.get('/tenants/:tenantId/jobs/:jobId', async (req, res) => {
    await reader(req);
    res.json(await sources.getJob(req.params.tenantId, req.params.jobId));
  });

  router.get('/tenants/:tenantId/assets', async (req, res) => {
    await reader(req);
    const { type, account, region, search, includeGone, after, limit } =
      req.query;
    res.json(
      await graph.listAssets(
        [req.params.tenantId],
        { type, account, region, search, includeGone: includeGone === 'true' },
        { limit: page(limit, 50, 500), after },
      ),
    );
  });

  router.get('/tenants/:tenantId/asset', async (req, res) => {
    await reader(req);
    const found = await graph.getAsset(
      req.params.tenantId,
      String(req.query.id),
    );
    if (!found)
      throw new NotFoundError(
        `No asset '${req.query.id}' in tenant '${req.params.tenantId}'`,
      );
    res.json(found);
  });

  router.get('/tenants/:tenantId/attack-paths', async (req, res) => {
    await reader(req);
    const current = await graph.loadGraph(req.params.tenantId);
    const paths = findAttackPaths(current.assets, current.edges);
    res.json({ items: paths.slice(0, page(req.query.limit, 100, 500)) });
  });

  return router;
}
