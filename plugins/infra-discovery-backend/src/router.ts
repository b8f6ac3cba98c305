import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { GraphChange } from '@infra-hub/plugin-infra-discovery-common';
import { DiscoveryProviderDefinition } from '@infra-hub/plugin-infra-discovery-node';
import {
  infraAssetGraphReadPermission,
  infraAssetGraphWritePermission,
  infraDiscoveryRunPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  InfraAuthorizer,
  InfraRouteKit,
  InfraSecuritySpine,
  pageLimit,
} from '@infra-hub/plugin-infra-security-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { GraphStore } from './database/GraphStore';
import { SourceStore } from './database/SourceStore';
import { createOpenApiRouter } from './schema/openapi.generated';
import { AttackPathCache } from './services/attackPaths';
import { DiscoveryRunner } from './services/DiscoveryRunner';
import { checkSourceInput } from './services/sourceInput';

/** Source settings are small; anything bigger is a mistake or an attack. */
const BODY_LIMIT = '64kb';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  sources: SourceStore;
  graph: GraphStore;
  runner: DiscoveryRunner;
  providers: ReadonlyMap<string, DiscoveryProviderDefinition>;
  spine: InfraSecuritySpine;
  /** Tells listeners (the catalog) that a tenant's graph changed. */
  announce: (change: GraphChange) => Promise<void>;
}) {
  const {
    httpAuth,
    authorizer,
    sources,
    graph,
    runner,
    providers,
    spine,
    announce,
  } = options;
  // Bodies are parsed before the OpenAPI router, so that one too large or not JSON is answered
  // as what it is (413, 400) rather than as a validation error.
  const outer = Router();
  outer.use(express.json({ limit: BODY_LIMIT }));
  const attackPaths = new AttackPathCache(graph);
  const router = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  outer.use(router);

  const kit = new InfraRouteKit({ httpAuth, authorizer });
  const allowed = (
    req: Request<{ tenantId: string }>,
    permission: typeof infraAssetGraphReadPermission,
  ) => kit.allowedInTenant(req, permission);
  const reader = (req: Request<{ tenantId: string }>) =>
    allowed(req, infraAssetGraphReadPermission);

  /** Sources from app-config are changed there, not through the API. */
  const apiSource = async (tenantId: string, sourceId: string) => {
    const source = await sources.getSource(tenantId, sourceId);
    if (source.origin === 'config') {
      throw new ConflictError(
        `Discovery source '${sourceId}' is defined in app-config (infra.discovery.sources.${tenantId}.${sourceId}); change it there`,
      );
    }
    return source;
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/sources', async (req, res) => {
    await reader(req);
    res.json({ items: await sources.listSources([req.params.tenantId]) });
  });

  router.get('/tenants/:tenantId/providers', async (req, res) => {
    await reader(req);
    res.json({
      items: [...providers.values()].map(p => ({
        id: p.id,
        title: p.title,
        credentialHint: p.credentialHint,
      })),
    });
  });

  router.get('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    await reader(req);
    res.json(await sources.getSource(req.params.tenantId, req.params.sourceId));
  });

  router.post('/tenants/:tenantId/sources', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    const { tenantId } = req.params;
    const input = req.body;
    const { settings } = await checkSourceInput(
      { providers, spine },
      tenantId,
      input,
    );
    const actor = actorOf(credentials);
    const created = await sources.createSource(
      tenantId,
      {
        id: input.id,
        name: input.name,
        provider: input.provider,
        settings: settings!,
        ...(input.credentialId ? { credentialId: input.credentialId } : {}),
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
        ...(input.schedule ? { schedule: input.schedule } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      },
      actor,
    );
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'discovery.source.created',
      subject: created.id,
      details: {
        provider: created.provider,
        credentialId: created.credentialId ?? null,
      },
    });
    res.status(201).json(created);
  });

  router.patch('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    const { tenantId, sourceId } = req.params;
    const current = await apiSource(tenantId, sourceId);
    const patch = req.body;
    const { settings } = await checkSourceInput(
      { providers, spine },
      tenantId,
      { ...patch, provider: current.provider },
    );
    const updated = await sources.updateSource(tenantId, sourceId, {
      ...patch,
      ...(settings ? { settings } : {}),
    });
    await spine.recordAudit({
      scope: tenantId,
      actor: actorOf(credentials),
      action: 'discovery.source.updated',
      subject: sourceId,
      details: { fields: Object.keys(patch).sort() },
    });
    res.json(updated);
  });

  router.delete('/tenants/:tenantId/sources/:sourceId', async (req, res) => {
    const credentials = await allowed(req, infraAssetGraphWritePermission);
    const { tenantId, sourceId } = req.params;
    await apiSource(tenantId, sourceId);
    const running = await sources.listJobs(tenantId, { sourceId, limit: 1 });
    if (running.items[0]?.status === 'running') {
      throw new ConflictError(
        `Discovery source '${sourceId}' is running; delete it when the job has finished`,
      );
    }
    // Its assets are marked gone (not deleted), so that consumers of the changes feed such as
    // the catalog see them leave; assets other sources report stay.
    const { gone } = await graph.replaceSourceGraph(tenantId, sourceId, {
      assets: [],
      edges: [],
    });
    await sources.deleteSource(tenantId, sourceId);
    if (gone > 0) {
      await announce({ tenantId, sourceId, jobId: '', changed: 0, gone });
    }
    await spine.recordAudit({
      scope: tenantId,
      actor: actorOf(credentials),
      action: 'discovery.source.deleted',
      subject: sourceId,
    });
    res.status(204).end();
  });

  router.post('/tenants/:tenantId/sources/:sourceId/runs', async (req, res) => {
    const credentials = await allowed(req, infraDiscoveryRunPermission);
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
        limit: pageLimit(limit, { fallback: 50, max: 200 }),
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
        { limit: pageLimit(limit, { fallback: 50, max: 500 }), after },
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

  router.get('/tenants/:tenantId/graph', async (req, res) => {
    await reader(req);
    const found = await graph.neighbourhood(
      req.params.tenantId,
      String(req.query.id),
      Number(req.query.depth ?? 1),
    );
    if (!found)
      throw new NotFoundError(
        `No current asset '${req.query.id}' in tenant '${req.params.tenantId}'`,
      );
    res.json(found);
  });

  router.get('/tenants/:tenantId/changes', async (req, res) => {
    await reader(req);
    res.json(
      await graph.changes(req.params.tenantId, {
        after: req.query.after,
        includeRemoved: req.query.includeRemoved !== 'false',
        limit: pageLimit(req.query.limit, { fallback: 500, max: 5000 }),
      }),
    );
  });

  router.get('/tenants/:tenantId/attack-paths', async (req, res) => {
    await reader(req);
    const through = req.query.assetId;
    const paths = (await attackPaths.get(req.params.tenantId)).filter(
      p =>
        !through ||
        p.entry === through ||
        p.target === through ||
        p.steps.some(s => s.edge.from === through || s.edge.to === through),
    );
    res.json({
      items: paths.slice(
        0,
        pageLimit(req.query.limit, { fallback: 100, max: 500 }),
      ),
    });
  });

  return outer;
}
