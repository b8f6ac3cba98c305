import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  PIPELINES_CHANGED_TOPIC,
  pipelinesSignalChannel,
} from '@infra-hub/plugin-infra-pipelines-common';
import {
  InfraAuthorizer,
  infraSecuritySpineServiceRef,
  purgeTenantsOnLifecycle,
} from '@infra-hub/plugin-infra-security-node';
import { readPipelineConfig } from './config';
import { PipelineStore } from './database/PipelineStore';
import { createRouter } from './router';
import { EntityLinks } from './services/EntityLinks';
import { PipelineService } from './services/PipelineService';
import { deliverRecorded } from './services/recordedDeliveries';
import path from 'node:path';

/**
 * Infra Hub pipelines: `/api/infra-pipelines`.
 *
 * @public
 */
export const infraPipelinesPlugin = createBackendPlugin({
  pluginId: 'infra-pipelines',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
        spine: infraSecuritySpineServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        database,
        auth,
        logger,
        scheduler,
        httpAuth,
        httpRouter,
        permissions,
        catalog,
        spine,
        events,
        signals,
        discovery,
        lifecycle,
      }) {
        const settings = readPipelineConfig(config);
        const store = await PipelineStore.create({ database });
        const service = new PipelineService({
          store,
          links: new EntityLinks({ catalog, auth }),
          spine,
          settings,
          logger,
          onChanged: (tenantId, run) => {
            // A nudge to the pages watching the tenant; they read the run through the API,
            // which checks their permission.
            signals
              .publish({
                recipients: { type: 'broadcast' },
                channel: pipelinesSignalChannel(tenantId),
                message: { runId: run.id },
              })
              .catch(() => undefined);
            events
              .publish({
                topic: PIPELINES_CHANGED_TOPIC,
                eventPayload: {
                  tenantId,
                  runId: run.id,
                  status: run.status,
                },
              })
              .catch(() => undefined);
          },
        });
        await service.syncConfigConnections(settings.connections);
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-pipelines',
          events,
          spine,
          logger,
          purge: tenantId => store.purgeTenant(tenantId),
        });
        await scheduler.scheduleTask({
          id: 'infra-pipelines:pull',
          frequency: { minutes: 1 },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 30 },
          fn: () => service.pullDue(),
        });
        await scheduler.scheduleTask({
          id: 'infra-pipelines:retention',
          frequency: { hours: 6 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const expired = await store.expire(
              new Date(Date.now() - settings.retentionDays * 86_400_000),
            );
            if (expired.runs || expired.deliveries) {
              logger.info('pipeline history expired', expired);
            }
          },
        });
        if (settings.recordedEvents) {
          const dir = path.resolve(settings.recordedEvents);
          // Once the backend serves requests: through the webhook route, as a provider would.
          lifecycle.addStartupHook(() => {
            void (async () => {
              const baseUrl = await discovery.getBaseUrl('infra-pipelines');
              // Until the catalog holds the entities that claim them (a fresh start).
              for (let attempt = 1; attempt <= 40; attempt++) {
                const outcome = await deliverRecorded({
                  dir,
                  baseUrl,
                  service,
                  logger,
                });
                if (
                  (outcome.failed === 0 && outcome.ignored === 0) ||
                  attempt === 40
                ) {
                  logger.info('recorded webhook deliveries replayed', outcome);
                  return;
                }
                await new Promise(r => setTimeout(r, 3000));
              }
            })().catch(error =>
              logger.warn('could not replay the recorded deliveries', {
                error: (error as Error).message,
              }),
            );
          });
        }
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Deliveries are authenticated by their provider's signature, not a Backstage token.
        httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            authorizer: InfraAuthorizer.withSpine({ permissions, auth, spine }),
            store,
            service,
            webhookBodyLimit: settings.webhookBodyLimit,
          }),
        );
      },
    });
  },
});
