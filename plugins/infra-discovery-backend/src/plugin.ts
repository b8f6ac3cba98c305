import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InfraAuthorizer } from '@infra-hub/plugin-infra-security-node';
import { readDiscoveryConfig } from './config';
import { GraphStore } from './database/GraphStore';
import { SourceStore } from './database/SourceStore';
import { createRouter } from './router';
import { DiscoveryRunner } from './services/DiscoveryRunner';

/**
 * Infra Hub discovery: `/api/infra-discovery`.
 *
 * @public
 */
export const infraDiscoveryPlugin = createBackendPlugin({
  pluginId: 'infra-discovery',
  register(env) {
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
      }) {
        const settings = readDiscoveryConfig(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath(
              '@infra-hub/plugin-infra-discovery-backend',
              'migrations',
            ),
            tableName: 'infra_discovery_migrations',
          });
        }
        const sources = new SourceStore(knex);
        const graph = new GraphStore(knex);
        const runner = new DiscoveryRunner({
          sources,
          graph,
          logger: logger.child({ component: 'runner' }),
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
            'config:infra.discovery.sources',
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

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            authorizer: new InfraAuthorizer({ permissions, auth }),
            sources,
            graph,
            runner,
          }),
        );
      },
    });
  },
});
