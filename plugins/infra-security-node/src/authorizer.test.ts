import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { INFRA_TENANT_RESOURCE_TYPE } from '@infra-hub/plugin-infra-security-common';
import { InfraAuthorizer } from './authorizer';

const read = createPermission({
  name: 'infra.assets.read',
  attributes: { action: 'read' },
  resourceType: INFRA_TENANT_RESOURCE_TYPE,
});
const catalogRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
});

/**
 * A permission framework that answers from `allowed` (user → tenants) and counts its round
 * trips; `failNext` makes the next one fail.
 */
function framework(allowed: Map<string, string[]>) {
  const calls: string[] = [];
  let failNext = false;
  const permissions = {
    async authorize(requests: any[], { credentials }: any) {
      const user = credentials.principal.userEntityRef ?? 'service';
      calls.push(
        `${user} ${requests[0].permission.name} ${
          requests[0].resourceRef ?? ''
        }`,
      );
      await new Promise(r => setTimeout(r, 5));
      if (failNext) {
        failNext = false;
        throw new Error('the permission backend is down');
      }
      return requests.map(r => ({
        result:
          credentials.principal.type === 'service' ||
          (allowed.get(user) ?? []).includes(r.resourceRef)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests: any[], { credentials }: any) {
      const user = credentials.principal.userEntityRef;
      calls.push(`${user} ${requests[0].permission.name} conditional`);
      return requests.map(() => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'infra-security',
        resourceType: INFRA_TENANT_RESOURCE_TYPE,
        conditions: {
          rule: 'IS_IN_TENANT',
          resourceType: INFRA_TENANT_RESOURCE_TYPE,
          params: { tenantIds: allowed.get(user) ?? [] },
        },
      }));
    },
  };
  return {
    permissions: permissions as any,
    calls,
    failOnce: () => {
      failNext = true;
    },
  };
}

describe('InfraAuthorizer', () => {
  const priya = mockCredentials.user('user:default/priya.shah');
  const maria = mockCredentials.user('user:default/maria.garcia');

  it("reuses a user's decision briefly, one round trip for requests that arrive together, then asks again", async () => {
    const allowed = new Map([['user:default/priya.shah', ['cartwheel']]]);
    const f = framework(allowed);
    const authorizer = new InfraAuthorizer({
      permissions: f.permissions,
      auth: mockServices.auth(),
      decisionReuseMs: 300,
    });
    // Ten requests at once: one round trip.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        authorizer.isAllowed(priya, read, 'cartwheel'),
      ),
    );
    expect(answers).toEqual(Array(10).fill(true));
    expect(await authorizer.isAllowed(priya, read, 'cartwheel')).toBe(true);
    expect(f.calls).toEqual([
      'user:default/priya.shah infra.assets.read cartwheel',
    ]);

    // Another tenant, another user: their own decisions.
    expect(await authorizer.isAllowed(priya, read, 'harbor-bank')).toBe(false);
    expect(await authorizer.isAllowed(maria, read, 'cartwheel')).toBe(false);
    expect(f.calls).toHaveLength(3);

    // Her role is removed: within the reuse time the old answer stands, after it she is refused.
    allowed.set('user:default/priya.shah', []);
    expect(await authorizer.isAllowed(priya, read, 'cartwheel')).toBe(true);
    await new Promise(r => setTimeout(r, 350));
    expect(await authorizer.isAllowed(priya, read, 'cartwheel')).toBe(false);
    await expect(
      authorizer.authorize(priya, read, 'cartwheel'),
    ).rejects.toThrow("Not allowed to infra.assets.read in tenant 'cartwheel'");
    expect(f.calls).toHaveLength(4);

    // Lists: the tenants where she may read, reused the same way.
    allowed.set('user:default/priya.shah', ['cartwheel']);
    await new Promise(r => setTimeout(r, 350));
    expect(await authorizer.allowedTenants(priya, read)).toEqual(['cartwheel']);
    expect(await authorizer.allowedTenants(priya, read)).toEqual(['cartwheel']);
    expect(f.calls.filter(c => c.endsWith('conditional'))).toHaveLength(1);
  });

  it('asks every time for services, for permissions outside the suite, after a failure, and when reuse is off', async () => {
    const allowed = new Map([['user:default/priya.shah', ['cartwheel']]]);
    const f = framework(allowed);
    const authorizer = new InfraAuthorizer({
      permissions: f.permissions,
      auth: mockServices.auth(),
      decisionReuseMs: 60_000,
    });
    const service = mockCredentials.service('plugin:catalog');
    await authorizer.isAllowed(service, read, 'cartwheel');
    await authorizer.isAllowed(service, read, 'cartwheel');
    await authorizer.isAllowed(priya, catalogRead as any);
    await authorizer.isAllowed(priya, catalogRead as any);
    expect(f.calls).toHaveLength(4);

    // A failed round trip is not remembered: the next request asks again.
    f.failOnce();
    await expect(
      authorizer.isAllowed(priya, read, 'cartwheel'),
    ).rejects.toThrow('the permission backend is down');
    expect(await authorizer.isAllowed(priya, read, 'cartwheel')).toBe(true);
    expect(f.calls).toHaveLength(6);

    const fresh = framework(allowed);
    const always = new InfraAuthorizer({
      permissions: fresh.permissions,
      auth: mockServices.auth(),
      decisionReuseMs: 0,
    });
    await always.isAllowed(priya, read, 'cartwheel');
    await always.isAllowed(priya, read, 'cartwheel');
    expect(fresh.calls).toHaveLength(2);
  });
});
