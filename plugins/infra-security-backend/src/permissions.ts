import {
  INFRA_TENANT_RESOURCE_TYPE,
  INFRA_TENANT_RULE,
} from '@infra-hub/plugin-infra-security-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** A tenant (or the system scope) as a permission resource: just its id. */
export type TenantResource = { id: string };

export const tenantResourceRef = createPermissionResourceRef<
  TenantResource,
  { tenantIds: string[]; allTenants?: boolean }
>().with({
  pluginId: 'infra-security',
  resourceType: INFRA_TENANT_RESOURCE_TYPE,
});

/**
 * The condition the suite's policy attaches to tenant permissions: the resource is one of the
 * listed tenants (or any tenant, not the system scope, when `allTenants` is set: a system-admin
 * managing members).
 */
export const isInTenantRule = createPermissionRule({
  name: INFRA_TENANT_RULE,
  description: 'Allow when the resource belongs to one of the given tenants',
  resourceRef: tenantResourceRef,
  paramsSchema: z.object({
    tenantIds: z.array(z.string()).describe('Tenant ids (or "system")'),
    allTenants: z
      .boolean()
      .optional()
      .describe('Any tenant, but not the system scope'),
  }),
  apply: (resource, { tenantIds, allTenants }) =>
    tenantIds.includes(resource.id) ||
    (Boolean(allTenants) && resource.id !== 'system'),
  toQuery: params => params,
});
