import { createInfraDraftModuleAction } from './actions/draft';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createInfraPublishGitAction } from './actions/publish';
import { createInfraRegisterModuleAction } from './actions/register';
import { createInfraScanAction } from './actions/scan';
import { readScaffolderInfraConfig } from './config';

/**
 * The golden paths' scaffolder actions: `infra:scan` (compliance rules and secrets over the
 * generated files), `infra:publish:git` (a plain git remote) and `infra:module:register`
 * (change control and the catalog).
 *
 * @public
 */
export const scaffolderModuleInfraActions = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'infra-actions',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        auth,
        discovery,
        permissions,
        catalog,
      }) {
        const settings = readScaffolderInfraConfig(config);
        scaffolder.addActions(
          createInfraScanAction(),
          createInfraPublishGitAction({ settings }),
          createInfraDraftModuleAction({ auth, discovery }),
          createInfraRegisterModuleAction({
            auth,
            discovery,
            permissions,
            catalog,
            settings,
          }),
        );
      },
    });
  },
});
