import { InputError, NotFoundError } from '@backstage/errors';
import { DiscoveryProviderDefinition } from '@infra-hub/plugin-infra-discovery-node';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { Duration } from 'luxon';

const MIN_INTERVAL_MS = 5 * 60_000;
const MAX_INTERVAL_MS = 30 * 24 * 3600_000;

/** The interval of an ISO 8601 duration schedule (PT1H), checked against its bounds. */
export function scheduleIntervalMs(schedule: string): number {
  const d = Duration.fromISO(schedule);
  if (!d.isValid || d.toMillis() <= 0) {
    throw new InputError(
      `schedule '${schedule}' is not an ISO 8601 duration such as PT1H`,
    );
  }
  const ms = d.toMillis();
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new InputError(
      `schedule '${schedule}' must be between PT5M and P30D`,
    );
  }
  return ms;
}

/**
 * Checks what a caller wants to store on a source against what is installed and what exists in
 * the tenant, and returns the settings as the provider normalised them. Every refusal is a 400
 * naming the field.
 */
export async function checkSourceInput(
  deps: {
    providers: ReadonlyMap<string, DiscoveryProviderDefinition>;
    spine: InfraSecuritySpine;
  },
  tenantId: string,
  input: {
    provider: string;
    settings?: Record<string, unknown>;
    credentialId?: string | null;
    workspaceId?: string | null;
    schedule?: string | null;
  },
): Promise<{ settings?: Record<string, unknown> }> {
  const provider = deps.providers.get(input.provider);
  if (!provider) {
    throw new InputError(
      `provider '${input.provider}' is not installed; installed: ${[
        ...deps.providers.keys(),
      ].join(', ')}`,
    );
  }
  let settings: Record<string, unknown> | undefined;
  if (input.settings !== undefined) {
    try {
      settings = provider.validateSettings(input.settings, 'api');
    } catch (e) {
      throw new InputError((e as Error).message);
    }
  }
  if (input.credentialId) {
    try {
      await deps.spine.describeCredential(tenantId, input.credentialId);
    } catch (e) {
      if ((e as Error).name === NotFoundError.name) {
        throw new InputError(
          `credentialId '${input.credentialId}' is not a credential of tenant '${tenantId}'`,
        );
      }
      throw e;
    }
  }
  if (input.workspaceId) {
    const workspaces = await deps.spine.listWorkspaces(tenantId);
    if (!workspaces.some(w => w.id === input.workspaceId)) {
      throw new InputError(
        `workspaceId '${input.workspaceId}' is not a workspace of tenant '${tenantId}'`,
      );
    }
  }
  if (input.schedule) scheduleIntervalMs(input.schedule);
  return settings ? { settings } : {};
}
