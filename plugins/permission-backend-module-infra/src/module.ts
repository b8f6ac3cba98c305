import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { InfraPermissionPolicy } from './policy';
import { HttpRoleSource } from './roleSource';

/**
 * Installs the Infra Hub permission policy in the permission plugin. Needs the infra-security
 * backend plugin in the same backend (or reachable through discovery).
 *
 * @public
 */
export const permissionModuleInfraPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'infra-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ policy, config, discovery, auth }) {
        const groups = config.getOptionalStringArray(
          'infra.permission.platformAdminGroups',
        );
        policy.setPolicy(
          new InfraPermissionPolicy(new HttpRoleSource({ discovery, auth }), {
            ...(groups ? { platformAdminGroups: groups } : {}),
          }),
        );
      },
    });
  },
});
