import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { isValidTenantId } from '@infra-hub/plugin-infra-security-node';
import path from 'node:path';

export type ConfiguredSource = {
  tenantId: string;
  id: string;
  name: string;
  provider: 'terraform';
  settings: Record<string, unknown>;
  schedule?: SchedulerServiceTaskScheduleDefinition;
};

const PROVIDERS = ['terraform'];

/** Reads `infra.discovery` once; a bad value throws naming its key. */
export function readDiscoveryConfig(config: RootConfigService): {
  sources: ConfiguredSource[];
} {
  const sources: ConfiguredSource[] = [];
  const byTenant = config.getOptionalConfig('infra.discovery.sources');
  for (const tenantId of byTenant?.keys() ?? []) {
    const key = `infra.discovery.sources.${tenantId}`;
    if (!isValidTenantId(tenantId))
      throw new Error(`Invalid config at '${key}': not a tenant id`);
    const tenant = byTenant!.getConfig(tenantId);
    for (const id of tenant.keys()) {
      const c = tenant.getConfig(id);
      const provider = c.getString('provider');
      if (!PROVIDERS.includes(provider)) {
        throw new Error(
          `Invalid config at '${key}.${id}.provider': must be one of ${PROVIDERS.join(
            ', ',
          )}`,
        );
      }
      const settings = c.getConfig('settings').get<Record<string, unknown>>();
      // A state file path is read by the provider process; make it absolute here.
      if (settings.type === 'file' && typeof settings.path === 'string') {
        settings.path = path.resolve(settings.path);
      }
      sources.push({
        tenantId,
        id,
        name: c.getOptionalString('name') ?? id,
        provider: 'terraform',
        settings,
        ...(c.has('schedule')
          ? {
              schedule: readSchedulerServiceTaskScheduleDefinitionFromConfig(
                c.getConfig('schedule'),
              ),
            }
          : {}),
      });
    }
  }
  return { sources };
}
