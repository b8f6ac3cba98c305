import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  InfraAuthorizer,
  infraSecuritySpineServiceRef,
} from '@infra-hub/plugin-infra-security-node';
import { readChangeConfig } from './config';
import { ChangeStore } from './database/ChangeStore';
import { createRouter } from './router';
import { ChangeService } from './services/ChangeService';
import { SigningService } from './services/SigningService';

/**
 * Infra Hub change control: `/api/infra-change`.
 *
 * @public
 */
export const infraChangePlugin = createBackendPlugin({
  pluginId: 'infra-change',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        spine: infraSecuritySpineServiceRef,
      },
      async init({
        config,
        database,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        spine,
      }) {
        const settings = readChangeConfig(config);
        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath(
              '@infra-hub/plugin-infra-change-backend',
              'migrations',
            ),
            tableName: 'infra_change_migrations',
          });
        }
        const store = new ChangeStore(knex);
        const signing = new SigningService(knex, spine);
        const service = new ChangeService({ store, signing, spine, settings });
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            authorizer: new InfraAuthorizer({ permissions, auth }),
            store,
            service,
            signing,
            settings,
          }),
        );
      },
    });
  },
});
