import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { infraSuiteReadPermission } from '@infra-hub/plugin-infra-hub-common';
import {
  INFRA_ROLES,
  InfraRole,
  infraSecurityPermissions,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import { InfraPermissionPolicy, PLATFORM_ADMIN_GROUP } from './policy';

// The product's role matrix, written out independently of the code under test: permission ->
// roles that hold it. `infra.tenant.read` (a member sees their tenant) is the suite's addition.
const MATRIX: Record<string, InfraRole[]> = {
  'infra.tenant.create': ['system-admin'],
  'infra.tenant.delete': ['system-admin'],
  'infra.system.settings': ['system-admin'],
  'infra.users.manage': ['system-admin', 'tenant-admin'],
  'infra.credentials.manage': ['tenant-admin'],
  'infra.discovery.run': ['tenant-admin', 'security-analyst'],
  'infra.asset-graph.read': ['tenant-admin', 'security-analyst', 'read-only'],
  'infra.asset-graph.write': ['tenant-admin'],
  'infra.findings.read': ['tenant-admin', 'security-analyst', 'auditor'],
  'infra.compliance-audit.run': ['tenant-admin', 'security-analyst'],
  'infra.poam.read': ['tenant-admin', 'security-analyst', 'auditor'],
  'infra.poam.write': ['tenant-admin', 'security-analyst'],
  'infra.evidence.read': ['tenant-admin', 'security-analyst', 'auditor'],
  'infra.evidence.write': ['tenant-admin', 'security-analyst'],
  // Custom frameworks (compliance capability 6): a tenant admin defines them.
  'infra.frameworks.manage': ['tenant-admin'],
  // The product's evidence rows come with the routes that check them.
  'infra.audit-log.read': ['system-admin', 'tenant-admin', 'auditor'],
  // Drift and change control (capability 5), not in the product's table: everyone in the tenant
  // reads; admins and analysts upload plans, request changes and approve them.
  'infra.change.read': [
    'tenant-admin',
    'security-analyst',
    'auditor',
    'read-only',
  ],
  'infra.plan.upload': ['tenant-admin', 'security-analyst'],
  'infra.change.request': ['tenant-admin', 'security-analyst'],
  'infra.change.approve': ['tenant-admin', 'security-analyst'],
  // Infra chat and AI governance (capability 8), as the product's table has them.
  'infra.chat.ask': [
    'tenant-admin',
    'security-analyst',
    'auditor',
    'read-only',
  ],
  'infra.ai.usage.read': ['tenant-admin'],
  'infra.ai.policies.manage': ['tenant-admin'],
  // Pipelines (capability 7), as the product's table has them; connecting CI systems (base
  // URLs, vault credentials, webhook secrets) is a tenant admin's, like the credentials.
  'infra.pipelines.read': [
    'tenant-admin',
    'security-analyst',
    'auditor',
    'read-only',
  ],
  'infra.pipelines.trigger': ['tenant-admin', 'security-analyst'],
  'infra.pipelines.manage': ['tenant-admin'],
  'infra.tenant.read': [
    'tenant-admin',
    'security-analyst',
    'auditor',
    'read-only',
  ],
};

function user(ref: string, groups: string[] = []): PolicyQueryUser {
  return {
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    credentials: {} as any,
  } as PolicyQueryUser;
}

/** Whether a decision allows the permission on a resource of `scope` (tenant id or system). */
function allows(decision: PolicyDecision, scope: string): boolean {
  if (decision.result === AuthorizeResult.ALLOW) return true;
  if (decision.result === AuthorizeResult.DENY) return false;
  const conditions = (decision as any).conditions;
  const params = conditions.params as {
    tenantIds: string[];
    allTenants?: boolean;
  };
  expect(conditions.rule).toBe('IS_IN_TENANT');
  return (
    params.tenantIds.includes(scope) ||
    (Boolean(params.allTenants) && scope !== SYSTEM_SCOPE)
  );
}

function policyWith(bindings: Array<{ scope: string; role: InfraRole }>) {
  return new InfraPermissionPolicy({ rolesOf: async () => bindings });
}

describe('InfraPermissionPolicy', () => {
  it('covers exactly the permissions of the matrix', () => {
    expect(infraSecurityPermissions.map(p => p.name).sort()).toEqual(
      Object.keys(MATRIX).sort(),
    );
  });

  describe.each(INFRA_ROLES.filter(r => r !== 'system-admin'))(
    'a %s of tenant-a',
    role => {
      const policy = policyWith([{ scope: 'tenant-a', role }]);
      it.each(
        infraSecurityPermissions.map(p => [p.name, p] as [string, Permission]),
      )(
        'holds %s exactly as the matrix says, in tenant-a only',
        async (name, permission) => {
          const decision = await policy.handle(
            { permission },
            user('user:default/someone'),
          );
          const expected =
            MATRIX[name].includes(role) && permission.type === 'resource';
          expect(allows(decision, 'tenant-a')).toBe(expected);
          expect(allows(decision, 'tenant-b')).toBe(false);
          expect(allows(decision, SYSTEM_SCOPE)).toBe(false);
        },
      );
    },
  );

  describe('a system-admin with no role in any tenant', () => {
    const policy = policyWith([{ scope: SYSTEM_SCOPE, role: 'system-admin' }]);
    const admin = user('user:default/admin');
    const basic = infraSecurityPermissions.filter(p => p.type === 'basic');
    const tenantScoped = infraSecurityPermissions.filter(
      p => p.type === 'resource',
    );

    it.each(basic.map(p => [p.name, p] as [string, Permission]))(
      'holds the installation-wide %s as the matrix says',
      async (name, permission) => {
        const decision = await policy.handle({ permission }, admin);
        expect(decision.result).toBe(
          MATRIX[name].includes('system-admin')
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        );
      },
    );

    it.each(tenantScoped.map(p => [p.name, p] as [string, Permission]))(
      '%s: as the matrix says in the system scope; in a tenant only managing its members',
      async (name, permission) => {
        const decision = await policy.handle({ permission }, admin);
        expect(allows(decision, SYSTEM_SCOPE)).toBe(
          MATRIX[name].includes('system-admin'),
        );
        // Tenant data stays out of reach; managing members is the one tenant power.
        expect(allows(decision, 'tenant-a')).toBe(
          name === 'infra.users.manage',
        );
      },
    );
  });

  it('gives a user different powers in different tenants', async () => {
    const policy = policyWith([
      { scope: 'cartwheel', role: 'tenant-admin' },
      { scope: 'harbor-bank', role: 'read-only' },
    ]);
    const byName = Object.fromEntries(
      infraSecurityPermissions.map(p => [p.name, p]),
    );
    const write = await policy.handle(
      { permission: byName['infra.asset-graph.write'] },
      user('user:default/p'),
    );
    expect(allows(write, 'cartwheel')).toBe(true);
    expect(allows(write, 'harbor-bank')).toBe(false);
    const read = await policy.handle(
      { permission: byName['infra.asset-graph.read'] },
      user('user:default/p'),
    );
    expect(allows(read, 'cartwheel')).toBe(true);
    expect(allows(read, 'harbor-bank')).toBe(true);
  });

  it('denies everything to a request without a user, and every suite permission to a user without roles', async () => {
    const policy = policyWith([]);
    for (const permission of infraSecurityPermissions) {
      expect((await policy.handle({ permission })).result).toBe(
        AuthorizeResult.DENY,
      );
      expect(
        (await policy.handle({ permission }, user('user:default/nobody')))
          .result,
      ).toBe(AuthorizeResult.DENY);
    }
  });

  it("reads a tenant's catalog entities only with a role there, in the catalog's query", async () => {
    const reader = user('user:default/maria');
    const decision = await policyWith([
      { scope: 'harbor-bank', role: 'read-only' },
      { scope: 'cartwheel', role: 'auditor' },
      { scope: SYSTEM_SCOPE, role: 'system-admin' },
    ]).handle({ permission: catalogEntityReadPermission }, reader);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'HAS_ANNOTATION',
              resourceType: 'catalog-entity',
              params: { annotation: 'infra-hub.io/tenant' },
            },
          },
          ...['cartwheel', 'harbor-bank'].map(value => ({
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'infra-hub.io/tenant', value },
          })),
        ],
      },
    });
    // A system-admin alone reads only entities of no tenant.
    const admin = await policyWith([
      { scope: SYSTEM_SCOPE, role: 'system-admin' },
    ]).handle({ permission: catalogEntityReadPermission }, reader);
    expect((admin as any).conditions.anyOf).toHaveLength(1);
  });

  it('keeps the portal rules: suite status for all, catalog changes for the platform team', async () => {
    const policy = policyWith([]);
    const dev = user('user:default/dev', [
      'group:default/cartwheel-engineering',
    ]);
    const admin = user('user:default/alex', [PLATFORM_ADMIN_GROUP]);
    expect(
      (await policy.handle({ permission: infraSuiteReadPermission }, dev))
        .result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await policy.handle({ permission: catalogEntityDeletePermission }, dev))
        .result,
    ).toBe(AuthorizeResult.DENY);
    expect(
      (
        await policy.handle(
          { permission: catalogEntityDeletePermission },
          admin,
        )
      ).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('gives catalog changes to the groups the installation names instead', async () => {
    const policy = new InfraPermissionPolicy(
      { rolesOf: async () => [] },
      { platformAdminGroups: ['group:default/portal-admins'] },
    );
    const decide = async (groups: string[]) =>
      (
        await policy.handle(
          { permission: catalogEntityDeletePermission },
          user('user:default/sam', groups),
        )
      ).result;
    expect(await decide(['group:default/portal-admins'])).toBe(
      AuthorizeResult.ALLOW,
    );
    // The default group means nothing once the installation names its own.
    expect(await decide([PLATFORM_ADMIN_GROUP])).toBe(AuthorizeResult.DENY);
  });
});
