import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import { InfraSecuritySpine } from './securitySpine';

/**
 * The events topic on which the security plugin announces that a tenant was created or deleted.
 *
 * @public
 */
export const INFRA_TENANT_TOPIC = 'infra-security.tenants';

/** @public */
export type TenantLifecycleEvent = {
  tenantId: string;
  change: 'created' | 'deleted';
};

/**
 * Makes a plugin forget a tenant's rows when the tenant is deleted, so that an id created again
 * starts empty. Each purge is recorded in the system scope's audit log as `tenant.purged` with
 * what was removed. (Creation is announced too, but purges nothing: a tenant's first rows, such
 * as sources from app-config, may already be there.)
 *
 * @public
 */
export async function purgeTenantsOnLifecycle(options: {
  pluginId: string;
  events: EventsService;
  spine: Pick<InfraSecuritySpine, 'recordAudit'>;
  logger: LoggerService;
  /** Deletes every row of the tenant this plugin keeps; returns counts by kind of row. */
  purge(tenantId: string): Promise<Record<string, number>>;
}) {
  await options.events.subscribe({
    id: `${options.pluginId}:tenant-purge`,
    topics: [INFRA_TENANT_TOPIC],
    onEvent: async event => {
      const { tenantId, change } = event.eventPayload as TenantLifecycleEvent;
      if (change !== 'deleted' || typeof tenantId !== 'string') return;
      if (tenantId === SYSTEM_SCOPE) return;
      const removed = await options.purge(tenantId);
      options.logger.info('purged a tenant', { tenantId, change, ...removed });
      await options.spine.recordAudit({
        scope: SYSTEM_SCOPE,
        actor: `plugin:${options.pluginId}`,
        action: 'tenant.purged',
        subject: tenantId,
        details: { plugin: options.pluginId, removed },
      });
    },
  });
}
