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
import { SourceStore } from './database/SourceStore';
import { createRouter } from './router';
import { DiscoveryRunner } from './services/DiscoveryRunner';
import { GraphService } from './services/GraphService';
import { SourceService } from './services/SourceService';

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

        const sourceService = new SourceService({
          sources,
          graph,
          runner,
          providers,
          spine,
          logger,
          announce,
        });
        // A deleted tenant's sources, jobs and graph go with it; the catalog re-reads.
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-discovery',
          events,
          spine,
          logger,
          purge: tenantId => sourceService.purgeTenant(tenantId),
        });

        // Sources from config are kept in line with it, and run on their schedule: the scheduler
        // runs each task once across all backend replicas.
        for (const { source, run } of await sourceService.syncFromConfig(
          settings.sources,
        )) {
          await scheduler.scheduleTask({
            id: `infra-discovery:${source.tenantId}:${source.id}`,
            ...source.schedule!,
            fn: run,
          });
        }

        // Sources created through the API carry an interval; one task (once across replicas)
        // starts those that are due.
        await scheduler.scheduleTask({
          id: 'infra-discovery:api-sources',
          frequency: { seconds: settings.sweepSeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: settings.sweepSeconds },
          fn: async () => {
            await sourceService.startDue();
          },
        });

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            // Refusals are recorded in the tenant's audit log through the security spine.
            authorizer: InfraAuthorizer.withSpine({ permissions, auth, spine }),
            sourceService,
            graphService: new GraphService({ sources, graph }),
          }),
        );
      },
    });
  },
});
