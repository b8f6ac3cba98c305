import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  infraChangeApprovePermission,
  infraChangeReadPermission,
  infraChangeRequestPermission,
  infraPlanUploadPermission,
  infraSystemSettingsPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
  InfraSecuritySpineService,
  pageLimit,
  sendCsv,
  signedInUserOf,
} from '@infra-hub/plugin-infra-security-node';
import express, { Request } from 'express';
import { ChangeSettings } from './config';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ChangeService, reportCsv } from './services/ChangeService';
import { SigningService } from './services/SigningService';

const BODY_LIMIT = '64kb';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  service: ChangeService;
  signing: SigningService;
  settings: ChangeSettings;
  spine: InfraSecuritySpineService;
}) {
  const { httpAuth, authorizer, service, signing, settings, spine } = options;
  const kit = new InfraRouteKit({ httpAuth, authorizer });
  const allowed = (
    req: Request<any>,
    permission: typeof infraChangeReadPermission,
  ) => kit.allowedInTenant(req, permission);

  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
    beforeJson: plans => {
      // A plan is uploaded as it is (up to maxPlanMegabytes), so it is read as text, before
      // the JSON parser of the other routes; ChangeService checks its query and body.
      plans.post(
        '/tenants/:tenantId/plans',
        async (req, _res, next) => {
          // Authenticated and authorized before the body is read.
          (req as any).infraCredentials = await allowed(
            req,
            infraPlanUploadPermission,
          );
          next();
        },
        express.text({ type: () => true, limit: settings.maxPlanBytes }),
        async (req, res) => {
          const stored = await service.uploadPlan(
            req.params.tenantId,
            {
              moduleId: req.query.module,
              kind: req.query.kind,
              run: req.query.run,
              text: req.body,
            },
            actorOf((req as any).infraCredentials),
          );
          res.status(201).json(stored);
        },
      );
    },
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/plans', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json(
      await service.listPlans(req.params.tenantId, {
        moduleId: req.query.module,
        run: req.query.run,
        before: req.query.before,
        limit: pageLimit(req.query.limit, { fallback: 50, max: 200 }),
      }),
    );
  });

  router.get('/tenants/:tenantId/plans/:planId', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json(await service.plan(req.params.tenantId, req.params.planId));
  });

  router.get('/tenants/:tenantId/drift', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json({ items: await service.drift(req.params.tenantId) });
  });

  router.get('/tenants/:tenantId/modules/:moduleId', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json(await service.module(req.params.tenantId, req.params.moduleId));
  });

  router.put('/tenants/:tenantId/modules/:moduleId', async (req, res) => {
    const credentials = await allowed(req, infraPlanUploadPermission);
    const { module, created } = await service.registerModule(
      req.params.tenantId,
      req.params.moduleId,
      req.body,
      actorOf(credentials),
    );
    res.status(created ? 201 : 200).json(module);
  });

  router.get('/tenants/:tenantId/approvals', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json(
      await service.approvalFor(req.params.tenantId, req.query.planSha256),
    );
  });

  router.post(
    '/tenants/:tenantId/change-requests/:changeId/applied',
    async (req, res) => {
      const credentials = await allowed(req, infraChangeRequestPermission);
      res.json(
        await service.recordApplied(
          req.params.tenantId,
          req.params.changeId,
          req.body,
          actorOf(credentials),
        ),
      );
    },
  );

  router.get('/tenants/:tenantId/change-requests', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    res.json({
      items: await service.listRequests(req.params.tenantId, {
        state: req.query.state,
        moduleId: req.query.module,
        limit: pageLimit(req.query.limit, { fallback: 50, max: 200 }),
      }),
    });
  });

  router.post('/tenants/:tenantId/change-requests', async (req, res) => {
    const credentials = await allowed(req, infraChangeRequestPermission);
    res.status(201).json(
      await service.createRequest(req.params.tenantId, req.body, {
        actor: actorOf(credentials),
        // A request opened with a machine key is its creator's request.
        requester: await spine.personBehind(credentials),
      }),
    );
  });

  router.get(
    '/tenants/:tenantId/change-requests/:changeId',
    async (req, res) => {
      await allowed(req, infraChangeReadPermission);
      res.json(await service.request(req.params.tenantId, req.params.changeId));
    },
  );

  router.post(
    '/tenants/:tenantId/change-requests/:changeId/transitions',
    async (req, res) => {
      const credentials = await allowed(req, infraChangeRequestPermission);
      res.json(
        await service.transition(
          req.params.tenantId,
          req.params.changeId,
          req.body.to,
          actorOf(credentials),
        ),
      );
    },
  );

  router.post(
    '/tenants/:tenantId/change-requests/:changeId/decisions',
    async (req, res) => {
      const credentials = await allowed(req, infraChangeApprovePermission);
      // A CAB decision is a human act: never a machine key or a service token.
      const approver = signedInUserOf(
        credentials,
        'approve or reject a change request',
      );
      res.json(
        await service.decide(
          req.params.tenantId,
          req.params.changeId,
          req.body,
          approver,
        ),
      );
    },
  );

  router.get(
    '/tenants/:tenantId/change-requests/:changeId/decisions/:decisionId/verification',
    async (req, res) => {
      await allowed(req, infraChangeReadPermission);
      res.json(
        await service.verify(
          req.params.tenantId,
          req.params.changeId,
          req.params.decisionId,
        ),
      );
    },
  );

  router.get(
    '/tenants/:tenantId/change-requests/:changeId/evidence',
    async (req, res) => {
      const credentials = await allowed(req, infraChangeReadPermission);
      const text = await service.evidence(
        req.params.tenantId,
        req.params.changeId,
        actorOf(credentials),
      );
      // A file, sent byte for byte as it was sealed (the typed router would re-encode JSON).
      (res as unknown as express.Response)
        .type('application/json')
        .attachment(`evidence-${req.params.changeId}.json`)
        .send(text);
    },
  );

  router.get('/tenants/:tenantId/report', async (req, res) => {
    await allowed(req, infraChangeReadPermission);
    const rows = await service.report(req.params.tenantId, {
      limit: pageLimit(req.query.limit, { fallback: 1000, max: 20000 }),
    });
    if (req.query.format === 'csv') {
      sendCsv(
        res as unknown as express.Response,
        `change-report-${req.params.tenantId}.csv`,
        reportCsv(rows),
      );
      return;
    }
    res.json({ items: rows });
  });

  router.get('/signing-keys', async (req, res) => {
    // Any signed-in user or service: a verifier needs the key history, and it holds no secret.
    await kit.credentials(req);
    res.json(await signing.listKeys());
  });

  router.post('/signatures/compliance-evidence', async (req, res) => {
    // The compliance plugin as itself: the keys sign only seals of evidence for it, never an
    // approval (the seal's type is fixed by the schema, and verifiers check it).
    const caller = await kit.pluginService(req, ['infra-compliance']);
    const seal = req.body;
    const signer = await signing.hybridSigner(
      `plugin:${caller}`,
      `compliance evidence of evaluation ${seal.evaluationId} of ${seal.tenant}`,
    );
    res.json(await signer.sign(seal));
  });

  router.post('/signing-keys/rotate', async (req, res) => {
    const credentials = await kit.allowed(req, infraSystemSettingsPermission);
    res.json(await signing.rotate(actorOf(credentials)));
  });

  return outer;
}
