/**
 * The people of the suite's tests and demo estate, by what they hold in the bootstrap each test
 * configures (the usual one; a test may give them other roles):
 *
 * | persona | user                         | usually                                        |
 * | ------- | ---------------------------- | ---------------------------------------------- |
 * | alex    | `user:default/alex.morgan`   | system-admin, no tenant role                   |
 * | priya   | `user:default/priya.shah`    | tenant-admin of cartwheel                      |
 * | dana    | `user:default/dana.admin`    | tenant-admin of cartwheel (a second approver)  |
 * | eve     | `user:default/eve.admin`     | tenant-admin of cartwheel (a third approver)   |
 * | maria   | `user:default/maria.garcia`  | read-only in cartwheel                         |
 * | li      | `user:default/li.wei`        | auditor                                        |
 * | tomas   | `user:default/tomas.novak`   | security-analyst of cartwheel                  |
 * | omar    | `user:default/omar.haddad`   | tenant-admin of harbor-bank, nothing in cartwheel |
 */
export const PERSONAS: Readonly<
  Record<
    'alex' | 'priya' | 'dana' | 'eve' | 'maria' | 'li' | 'tomas' | 'omar',
    string
  >
> = {
  alex: 'user:default/alex.morgan',
  priya: 'user:default/priya.shah',
  dana: 'user:default/dana.admin',
  eve: 'user:default/eve.admin',
  maria: 'user:default/maria.garcia',
  li: 'user:default/li.wei',
  tomas: 'user:default/tomas.novak',
  omar: 'user:default/omar.haddad',
};

/** `infra.security.vault` with one key (32 bytes of `fill`): enough for credentials and signing. */
export function testVault(fill = 7) {
  return {
    activeKey: 'test',
    keys: { test: Buffer.alloc(32, fill).toString('base64') },
  };
}
