import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { infraSuiteReadPermission } from '@infra-hub/plugin-infra-hub-common';

/** Group whose members may change what the catalog ingests (register and unregister locations, delete entities). */
export const PLATFORM_ADMIN_GROUP = 'group:default/platform-engineering';

/** Catalog permissions that change what the catalog holds, kept to the platform team. */
const CATALOG_ADMIN_PERMISSIONS = new Set([
  'catalog.entity.delete',
  'catalog.location.create',
  'catalog.location.delete',
]);

/**
 * The portal's permission policy.
 *
 * - Suite permissions (`infra.*`) are allowed only where the suite says so; today that is
 *   `infra.suite.read` for every signed-in user. Every other `infra.*` permission is denied until
 *   the security spine decides it from the user's role in the resource's tenant.
 * - Changing what the catalog ingests is kept to members of the platform team.
 * - Everything else Backstage asks about (reading the catalog, running templates, search) is
 *   allowed to signed-in users, as in a stock portal.
 *
 * Requests without a user (none principal) are denied.
 */
export class InfraHubPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const name = request.permission.name;
    if (name.startsWith('infra.')) {
      return {
        result:
          name === infraSuiteReadPermission.name
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }
    if (CATALOG_ADMIN_PERMISSIONS.has(name)) {
      return {
        result: user.info.ownershipEntityRefs.includes(PLATFORM_ADMIN_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export const permissionModuleInfraHubPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'infra-hub-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new InfraHubPermissionPolicy());
      },
    });
  },
});
