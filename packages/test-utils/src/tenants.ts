import request from 'supertest';

/**
 * Deletes a tenant through the security plugin of a test backend (as `authorization`, a
 * system-admin), then waits until `pluginId` has purged it and recorded `tenant.purged` in the
 * system scope's audit log. Returns that audit event.
 */
export async function deleteTenantAndAwaitPurge(
  server: Parameters<typeof request>[0],
  options: { tenantId: string; authorization: string; pluginId: string },
) {
  const security = '/api/infra-security';
  const deleted = await request(server)
    .delete(`${security}/tenants/${options.tenantId}`)
    .set('Authorization', options.authorization);
  if (deleted.status !== 204)
    throw new Error(`deleting the tenant answered ${deleted.status}`);
  for (let i = 0; i < 100; i++) {
    const events = await request(server)
      .get(`${security}/audit/system/events?action=tenant.purged`)
      .set('Authorization', options.authorization);
    const purged = events.body.items?.find(
      (e: { actor: string; subject?: string }) =>
        e.actor === `plugin:${options.pluginId}` &&
        e.subject === options.tenantId,
    );
    if (purged) return purged;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`${options.pluginId} did not purge ${options.tenantId}`);
}
