import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { infraSuiteReadPermission } from '@infra-hub/plugin-infra-hub-common';
import {
  InfraHubPermissionPolicy,
  PLATFORM_ADMIN_GROUP,
} from './permissionPolicy';

function user(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    credentials: {} as any,
  } as PolicyQueryUser;
}

const policy = new InfraHubPermissionPolicy();
const developer = user([
  'user:default/maria.garcia',
  'group:default/cartwheel-engineering',
]);
const platformAdmin = user(['user:default/alex.morgan', PLATFORM_ADMIN_GROUP]);

describe('InfraHubPermissionPolicy', () => {
  it('denies every request that has no user', async () => {
    const decision = await policy.handle({
      permission: catalogEntityReadPermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it('lets every signed-in user read the catalog and the suite status', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      infraSuiteReadPermission,
    ]) {
      expect((await policy.handle({ permission }, developer)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('denies suite permissions it does not know, even to the platform team', async () => {
    const later = createPermission({
      name: 'infra.evidence.read',
      attributes: { action: 'read' },
    });
    expect(
      (await policy.handle({ permission: later }, platformAdmin)).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('keeps changes to what the catalog ingests to the platform team', async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
    ]) {
      expect((await policy.handle({ permission }, developer)).result).toBe(
        AuthorizeResult.DENY,
      );
      expect((await policy.handle({ permission }, platformAdmin)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });
});
