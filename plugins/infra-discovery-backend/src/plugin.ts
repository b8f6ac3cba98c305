import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  DiscoveryProviderDefinition,
  infraDiscoveryProvidersExtensionPoint,
} from '@infra-hub/plugin-infra-discovery-node';
import {
  InfraAuthorizer,
  infraSecuritySpineServiceRef,
  purgeTenantsOnLifecycle,
} from '@infra-hub/plugin-infra-security-node';
import {
  discoveryJobsChannel,
  GRAPH_CHANGED_TOPIC,
  GraphChange,
} from '@infra-hub/plugin-infra-discovery-common';
import { readDiscoveryConfig } from './config';
import { GraphStore } from './database/GraphStore';
import { CONFIG_ACTOR_PREFIX, SourceStore } from './database/SourceStore';
import { createRouter } from './router';
import { DiscoveryRunner } from './services/DiscoveryRunner';
import { scheduleIntervalMs } from './services/sourceInput';

/**
 * Infra Hub discovery: `/api/infra-discovery`. Provider kinds come from modules
 * (`infra-discovery-backend-module-terraform`, `-aws`) through
 * `infraDiscoveryProvidersExtensionPoint`.
 *
 * @public
 */
export const infraDiscoveryPlugin = createBackendPlugin({
  pluginId: 'infra-discovery',
  register(env) {
    const providers = new Map<string, DiscoveryProviderDefinition>();
    env.registerExtensionPoint(infraDiscoveryProvidersExtensionPoint, {
      addProvider(provider) {
        if (providers.has(provider.id)) {
          throw new Error(
            `Discovery provider '${provider.id}' is already installed`,
          );
        }
        providers.set(provider.id, provider);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
        events: eventsServiceRef,
        spine: infraSecuritySpineServiceRef,
      },
      async init({
        config,
        database,
        logger,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        scheduler,
        signals,
        events,
        spine,
      }) {
        const settings = readDiscoveryConfig(config, providers);
        const announce = (change: GraphChange) =>
          events.publish({ topic: GRAPH_CHANGED_TOPIC, eventPayload: change });
        const sources = await SourceStore.create({ database });
        const graph = await GraphStore.create({ database });
        // A deleted tenant's sources, jobs and graph go with it; the catalog re-reads.
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-discovery',
          events,
          spine,
          logger,
          purge: async tenantId => {
            const removed = {
              ...(await graph.purgeTenant(tenantId)),
              ...(await sources.purgeTenant(tenantId)),
            };
            if (removed.assets > 0)
              await announce({
                tenantId,
                sourceId: '',
                jobId: '',
                changed: 0,
                gone: removed.assets,
                purged: true,
              });
            return removed;
          },
        });
        const runner = new DiscoveryRunner({
          sources,
          graph,
          providers,
          spine,
          egress: settings.egress,
          logger: logger.child({ component: 'runner' }),
          onGraphChanged: announce,
          // A nudge to the browsers watching the tenant; they fetch the job through the API,
          // which checks their permission.
          notify: (tenantId, job) =>
            signals.publish({
              recipients: { type: 'broadcast' },
              channel: discoveryJobsChannel(tenantId),
              message: {
                jobId: job.id,
                sourceId: job.sourceId,
                status: job.status,
              },
            }),
        });

        // Sources from config are kept in line with it, and run on their schedule: the scheduler
        // runs each task once across all backend replicas.
        for (const source of settings.sources) {
          await sources.upsertSource(
            source.tenantId,
            {
              id: source.id,
              name: source.name,
              provider: source.provider,
              settings: source.settings,
              ...(source.credentialId
                ? { credentialId: source.credentialId }
                : {}),
              ...(source.workspaceId
                ? { workspaceId: source.workspaceId }
                : {}),
              // What the list shows of the schedule; the scheduler has the real definition.
              ...(source.schedule
                ? {
                    schedule: JSON.stringify(source.schedule.frequency).slice(
                      0,
                      64,
                    ),
                  }
                : {}),
            },
            `${CONFIG_ACTOR_PREFIX}infra.discovery.sources`,
          );
          if (source.schedule) {
            await scheduler.scheduleTask({
              id: `infra-discovery:${source.tenantId}:${source.id}`,
              ...source.schedule,
              fn: async () => {
                const { done } = await runner.start(
                  source.tenantId,
                  source.id,
                  'schedule',
                  'plugin:infra-discovery',
                );
                await done;
              },
            });
          }
        }

        // Sources created through the API carry an interval; one task (once across replicas)
        // starts those that are due.
        await scheduler.scheduleTask({
          id: 'infra-discovery:api-sources',
          frequency: { seconds: settings.sweepSeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: settings.sweepSeconds },
          fn: async () => {
            const now = Date.now();
            for (const {
              source,
              lastStartedAt,
            } of await sources.listScheduledApiSources()) {
              let interval: number;
              try {
                interval = scheduleIntervalMs(source.schedule!);
              } catch {
                continue;
              }
              if (lastStartedAt && Date.parse(lastStartedAt) + interval > now)
                continue;
              try {
                await runner.start(
                  source.tenantId,
                  source.id,
                  'schedule',
                  'plugin:infra-discovery',
                );
              } catch (error) {
                // Already running (409) or gone meanwhile: the next sweep tries again.
                logger.debug('scheduled source not started', {
                  tenantId: source.tenantId,
                  sourceId: source.id,
                  error: String(error),
                });
              }
            }
          },
        });

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            // Refusals are recorded in the tenant's audit log through the security spine.
            authorizer: new InfraAuthorizer({
              permissions,
              auth,
              recordDenial: event => spine.recordAudit(event),
            }),
            sources,
            graph,
            runner,
            providers,
            spine,
            announce,
          }),
        );
      },
    });
  },
});
