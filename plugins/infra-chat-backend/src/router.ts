import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ChatIndexStatus,
  ChatStreamEvent,
} from '@infra-hub/plugin-infra-chat-common';
import {
  infraAiPoliciesManagePermission,
  infraAiUsageReadPermission,
  infraChangeReadPermission,
  infraChatAskPermission,
  infraPipelinesReadPermission,
  infraPlanUploadPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  createInfraApiRouter,
  InfraAuthorizer,
  InfraRouteKit,
  pageLimit,
} from '@infra-hub/plugin-infra-security-node';
import type { Response } from 'express';
import { ChatIndexStore } from './database/ChatIndexStore';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ConversationStore } from './database/ConversationStore';
import { GovernanceStore } from './database/GovernanceStore';
import { AssistService } from './services/AssistService';
import { DraftService } from './services/DraftService';
import { GovernanceService } from './services/GovernanceService';
import { Retriever, toSource } from './retrieval/Retriever';
import {
  ChatService,
  parseQuestion,
  PreparedQuestion,
} from './services/ChatService';
import { IndexService } from './services/IndexService';

const BODY_LIMIT = '16kb';
/** The status of Backstage's errors, for the error event that ends a stream. */
const STATUS_OF: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};
const NDJSON = 'application/x-ndjson';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  authorizer: InfraAuthorizer;
  logger: LoggerService;
  chat: ChatService;
  retriever: Retriever;
  index: IndexService;
  indexStore: ChatIndexStore;
  conversations: ConversationStore;
  governance: GovernanceService;
  governanceStore: GovernanceStore;
  assist: AssistService;
  drafts: DraftService;
  model?: string;
  /** What makes the vectors, as the status says it. */
  embedder?: string;
}) {
  const {
    httpAuth,
    authorizer,
    logger,
    chat,
    retriever,
    index,
    indexStore,
    conversations,
  } = options;
  const kit = new InfraRouteKit({ httpAuth, authorizer });
  const { outer, router } = await createInfraApiRouter(createOpenApiRouter, {
    bodyLimit: BODY_LIMIT,
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/tenants/:tenantId/status', async (req, res) => {
    await kit.allowedInTenant(req, infraChatAskPermission);
    const { documents, embedded, errors, indexedAt } = await indexStore.status(
      req.params.tenantId,
    );
    const status: ChatIndexStatus & { errors: typeof errors } = {
      tenantId: req.params.tenantId,
      documents,
      errors,
      ...(indexedAt ? { indexedAt } : {}),
      fullText: indexStore.fullText,
      vectors: retriever.vectors,
      ...(retriever.vectors !== 'off' && options.embedder
        ? { embedded, embedder: options.embedder }
        : {}),
      ...(options.model ? { model: options.model } : {}),
    };
    res.json(status);
  });

  router.post('/tenants/:tenantId/index', async (req, res) => {
    await kit.allowedInTenant(req, infraAiPoliciesManagePermission);
    index.index(req.params.tenantId).catch(() => undefined);
    res.status(202).json({ status: 'started' });
  });

  router.get('/tenants/:tenantId/search', async (req, res) => {
    const credentials = await kit.allowedInTenant(req, infraChatAskPermission);
    const { question, entityRef } = parseQuestion({
      question: req.query.q,
      entityRef: req.query.entityRef,
    });
    const hits = await retriever.retrieve(
      credentials,
      req.params.tenantId,
      question,
      {
        limit: pageLimit(req.query.limit, { fallback: 5, max: 50 }),
        entityRef,
      },
    );
    res.json({ items: hits.map(toSource) });
  });

  router.get('/tenants/:tenantId/conversations', async (req, res) => {
    const credentials = await kit.allowedInTenant(req, infraChatAskPermission);
    res.json(
      await conversations.list(req.params.tenantId, actorOf(credentials), {
        limit: pageLimit(req.query.limit, { fallback: 50, max: 200 }),
        after: req.query.after,
      }),
    );
  });

  router.post('/tenants/:tenantId/conversations', async (req, res) => {
    const credentials = await kit.allowedInTenant(req, infraChatAskPermission);
    const prepared = await chat.prepare(
      credentials,
      req.params.tenantId,
      req.body,
    );
    await stream(req, res as unknown as Response, 201, prepared);
  });

  router.get(
    '/tenants/:tenantId/conversations/:conversationId',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraChatAskPermission,
      );
      res.json(
        await conversations.get(
          req.params.tenantId,
          actorOf(credentials),
          req.params.conversationId,
        ),
      );
    },
  );

  router.delete(
    '/tenants/:tenantId/conversations/:conversationId',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraChatAskPermission,
      );
      await conversations.delete(
        req.params.tenantId,
        actorOf(credentials),
        req.params.conversationId,
      );
      res.status(204).end();
    },
  );

  router.post(
    '/tenants/:tenantId/conversations/:conversationId/messages',
    async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req,
        infraChatAskPermission,
      );
      const prepared = await chat.prepare(
        credentials,
        req.params.tenantId,
        req.body,
        req.params.conversationId,
      );
      await stream(req, res as unknown as Response, 200, prepared);
    },
  );

  const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
  const monthOf = (value: unknown) => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || !MONTH.test(value)) {
      throw new InputError("Query parameter 'month' must be a month, YYYY-MM");
    }
    return value;
  };

  // The AI endpoints of change control: for whoever reads the tenant's changes.
  const assists = {
    'plan-summary': options.assist.planSummary,
    'risk-assessment': options.assist.riskAssessment,
    'rollback-plan': options.assist.rollbackPlan,
  } as const;
  for (const [feature, run] of Object.entries(assists)) {
    router.post(`/tenants/:tenantId/ai/${feature}` as any, async (req, res) => {
      const credentials = await kit.allowedInTenant(
        req as any,
        infraChangeReadPermission,
      );
      res.json(
        await run.call(
          options.assist,
          { credentials, tenantId: (req.params as any).tenantId },
          req.body,
        ),
      );
    });
  }

  // A failed run's diagnosis: for whoever reads the tenant's pipelines.
  router.post('/tenants/:tenantId/ai/failure-diagnosis', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraPipelinesReadPermission,
    );
    res.json(
      (await options.assist.failureDiagnosis(
        { credentials, tenantId: req.params.tenantId },
        req.body,
      )) as any,
    );
  });

  // Drafting a module is for people who bring modules in (as the golden paths check).
  router.post('/tenants/:tenantId/ai/module-draft', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraPlanUploadPermission,
    );
    res.json(
      await options.drafts.draft(
        { credentials, tenantId: req.params.tenantId },
        req.body,
      ),
    );
  });

  router.get('/tenants/:tenantId/ai/usage', async (req, res) => {
    await kit.allowedInTenant(req, infraAiUsageReadPermission);
    res.json(
      await options.governanceStore.list(req.params.tenantId, {
        month: monthOf(req.query.month),
        limit: pageLimit(req.query.limit, { fallback: 50, max: 500 }),
        after: req.query.after,
      }),
    );
  });

  router.get('/tenants/:tenantId/ai/usage/summary', async (req, res) => {
    await kit.allowedInTenant(req, infraAiUsageReadPermission);
    const now = new Date();
    // The current month and the eleven before it.
    const from = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1),
    );
    res.json({
      items: await options.governanceStore.summary(req.params.tenantId, from),
    });
  });

  router.get('/tenants/:tenantId/ai/policies', async (req, res) => {
    await kit.allowedInTenant(req, infraAiUsageReadPermission);
    res.json({
      items: await options.governanceStore.policies(req.params.tenantId),
    });
  });

  router.put('/tenants/:tenantId/ai/policies/:team', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraAiPoliciesManagePermission,
    );
    res.json(
      await options.governance.setPolicy(
        req.params.tenantId,
        req.params.team,
        req.body,
        actorOf(credentials),
      ),
    );
  });

  router.delete('/tenants/:tenantId/ai/policies/:team', async (req, res) => {
    const credentials = await kit.allowedInTenant(
      req,
      infraAiPoliciesManagePermission,
    );
    await options.governance.deletePolicy(
      req.params.tenantId,
      req.params.team,
      actorOf(credentials),
    );
    res.status(204).end();
  });

  /**
   * Answers as JSON, or as JSON lines when the caller accepts them. The question was checked
   * before (a bad one is a 4xx, not a stream); a failure while answering ends the stream with an
   * error event, and nothing is stored.
   */
  async function stream(
    req: { headers: Record<string, unknown> },
    res: Response,
    status: number,
    prepared: PreparedQuestion,
  ) {
    if (!String(req.headers.accept ?? '').includes(NDJSON)) {
      res.status(status).json(await chat.answer(prepared));
      return;
    }
    res.status(status);
    res.setHeader('Content-Type', NDJSON);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const write = (event: ChatStreamEvent) => {
      res.write(`${JSON.stringify(event)}\n`);
    };
    try {
      const stored = await chat.answer(prepared, event => {
        if (event.type !== 'done') write(event);
      });
      write({ type: 'conversation', conversation: stored.conversation });
      write({ type: 'done', message: stored.message });
    } catch (error) {
      logger.warn('chat answer failed', { error: String(error) });
      write({
        type: 'error',
        message:
          error instanceof Error && STATUS_OF[error.name]
            ? error.message
            : `The answer failed: ${(error as Error).message ?? error}`,
        status: STATUS_OF[(error as Error).name] ?? 500,
      });
    }
    res.end();
  }

  return outer;
}
