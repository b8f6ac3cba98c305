import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read what the suite is: its version and which of its features this portal runs.
 * Every signed-in user and every service may hold it; it reveals no tenant data.
 *
 * @public
 */
export const infraSuiteReadPermission = createPermission({
  name: 'infra.suite.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of the `infra-hub` plugin, for registration with the permissions registry.
 *
 * @public
 */
export const infraHubPermissions = [infraSuiteReadPermission];
