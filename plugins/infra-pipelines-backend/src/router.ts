import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  PIPELINE_PROVIDERS,
  PipelineProvider,
  RUN_STATUSES,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';
import {
  infraPipelinesManagePermission,
  infraPipelinesReadPermission,
  infraPipelinesTriggerPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
  isValidTenantId,
  pageLimit,
} from '@infra-hub/plugin-infra-security-node';
import express from 'express';
import { PipelineStore } from './database/PipelineStore';
import { createOpenApiRouter } from './schema/openapi.generated';
import { PipelineService } from './services/PipelineService';

const BODY_LIMIT = '16kb';

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T)) {
    throw new InputError(`'${name}' must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  store: PipelineStore;
  service: PipelineService;
  webhookBodyLimit: string;
  now?: () => Date;
}) {
  const { store, service } = options;
  const kit = new InfraRouteKit(options);
  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
    beforeJson: r => {
      // Webhooks: the exact bytes received are what the signature covers.
      r.post(
        '/webhooks/:tenantId/:connectionId',
        express.raw({ type: () => true, limit: options.webhookBodyLimit }),
        async (req, res) => {
          const { tenantId, connectionId } = req.params;
          if (!isValidTenantId(tenantId)) {
            throw new InputError(`Invalid tenant id '${tenantId}'`);
          }
          const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          res.json(
            await service.receive(tenantId, connectionId, req.headers, body),
          );
        },
      );
    },
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/runs', async (req, res) => {
    await kit.allowedInTenant(req, infraPipelinesReadPermission);
    const q = req.query;
    res.json(
      (await store.listRuns(req.params.tenantId, {
        ...(oneOf<RunStatus>(q.status, RUN_STATUSES, 'status')
          ? { status: q.status as RunStatus }
          : {}),
        ...(q.module ? { module: q.module } : {}),
        ...(q.environment ? { environment: q.environment } : {}),
        ...(q.entityRef ? { entityRef: q.entityRef } : {}),
        ...(oneOf<PipelineProvider>(q.provider, PIPELINE_PROVIDERS, 'provider')
          ? { provider: q.provider as PipelineProvider }
          : {}),
        failedFirst: q.failedFirst === 'true',
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: pageLimit(q.limit, { fallback: 50, max: 200 }),
      })) as any,
    );
  });

  router.get('/tenants/:tenantId/runs/:runId', async (req, res) => {
    await kit.allowedInTenant(req, infraPipelinesReadPermission);
    const run = await store.run(req.params.tenantId, req.params.runId);
    if (!run) throw new NotFoundError(`No run ${req.params.runId}`);
    res.json(run as any);
  });

  router.get('/tenants/:tenantId/stats', async (req, res) => {
    await kit.allowedInTenant(req, infraPipelinesReadPermission);
    const days = pageLimit(req.query.days, {
      fallback: 30,
      max: 365,
      name: 'days',
    });
    res.json({
      items: await store.stats(req.params.tenantId, {
        days,
        now: options.now?.() ?? new Date(),
        ...(req.query.entityRef ? { entityRef: req.query.entityRef } : {}),
        ...(req.query.module ? { module: req.query.module } : {}),
      }),
    });
  });

  router.get('/tenants/:tenantId/connections', async (req, res) => {
    await kit.allowedInTenant(req, infraPipelinesManagePermission);
    res.json({ items: await service.listConnections(req.params.tenantId) });
  });

  router.put(
    '/tenants/:tenantId/connections/:connectionId',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraPipelinesManagePermission,
      );
      const { connection, created } = await service.putConnection(
        req.params.tenantId,
        req.params.connectionId,
        req.body,
        actorOf(credentials),
      );
      res.status(created ? 201 : 200).json(connection as any);
    },
  );

  router.delete(
    '/tenants/:tenantId/connections/:connectionId',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraPipelinesManagePermission,
      );
      await service.deleteConnection(
        req.params.tenantId,
        req.params.connectionId,
        actorOf(credentials),
      );
      res.status(204).end();
    },
  );

  router.post(
    '/tenants/:tenantId/connections/:connectionId/pulls',
    async (req, res) => {
      await kit.allowedInTenant(req, infraPipelinesManagePermission);
      res.json(
        await service.pull(req.params.tenantId, req.params.connectionId),
      );
    },
  );

  router.post('/tenants/:tenantId/triggers', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraPipelinesTriggerPermission,
    );
    res
      .status(202)
      .json(await service.trigger(credentials, req.params.tenantId, req.body));
  });

  return outer;
}
