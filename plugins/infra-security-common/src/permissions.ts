import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { InfraRole } from './roles';

/**
 * The resource type of everything that belongs to a tenant. Permissions of this type are
 * authorized with the tenant id as resourceRef; list endpoints ask without one and receive a
 * condition naming the tenants the user may see.
 *
 * @public
 */
export const INFRA_TENANT_RESOURCE_TYPE = 'infra-tenant';

/**
 * The annotation that puts a catalog entity in a tenant: only people with a role in that tenant
 * read it (the suite's permission policy filters catalog reads on it).
 *
 * @public
 */
export const INFRA_TENANT_ANNOTATION = 'infra-hub.io/tenant';

/** The name of the permission rule that conditional decisions on tenant resources use. */
export const INFRA_TENANT_RULE = 'IS_IN_TENANT';

function tenantPermission(
  name: string,
  action: 'read' | 'create' | 'update' | 'delete',
) {
  return createPermission({
    name,
    attributes: { action },
    resourceType: INFRA_TENANT_RESOURCE_TYPE,
  });
}

// ---- installation-wide (system scope) --------------------------------------------------------

/** Create tenants. @public */
export const infraTenantCreatePermission = createPermission({
  name: 'infra.tenant.create',
  attributes: { action: 'create' },
});

/** Delete tenants. @public */
export const infraTenantDeletePermission = createPermission({
  name: 'infra.tenant.delete',
  attributes: { action: 'delete' },
});

/** Change the installation's settings (signing keys, vault key rotation). @public */
export const infraSystemSettingsPermission = createPermission({
  name: 'infra.system.settings',
  attributes: { action: 'update' },
});

// ---- per tenant ------------------------------------------------------------------------------

/** Read a tenant's name, workspaces and members. @public */
export const infraTenantReadPermission = tenantPermission(
  'infra.tenant.read',
  'read',
);

/** Grant and revoke roles, create and revoke API keys, manage workspaces. @public */
export const infraUsersManagePermission = tenantPermission(
  'infra.users.manage',
  'update',
);

/** Add, replace and delete the tenant's credentials. @public */
export const infraCredentialsManagePermission = tenantPermission(
  'infra.credentials.manage',
  'update',
);

/** Run discovery jobs. @public */
export const infraDiscoveryRunPermission = tenantPermission(
  'infra.discovery.run',
  'create',
);

/** Read the asset graph. @public */
export const infraAssetGraphReadPermission = tenantPermission(
  'infra.asset-graph.read',
  'read',
);

/** Change the asset graph. @public */
export const infraAssetGraphWritePermission = tenantPermission(
  'infra.asset-graph.write',
  'update',
);

/** Read the audit log (a tenant's, or the system scope's). @public */
export const infraAuditLogReadPermission = tenantPermission(
  'infra.audit-log.read',
  'read',
);

/** Read Terraform plans, drift, change requests, approvals and the compliance report. @public */
export const infraChangeReadPermission = tenantPermission(
  'infra.change.read',
  'read',
);

/** Upload Terraform plans (CI, with a machine API key). @public */
export const infraPlanUploadPermission = tenantPermission(
  'infra.plan.upload',
  'create',
);

/** Open, submit, cancel and mark applied change requests. @public */
export const infraChangeRequestPermission = tenantPermission(
  'infra.change.request',
  'create',
);

/** Approve or reject change requests (never one's own). @public */
export const infraChangeApprovePermission = tenantPermission(
  'infra.change.approve',
  'update',
);

/** Read compliance findings, posture, evaluations and their trend. @public */
export const infraFindingsReadPermission = tenantPermission(
  'infra.findings.read',
  'read',
);

/**
 * Run compliance evaluations, check plans against the rules, and accept a finding's risk
 * (suppress it; a signed-in person only). @public
 */
export const infraComplianceAuditRunPermission = tenantPermission(
  'infra.compliance-audit.run',
  'create',
);

/** Read the POA&M and export it as OSCAL. @public */
export const infraPoamReadPermission = tenantPermission(
  'infra.poam.read',
  'read',
);

/** Move POA&M items through their states. @public */
export const infraPoamWritePermission = tenantPermission(
  'infra.poam.write',
  'update',
);

/** Read and download the signed evidence of compliance evaluations. @public */
export const infraEvidenceReadPermission = tenantPermission(
  'infra.evidence.read',
  'read',
);

/** Seal (have signed) evidence that could not be sealed when it was collected. @public */
export const infraEvidenceWritePermission = tenantPermission(
  'infra.evidence.write',
  'update',
);

/** Define, change and delete the tenant's own compliance frameworks. @public */
export const infraFrameworksManagePermission = tenantPermission(
  'infra.frameworks.manage',
  'update',
);

/**
 * Ask the infra chat about the tenant; answers come only from what the asker may read. @public
 */
export const infraChatAskPermission = tenantPermission(
  'infra.chat.ask',
  'read',
);

/** Read the tenant's AI usage log (model calls, tokens, cost). @public */
export const infraAiUsageReadPermission = tenantPermission(
  'infra.ai.usage.read',
  'read',
);

/** Set the tenant's AI policies (features, models, budgets, data classes per team). @public */
export const infraAiPoliciesManagePermission = tenantPermission(
  'infra.ai.policies.manage',
  'update',
);

/** Read the tenant's pipeline runs, their jobs, logs of failed jobs and plans. @public */
export const infraPipelinesReadPermission = tenantPermission(
  'infra.pipelines.read',
  'read',
);

/** Start a plan or a run of one of the tenant's pipelines from the portal. @public */
export const infraPipelinesTriggerPermission = tenantPermission(
  'infra.pipelines.trigger',
  'update',
);

/** Connect the tenant's CI systems (base URLs, vault credentials, webhook secrets). @public */
export const infraPipelinesManagePermission = tenantPermission(
  'infra.pipelines.manage',
  'update',
);

/**
 * Every permission of the security spine, for registration with the permissions registry.
 *
 * @public
 */
export const infraSecurityPermissions: Permission[] = [
  infraTenantCreatePermission,
  infraTenantDeletePermission,
  infraSystemSettingsPermission,
  infraTenantReadPermission,
  infraUsersManagePermission,
  infraCredentialsManagePermission,
  infraDiscoveryRunPermission,
  infraAssetGraphReadPermission,
  infraAssetGraphWritePermission,
  infraAuditLogReadPermission,
  infraChangeReadPermission,
  infraPlanUploadPermission,
  infraChangeRequestPermission,
  infraChangeApprovePermission,
  infraFindingsReadPermission,
  infraComplianceAuditRunPermission,
  infraPoamReadPermission,
  infraPoamWritePermission,
  infraFrameworksManagePermission,
  infraEvidenceReadPermission,
  infraEvidenceWritePermission,
  infraChatAskPermission,
  infraAiUsageReadPermission,
  infraAiPoliciesManagePermission,
  infraPipelinesReadPermission,
  infraPipelinesTriggerPermission,
  infraPipelinesManagePermission,
];

/**
 * The role matrix: which permissions each role grants in the scope it is held in. It is the
 * product's matrix, plus `infra.tenant.read` for every tenant role (a member sees the tenant they
 * belong to), with only the permissions a route checks. system-admin is held in the system scope; it grants the installation-wide
 * permissions, the system scope's audit log, and managing the members of every tenant, but no
 * tenant data.
 *
 * @public
 */
export const ROLE_PERMISSIONS: Record<InfraRole, readonly string[]> = {
  'system-admin': [
    infraTenantCreatePermission.name,
    infraTenantDeletePermission.name,
    infraSystemSettingsPermission.name,
    infraUsersManagePermission.name,
    infraAuditLogReadPermission.name,
  ],
  'tenant-admin': [
    infraTenantReadPermission.name,
    infraUsersManagePermission.name,
    infraCredentialsManagePermission.name,
    infraDiscoveryRunPermission.name,
    infraAssetGraphReadPermission.name,
    infraAssetGraphWritePermission.name,
    infraAuditLogReadPermission.name,
    infraChangeReadPermission.name,
    infraPlanUploadPermission.name,
    infraChangeRequestPermission.name,
    infraChangeApprovePermission.name,
    infraFindingsReadPermission.name,
    infraComplianceAuditRunPermission.name,
    infraPoamReadPermission.name,
    infraPoamWritePermission.name,
    infraFrameworksManagePermission.name,
    infraEvidenceReadPermission.name,
    infraEvidenceWritePermission.name,
    infraChatAskPermission.name,
    infraAiUsageReadPermission.name,
    infraAiPoliciesManagePermission.name,
    infraPipelinesReadPermission.name,
    infraPipelinesTriggerPermission.name,
    infraPipelinesManagePermission.name,
  ],
  'security-analyst': [
    infraTenantReadPermission.name,
    infraDiscoveryRunPermission.name,
    infraAssetGraphReadPermission.name,
    infraChangeReadPermission.name,
    infraPlanUploadPermission.name,
    infraChangeRequestPermission.name,
    infraChangeApprovePermission.name,
    infraFindingsReadPermission.name,
    infraComplianceAuditRunPermission.name,
    infraPoamReadPermission.name,
    infraPoamWritePermission.name,
    infraEvidenceReadPermission.name,
    infraEvidenceWritePermission.name,
    infraChatAskPermission.name,
    infraPipelinesReadPermission.name,
    infraPipelinesTriggerPermission.name,
  ],
  auditor: [
    infraTenantReadPermission.name,
    infraAuditLogReadPermission.name,
    infraChangeReadPermission.name,
    infraFindingsReadPermission.name,
    infraPoamReadPermission.name,
    infraEvidenceReadPermission.name,
    infraChatAskPermission.name,
    infraPipelinesReadPermission.name,
  ],
  'read-only': [
    infraTenantReadPermission.name,
    infraAssetGraphReadPermission.name,
    infraChangeReadPermission.name,
    infraChatAskPermission.name,
    infraPipelinesReadPermission.name,
  ],
};

/** True when `role`, held in its scope, grants the permission named `permission`. @public */
export function roleGrants(role: InfraRole, permission: string): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * True when the roles a user holds in one scope grant every permission of `role`: a machine API
 * key minted (and kept) by that user may hold `role`, never more than its creator.
 *
 * @public
 */
export function rolesCover(
  held: readonly InfraRole[],
  role: InfraRole,
): boolean {
  return ROLE_PERMISSIONS[role].every(permission =>
    held.some(h => roleGrants(h, permission)),
  );
}
