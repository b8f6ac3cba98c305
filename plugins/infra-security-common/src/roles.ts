/**
 * The five roles of the suite. A user holds roles per tenant; `system-admin` is held in the
 * installation's system scope instead of in a tenant.
 *
 * @public
 */
export const INFRA_ROLES = [
  'system-admin',
  'tenant-admin',
  'security-analyst',
  'auditor',
  'read-only',
] as const;

/** @public */
export type InfraRole = (typeof INFRA_ROLES)[number];

/**
 * The scope that holds installation-wide role bindings and audit events (tenants created and
 * deleted, system settings). It is not a tenant: no tenant may take this id.
 *
 * @public
 */
export const SYSTEM_SCOPE = 'system';

/** @public */
export function isInfraRole(value: unknown): value is InfraRole {
  return (INFRA_ROLES as readonly unknown[]).includes(value);
}
