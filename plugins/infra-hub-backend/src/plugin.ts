import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { infraHubPermissions } from '@infra-hub/plugin-infra-hub-common';
import fs from 'node:fs';
import { createRouter } from './router';
import { AboutService } from './services/AboutService';

/**
 * The Infra Hub suite's own backend plugin: `/api/infra-hub`.
 *
 * @public
 */
export const infraHubPlugin = createBackendPlugin({
  pluginId: 'infra-hub',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        instanceMetadata: coreServices.rootInstanceMetadata,
      },
      async init({
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        instanceMetadata,
      }) {
        const { version } = JSON.parse(
          fs.readFileSync(
            resolvePackagePath(
              '@infra-hub/plugin-infra-hub-backend',
              'package.json',
            ),
            'utf8',
          ),
        );
        permissionsRegistry.addPermissions(infraHubPermissions);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            about: new AboutService({ version, instanceMetadata }),
          }),
        );
      },
    });
  },
});
