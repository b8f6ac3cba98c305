import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  infraComplianceAuditRunPermission,
  infraEvidenceReadPermission,
  infraEvidenceWritePermission,
  infraFindingsReadPermission,
  infraFrameworksManagePermission,
  infraPoamReadPermission,
  infraPoamWritePermission,
} from '@infra-hub/plugin-infra-security-common';
import { Finding } from '@infra-hub/plugin-infra-compliance-common';
import { MAX_PLAN_BYTES } from '@infra-hub/plugin-infra-compliance-node';
import {
  actorOf,
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
  pageLimit,
  sendCsv,
  signedInUserOf,
  toCsv,
} from '@infra-hub/plugin-infra-security-node';
import express from 'express';
import { createOpenApiRouter } from './schema/openapi.generated';
import { EvaluationService } from './services/EvaluationService';
import { EvidenceService } from './services/EvidenceService';
import { FindingService } from './services/FindingService';
import { FrameworkService } from './services/FrameworkService';
import { OscalService } from './services/OscalService';
import { PoamService } from './services/PoamService';
import { PlanScanService } from './services/PlanScanService';
import { Rules } from './services/Rules';

const BODY_LIMIT = '16kb';

const FINDING_COLUMNS = [
  'id',
  'status',
  'severity',
  'ruleId',
  'title',
  'resourceType',
  'resourceName',
  'resourceId',
  'system',
  'owner',
  'controls',
  'firstSeenAt',
  'lastSeenAt',
  'resolvedAt',
  'suppressionReason',
  'suppressionExpiresAt',
  'suppressionApprover',
] as const;

function findingsCsv(items: Finding[]) {
  return toCsv(
    FINDING_COLUMNS,
    items.map(f => [
      f.id,
      f.status,
      f.severity,
      f.ruleId,
      f.title,
      f.resourceType,
      f.resourceName,
      f.resourceId,
      f.system,
      f.owner,
      Object.entries(f.controls)
        .map(([fw, ids]) => `${fw}: ${ids.join(' ')}`)
        .join('; '),
      f.firstSeenAt,
      f.lastSeenAt,
      f.resolvedAt,
      f.suppression?.reason,
      f.suppression?.expiresAt,
      f.suppression?.approver,
    ]),
  );
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  rules: Rules;
  evaluations: EvaluationService;
  findings: FindingService;
  plans: PlanScanService;
  poam: PoamService;
  oscal: OscalService;
  frameworks: FrameworkService;
  evidence: EvidenceService;
}) {
  const {
    httpAuth,
    authorizer,
    rules,
    evaluations,
    findings,
    plans,
    poam,
    oscal,
    frameworks,
    evidence,
  } = options;
  const kit = new InfraRouteKit({ httpAuth, authorizer });

  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
    beforeJson: raw => {
      // A plan is checked as it is (up to 64 MB), read as text after the caller is allowed.
      raw.post(
        '/tenants/:tenantId/plan-checks',
        async (req, _res, next) => {
          await kit.allowedInTenant(req, infraComplianceAuditRunPermission);
          next();
        },
        express.text({ type: () => true, limit: MAX_PLAN_BYTES }),
        async (req, res) => {
          res.json(
            await plans.scan(
              req.params.tenantId,
              typeof req.body === 'string' ? req.body : '',
            ),
          );
        },
      );
    },
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/rules', async (req, res) => {
    // Any signed-in user or service: the rules are the installation's, not a tenant's.
    await kit.credentials(req);
    res.json(rules.describe());
  });

  router.get('/tenants/:tenantId/evaluations', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    res.json({
      items: await evaluations.list(
        req.params.tenantId,
        pageLimit(req.query.limit, { fallback: 20, max: 200 }),
      ),
    });
  });

  router.post('/tenants/:tenantId/evaluations', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraComplianceAuditRunPermission,
    );
    res
      .status(202)
      .json(
        await evaluations.runNow(req.params.tenantId, actorOf(credentials)),
      );
  });

  router.get(
    '/tenants/:tenantId/evaluations/:evaluationId',
    async (req, res) => {
      await kit.allowedInTenant(req, infraFindingsReadPermission);
      res.json(
        await evaluations.get(req.params.tenantId, req.params.evaluationId),
      );
    },
  );

  router.get('/tenants/:tenantId/findings', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    const csv = req.query.format === 'csv';
    const page = await findings.list(req.params.tenantId, req.query, {
      limit: pageLimit(req.query.limit, {
        fallback: csv ? 5000 : 50,
        max: csv ? 20000 : 500,
      }),
      after: req.query.after,
    });
    if (csv) {
      sendCsv(
        res as unknown as express.Response,
        `findings-${req.params.tenantId}.csv`,
        findingsCsv(page.items),
      );
      return;
    }
    res.json(page);
  });

  router.get('/tenants/:tenantId/findings/:findingId', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    res.json(await findings.get(req.params.tenantId, req.params.findingId));
  });

  router.put(
    '/tenants/:tenantId/findings/:findingId/suppression',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraComplianceAuditRunPermission,
      );
      // Accepting a risk is a person's decision: never a machine key or a service token.
      const approver = signedInUserOf(credentials, 'suppress a finding');
      res.json(
        await findings.suppress(
          req.params.tenantId,
          req.params.findingId,
          req.body,
          approver,
        ),
      );
    },
  );

  router.delete(
    '/tenants/:tenantId/findings/:findingId/suppression',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraComplianceAuditRunPermission,
      );
      res.json(
        await findings.unsuppress(
          req.params.tenantId,
          req.params.findingId,
          actorOf(credentials),
        ),
      );
    },
  );

  router.get('/tenants/:tenantId/posture', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    res.json(await evaluations.posture(req.params.tenantId));
  });

  router.get('/tenants/:tenantId/posture/:framework', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    res.json(
      await evaluations.frameworkPosture(
        req.params.tenantId,
        req.params.framework,
      ),
    );
  });

  router.get(
    '/tenants/:tenantId/posture/:framework/trend',
    async (req, res) => {
      await kit.allowedInTenant(req, infraFindingsReadPermission);
      res.json(
        await evaluations.trend(
          req.params.tenantId,
          req.params.framework,
          pageLimit(req.query.limit, { fallback: 90, max: 1000 }),
        ),
      );
    },
  );

  router.get('/tenants/:tenantId/poam', async (req, res) => {
    await kit.allowedInTenant(req, infraPoamReadPermission);
    res.json(
      await poam.list(req.params.tenantId, req.query, {
        limit: pageLimit(req.query.limit, { fallback: 100, max: 500 }),
        after: req.query.after,
      }),
    );
  });

  router.get('/tenants/:tenantId/poam/:itemId', async (req, res) => {
    await kit.allowedInTenant(req, infraPoamReadPermission);
    res.json(await poam.get(req.params.tenantId, req.params.itemId));
  });

  router.post(
    '/tenants/:tenantId/poam/:itemId/transitions',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraPoamWritePermission,
      );
      res.json(
        await poam.transition(
          req.params.tenantId,
          req.params.itemId,
          req.body,
          actorOf(credentials),
        ),
      );
    },
  );

  router.get('/tenants/:tenantId/frameworks', async (req, res) => {
    await kit.allowedInTenant(req, infraFindingsReadPermission);
    res.json({ items: await frameworks.list(req.params.tenantId) });
  });

  router.put('/tenants/:tenantId/frameworks/:frameworkId', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraFrameworksManagePermission,
    );
    const { created, framework } = await frameworks.put(
      req.params.tenantId,
      req.params.frameworkId,
      req.body,
      actorOf(credentials),
    );
    res.status(created ? 201 : 200).json(framework);
  });

  router.delete(
    '/tenants/:tenantId/frameworks/:frameworkId',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraFrameworksManagePermission,
      );
      await frameworks.delete(
        req.params.tenantId,
        req.params.frameworkId,
        actorOf(credentials),
      );
      res.status(204).end();
    },
  );

  // OSCAL documents are files: sent as such, with a name to save them under.
  const sendOscal = (res: unknown, filename: string, doc: unknown) =>
    (res as express.Response)
      .type('application/json')
      .attachment(filename)
      .send(JSON.stringify(doc, null, 2));

  router.get(
    '/tenants/:tenantId/oscal/assessment-results',
    async (req, res) => {
      await kit.allowedInTenant(req, infraFindingsReadPermission);
      sendOscal(
        res,
        `assessment-results-${req.params.tenantId}-${req.query.framework}.json`,
        await oscal.assessmentResults(req.params.tenantId, req.query.framework),
      );
    },
  );

  router.get('/tenants/:tenantId/evidence', async (req, res) => {
    await kit.allowedInTenant(req, infraEvidenceReadPermission);
    const limit = pageLimit(req.query.limit, { fallback: 20, max: 200 });
    const items = await evidence.list(req.params.tenantId, {
      limit,
      ...(req.query.before ? { before: new Date(req.query.before) } : {}),
    });
    res.json({
      items,
      ...(items.length === limit
        ? { nextBefore: items[items.length - 1].evaluatedAt }
        : {}),
    });
  });

  router.get(
    '/tenants/:tenantId/evidence/:evaluationId/bundle',
    async (req, res) => {
      await kit.allowedInTenant(req, infraEvidenceReadPermission);
      const { tenantId, evaluationId } = req.params;
      const { framework, control } = req.query;
      const bundle = await evidence.bundle(tenantId, evaluationId, {
        framework,
        ...(control ? { control } : {}),
      });
      const name = [
        'evidence',
        tenantId,
        framework,
        ...(control ? [control] : []),
        bundle.evaluationId,
      ]
        .join('-')
        .replace(/[^A-Za-z0-9._-]/g, '_');
      (res as unknown as express.Response)
        .type('application/json')
        .attachment(`${name}.json`)
        .send(bundle.text);
    },
  );

  router.post(
    '/tenants/:tenantId/evidence/:evaluationId/seal',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraEvidenceWritePermission,
      );
      res.json(
        await evidence.seal(
          req.params.tenantId,
          req.params.evaluationId,
          actorOf(credentials),
        ),
      );
    },
  );

  router.get('/tenants/:tenantId/oscal/poam', async (req, res) => {
    await kit.allowedInTenant(req, infraPoamReadPermission);
    sendOscal(
      res,
      `poam-${req.params.tenantId}${
        req.query.framework ? `-${req.query.framework}` : ''
      }.json`,
      await oscal.poam(req.params.tenantId, req.query.framework),
    );
  });

  return outer;
}
