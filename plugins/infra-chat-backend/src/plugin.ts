import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { CHANGE_CONTROL_CHANGED_TOPIC } from '@infra-hub/plugin-infra-change-common';
import { ChatSourceKind } from '@infra-hub/plugin-infra-chat-common';
import { COMPLIANCE_FINDINGS_TOPIC } from '@infra-hub/plugin-infra-compliance-common';
import { GRAPH_CHANGED_TOPIC } from '@infra-hub/plugin-infra-discovery-common';
import {
  InfraAuthorizer,
  infraSecuritySpineServiceRef,
  purgeTenantsOnLifecycle,
} from '@infra-hub/plugin-infra-security-node';
import { readChatConfig } from './config';
import { ChatIndexStore } from './database/ChatIndexStore';
import { ConversationStore } from './database/ConversationStore';
import { GovernanceStore } from './database/GovernanceStore';
import { ModelProvider } from './models/ModelProvider';
import { LocalEmbedder, ModelEmbedder } from './retrieval/embedder';
import { Vectors } from './services/Vectors';
import { Retriever } from './retrieval/Retriever';
import { createRouter } from './router';
import { ChatService } from './services/ChatService';
import { AssistService } from './services/AssistService';
import { DraftService } from './services/DraftService';
import { ChatTools } from './services/ChatTools';
import { GovernanceService } from './services/GovernanceService';
import { IndexService } from './services/IndexService';
import { IndexSources } from './services/IndexSources';

/** Which indexed kinds each topic of the suite changes. */
const TOPIC_KINDS: Record<string, ChatSourceKind[]> = {
  [GRAPH_CHANGED_TOPIC]: ['asset', 'attack-path', 'entity'],
  [COMPLIANCE_FINDINGS_TOPIC]: ['finding'],
  [CHANGE_CONTROL_CHANGED_TOPIC]: ['drift', 'change-request'],
};

/**
 * Infra Hub chat: `/api/infra-chat`.
 *
 * @public
 */
export const infraChatPlugin = createBackendPlugin({
  pluginId: 'infra-chat',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        spine: infraSecuritySpineServiceRef,
        events: eventsServiceRef,
      },
      async init({
        config,
        database,
        discovery,
        auth,
        logger,
        lifecycle,
        scheduler,
        httpAuth,
        httpRouter,
        permissions,
        userInfo,
        catalog,
        spine,
        events,
      }) {
        const settings = readChatConfig(config);
        const model = settings.model
          ? new ModelProvider(settings.model)
          : undefined;
        const embedder = model?.settings.embedding
          ? new ModelEmbedder(model)
          : new LocalEmbedder();
        const indexStore = await ChatIndexStore.create({ database, embedder });
        const conversations = await ConversationStore.create({ database });
        const governanceStore = await GovernanceStore.create({ database });
        const governance = new GovernanceService({
          store: governanceStore,
          userInfo,
          spine,
        });
        for (const seed of settings.seedPolicies) {
          try {
            await governance.seedPolicy(seed.tenantId, seed.team, seed.policy);
          } catch (error) {
            throw new Error(
              `Invalid config at 'infra.chat.seedPolicies.${seed.tenantId}.${
                seed.team
              }': ${(error as Error).message}`,
            );
          }
        }
        const vectors = settings.vectors
          ? new Vectors({
              embedder,
              governance,
              logger: logger.child({ component: 'vectors' }),
            })
          : undefined;
        const authorizer = InfraAuthorizer.withSpine({
          permissions,
          auth,
          spine,
        });
        const index = new IndexService({
          store: indexStore,
          sources: new IndexSources({ catalog, auth, discovery }),
          ...(vectors ? { vectors } : {}),
          logger: logger.child({ component: 'index' }),
          eventDelayMs: settings.eventDelayMs,
        });
        if (settings.vectors && indexStore.vectorProblem) {
          logger.warn(
            `pgvector is not available in this database, so the chat searches by keywords only (a database administrator can run CREATE EXTENSION vector): ${indexStore.vectorProblem}`,
          );
        }
        logger.info('chat search', {
          fullText: indexStore.fullText,
          vectors: vectors
            ? `${indexStore.vectors} (${vectors.describe()})`
            : 'off',
          model: model
            ? `${model.model} at ${new URL(settings.model!.baseUrl).host}`
            : 'none (extractive answers)',
        });
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-chat',
          events,
          spine,
          logger,
          purge: async tenantId => ({
            ...(await indexStore.purgeTenant(tenantId)),
            ...(await conversations.purgeTenant(tenantId)),
            ...(await governanceStore.purgeTenant(tenantId)),
          }),
        });
        await events.subscribe({
          id: 'infra-chat-index',
          topics: Object.keys(TOPIC_KINDS),
          onEvent: async event => {
            const payload = event.eventPayload as {
              tenantId?: unknown;
              purged?: unknown;
            };
            if (typeof payload?.tenantId !== 'string' || payload.purged) return;
            index.changed(payload.tenantId, TOPIC_KINDS[event.topic] ?? []);
          },
        });
        await scheduler.scheduleTask({
          id: 'infra-chat:reindex',
          frequency: { minutes: settings.reindexMinutes },
          timeout: { minutes: 60 },
          initialDelay: { milliseconds: settings.initialDelayMs },
          fn: () => index.indexAll(),
        });
        await scheduler.scheduleTask({
          id: 'infra-chat:reindex-catalog',
          frequency: { minutes: settings.catalogReindexMinutes },
          timeout: { minutes: 30 },
          initialDelay: { minutes: settings.catalogReindexMinutes },
          fn: () => index.indexAll(['entity']),
        });
        lifecycle.addShutdownHook(() => index.stop());

        const tools = new ChatTools({ discovery, auth, authorizer });
        const retriever = new Retriever({
          store: indexStore,
          ...(vectors ? { vectors } : {}),
          authorizer,
        });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            authorizer,
            logger,
            retriever,
            index,
            indexStore,
            conversations,
            governance,
            governanceStore,
            drafts: new DraftService({
              tools,
              governance,
              ...(model ? { model } : {}),
            }),
            assist: new AssistService({
              tools,
              governance,
              ...(model ? { model } : {}),
            }),
            ...(model ? { model: model.model } : {}),
            ...(vectors ? { embedder: vectors.describe() } : {}),
            chat: new ChatService({
              retriever,
              tools,
              conversations,
              governance,
              ...(model ? { model } : {}),
            }),
          }),
        );
      },
    });
  },
});
