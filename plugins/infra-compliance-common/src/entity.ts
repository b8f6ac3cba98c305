/** The annotation that puts an entity in a tenant (the security spine's, repeated here). */
const TENANT = 'infra-hub.io/tenant';
/** The annotation naming the discovered asset behind a Resource entity. */
const ASSET_ID = 'infra-hub.io/asset-id';

/** An entity as the compliance tab reads it. @public */
export type ComplianceEntity = {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

/**
 * Which findings belong on an entity's Compliance tab: a discovered resource's own, or those of
 * the assets tagged with the entity's system (a System, or a Component or Resource in one).
 * Undefined when the entity is in no tenant or has neither.
 *
 * @public
 */
export function complianceScopeOf(
  entity: ComplianceEntity,
):
  | { tenantId: string; resourceId: string }
  | { tenantId: string; system: string }
  | undefined {
  const a = entity.metadata.annotations ?? {};
  const tenantId = a[TENANT];
  if (!tenantId) return undefined;
  if (a[ASSET_ID]) return { tenantId, resourceId: a[ASSET_ID] };
  if (entity.kind.toLowerCase() === 'system')
    return { tenantId, system: entity.metadata.name };
  const system = entity.spec?.system;
  if (typeof system === 'string' && system) {
    // `system:namespace/name`, `namespace/name` or `name`: the name is what assets are tagged with.
    const name = system
      .slice(system.lastIndexOf('/') + 1)
      .replace(/^system:/, '');
    return { tenantId, system: name };
  }
  return undefined;
}

/** True for entities that have a Compliance tab (see {@link complianceScopeOf}). @public */
export function isInfraComplianceAvailable(entity: ComplianceEntity): boolean {
  return complianceScopeOf(entity) !== undefined;
}
