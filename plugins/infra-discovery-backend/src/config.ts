import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_EGRESS_POLICY,
  DiscoveryProviderDefinition,
  EgressPolicy,
  parseNetwork,
} from '@infra-hub/plugin-infra-discovery-node';
import { isValidTenantId } from '@infra-hub/plugin-infra-security-node';
import { DiscoverySourceInput } from '@infra-hub/plugin-infra-discovery-common';

/** A source of `infra.discovery.sources`: what the API takes, its tenant, and a task schedule. */
export type ConfiguredSource = Omit<
  DiscoverySourceInput,
  'schedule' | 'enabled'
> & {
  tenantId: string;
  schedule?: SchedulerServiceTaskScheduleDefinition;
};

export type DiscoverySettings = {
  sources: ConfiguredSource[];
  /** Where providers may connect for sources created through the API. */
  egress: EgressPolicy;
  /** How often the scheduler looks for API-defined sources that are due. */
  sweepSeconds: number;
};

/**
 * Reads `infra.discovery` once; a bad value throws naming its key. Each source's settings are
 * checked by its provider kind.
 */
export function readDiscoveryConfig(
  config: RootConfigService,
  providers: ReadonlyMap<string, DiscoveryProviderDefinition>,
): DiscoverySettings {
  const sources: ConfiguredSource[] = [];
  const byTenant = config.getOptionalConfig('infra.discovery.sources');
  for (const tenantId of byTenant?.keys() ?? []) {
    const key = `infra.discovery.sources.${tenantId}`;
    if (!isValidTenantId(tenantId))
      throw new Error(`Invalid config at '${key}': not a tenant id`);
    const tenant = byTenant!.getConfig(tenantId);
    for (const id of tenant.keys()) {
      const c = tenant.getConfig(id);
      const providerId = c.getString('provider');
      const provider = providers.get(providerId);
      if (!provider) {
        throw new Error(
          `Invalid config at '${key}.${id}.provider': '${providerId}' is not an installed provider (installed: ${
            [...providers.keys()].join(', ') || 'none'
          })`,
        );
      }
      let settings: Record<string, unknown>;
      try {
        settings = provider.validateSettings(
          c.getConfig('settings').get<Record<string, unknown>>(),
          'config',
        );
      } catch (e) {
        throw new Error(
          `Invalid config at '${key}.${id}.settings': ${(e as Error).message}`,
        );
      }
      const credentialId = c.getOptionalString('credentialId');
      const workspaceId = c.getOptionalString('workspaceId');
      sources.push({
        tenantId,
        id,
        name: c.getOptionalString('name') ?? id,
        provider: providerId,
        settings,
        ...(credentialId ? { credentialId } : {}),
        ...(workspaceId ? { workspaceId } : {}),
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
  const sweepSeconds =
    config.getOptionalNumber('infra.discovery.sweepIntervalSeconds') ?? 60;
  if (!(sweepSeconds >= 5))
    throw new Error(
      "Invalid config at 'infra.discovery.sweepIntervalSeconds': at least 5",
    );
  return { sources, sweepSeconds, egress: readEgress(config) };
}

function readEgress(config: RootConfigService): EgressPolicy {
  const c = config.getOptionalConfig('infra.discovery.egress');
  const allowedNetworks = c?.getOptionalStringArray('allowedNetworks') ?? [];
  allowedNetworks.forEach((cidr, i) => {
    try {
      parseNetwork(cidr);
    } catch (e) {
      throw new Error(
        `Invalid config at 'infra.discovery.egress.allowedNetworks[${i}]': ${
          (e as Error).message
        }`,
      );
    }
  });
  return {
    ...DEFAULT_EGRESS_POLICY,
    allowedNetworks,
    allowHostIdentity:
      c?.getOptionalBoolean('allowHostIdentity') ??
      DEFAULT_EGRESS_POLICY.allowHostIdentity,
  };
}
