import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { infraSuiteReadPermission } from '@infra-hub/plugin-infra-hub-common';
import {
  INFRA_TENANT_ANNOTATION,
  INFRA_TENANT_RESOURCE_TYPE,
  INFRA_TENANT_RULE,
  InfraRole,
  infraUsersManagePermission,
  roleGrants,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';

/**
 * The group whose members may change what the catalog ingests, unless
 * `infra.permission.platformAdminGroups` names others.
 */
export const PLATFORM_ADMIN_GROUP = 'group:default/platform-engineering';

const CATALOG_ADMIN_PERMISSIONS = new Set([
  'catalog.entity.delete',
  'catalog.location.create',
  'catalog.location.delete',
]);

/** Where the policy reads a user's roles from (the infra-security plugin). */
export interface RoleSource {
  rolesOf(userRef: string): Promise<Array<{ scope: string; role: InfraRole }>>;
}

/**
 * The portal's permission policy.
 *
 * - `infra.*` permissions follow the user's roles (ROLE_PERMISSIONS in the security spine's
 *   common package). Tenant permissions come back as a condition naming the tenants where a role
 *   grants them, so that single resources are checked against their tenant and lists are
 *   filtered in the query. Installation-wide permissions need system-admin. A system-admin also
 *   manages the members of every tenant, but reads no tenant data without a role in it.
 * - `infra.suite.read` is every signed-in user's.
 * - Catalog entities of a tenant (annotation `infra-hub.io/tenant`) are read only by people
 *   with a role in that tenant: a conditional decision the catalog applies in its query, so
 *   lists and counts never include them; entities without the annotation stay readable.
 * - Changing what the catalog ingests (locations, deleting entities) is kept to the platform
 *   team: members of `platformAdminGroups`.
 * - Everything else Backstage asks about is allowed to signed-in users.
 */
export class InfraPermissionPolicy implements PermissionPolicy {
  private readonly platformAdminGroups: readonly string[];

  constructor(
    private readonly roles: RoleSource,
    options: { platformAdminGroups?: readonly string[] } = {},
  ) {
    this.platformAdminGroups = options.platformAdminGroups ?? [
      PLATFORM_ADMIN_GROUP,
    ];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    const { permission } = request;
    const name = permission.name;

    if (name === infraSuiteReadPermission.name)
      return { result: AuthorizeResult.ALLOW };

    if (name.startsWith('infra.')) {
      const bindings = await this.roles.rolesOf(user.info.userEntityRef);
      const systemAdmin = bindings.some(
        b => b.scope === SYSTEM_SCOPE && b.role === 'system-admin',
      );
      if (isResourcePermission(permission, INFRA_TENANT_RESOURCE_TYPE)) {
        const tenantIds = [
          ...new Set(
            bindings.filter(b => roleGrants(b.role, name)).map(b => b.scope),
          ),
        ];
        const allTenants =
          systemAdmin && name === infraUsersManagePermission.name;
        if (tenantIds.length === 0 && !allTenants)
          return { result: AuthorizeResult.DENY };
        return {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'infra-security',
          resourceType: INFRA_TENANT_RESOURCE_TYPE,
          conditions: {
            rule: INFRA_TENANT_RULE,
            resourceType: INFRA_TENANT_RESOURCE_TYPE,
            params: allTenants
              ? { tenantIds, allTenants: true }
              : { tenantIds },
          },
        };
      }
      // Installation-wide permissions are held in the system scope.
      const granted = bindings.some(
        b => b.scope === SYSTEM_SCOPE && roleGrants(b.role, name),
      );
      return { result: granted ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    if (name === catalogEntityReadPermission.name) {
      const bindings = await this.roles.rolesOf(user.info.userEntityRef);
      const tenants = [
        ...new Set(
          bindings.filter(b => b.scope !== SYSTEM_SCOPE).map(b => b.scope),
        ),
      ].sort();
      const untenanted = {
        not: catalogConditions.hasAnnotation({
          annotation: INFRA_TENANT_ANNOTATION,
        }),
      };
      return createCatalogConditionalDecision(permission as any, {
        anyOf: [
          untenanted,
          ...tenants.map(value =>
            catalogConditions.hasAnnotation({
              annotation: INFRA_TENANT_ANNOTATION,
              value,
            }),
          ),
        ],
      });
    }

    if (CATALOG_ADMIN_PERMISSIONS.has(name)) {
      return {
        result: user.info.ownershipEntityRefs.some(ref =>
          this.platformAdminGroups.includes(ref),
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
