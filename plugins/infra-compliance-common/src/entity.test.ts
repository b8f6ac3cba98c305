import { complianceScopeOf, isInfraComplianceAvailable } from './entity';

const entity = (
  kind: string,
  annotations: Record<string, string>,
  spec?: Record<string, unknown>,
) => ({ kind, metadata: { name: 'cartwheel-storefront', annotations }, spec });

describe('complianceScopeOf', () => {
  it('scopes a resource to its asset, a system to its tag, a component to its system', () => {
    const tenant = { 'infra-hub.io/tenant': 'cartwheel' };
    expect(
      complianceScopeOf(
        entity('Resource', {
          ...tenant,
          'infra-hub.io/asset-id': 'aws:1:r:t:x',
        }),
      ),
    ).toEqual({ tenantId: 'cartwheel', resourceId: 'aws:1:r:t:x' });
    expect(complianceScopeOf(entity('System', tenant))).toEqual({
      tenantId: 'cartwheel',
      system: 'cartwheel-storefront',
    });
    for (const system of [
      'cartwheel-payments',
      'default/cartwheel-payments',
      'system:default/cartwheel-payments',
    ])
      expect(
        complianceScopeOf(entity('Component', tenant, { system })),
      ).toEqual({
        tenantId: 'cartwheel',
        system: 'cartwheel-payments',
      });
    // No tenant, or nothing to scope by: no tab.
    expect(isInfraComplianceAvailable(entity('System', {}))).toBe(false);
    expect(isInfraComplianceAvailable(entity('Component', tenant))).toBe(false);
    expect(isInfraComplianceAvailable(entity('Group', tenant))).toBe(false);
  });
});
