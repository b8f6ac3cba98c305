import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  DEFAULT_EGRESS_POLICY,
  EgressPolicy,
  parseNetwork,
} from '@infra-hub/plugin-infra-discovery-node';
import {
  PIPELINE_PROVIDERS,
  PipelineProvider,
} from '@infra-hub/plugin-infra-pipelines-common';

/** A connection from app-config, with the secrets it may carry itself. */
export type ConfigConnection = {
  tenantId: string;
  id: string;
  provider: PipelineProvider;
  name: string;
  baseUrl?: string;
  token?: string;
  webhookSecret?: string;
  tokenCredentialId?: string;
  webhookSecretCredentialId?: string;
  pullMinutes: number;
};

export type PipelineSettings = {
  connections: ConfigConnection[];
  /** Runs (and deliveries) older than this are deleted. */
  retentionDays: number;
  /** How long one provider API request may take. */
  requestTimeoutMs: number;
  /** The most bytes of a failed job's log kept (its end). */
  logExcerptBytes: number;
  /** The largest webhook body accepted. */
  webhookBodyLimit: string;
  /** Where connections created through the API may point. */
  egress: EgressPolicy;
  /** Recorded deliveries replayed through the webhook route at start (the demo). */
  recordedEvents?: string;
};

export const CONNECTION_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

function whole(
  value: number | undefined,
  key: string,
  fallback: number,
  range: [number, number],
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < range[0] || n > range[1]) {
    throw new Error(
      `Invalid config at 'infra.pipelines.${key}': a whole number from ${range[0]} to ${range[1]}`,
    );
  }
  return n;
}

/** Reads `infra.pipelines`; a bad value throws naming its key. */
export function readPipelineConfig(
  config: RootConfigService,
): PipelineSettings {
  const c = config.getOptionalConfig('infra.pipelines');
  const connections: ConfigConnection[] = [];
  const tenants = c?.getOptionalConfig('connections');
  for (const tenantId of tenants?.keys() ?? []) {
    const ofTenant = tenants!.getConfig(tenantId);
    for (const id of ofTenant.keys()) {
      const key = `connections.${tenantId}.${id}`;
      if (!CONNECTION_ID.test(id)) {
        throw new Error(
          `Invalid config at 'infra.pipelines.${key}': a connection id is lowercase letters, digits and hyphens`,
        );
      }
      const conn = ofTenant.getConfig(id);
      const provider = conn.getString('provider') as PipelineProvider;
      if (!PIPELINE_PROVIDERS.includes(provider)) {
        throw new Error(
          `Invalid config at 'infra.pipelines.${key}.provider': one of ${PIPELINE_PROVIDERS.join(
            ', ',
          )}`,
        );
      }
      const baseUrl = conn.getOptionalString('baseUrl');
      if (baseUrl) {
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(baseUrl).protocol);
        } catch {
          ok = false;
        }
        if (!ok) {
          throw new Error(
            `Invalid config at 'infra.pipelines.${key}.baseUrl': an http(s) URL`,
          );
        }
      }
      const optional = (name: string) => {
        const v = conn.getOptionalString(name);
        return v ? { [name]: v } : {};
      };
      connections.push({
        tenantId,
        id,
        provider,
        name: conn.getOptionalString('name') ?? id,
        ...(baseUrl ? { baseUrl } : {}),
        ...optional('token'),
        ...optional('webhookSecret'),
        ...optional('tokenCredentialId'),
        ...optional('webhookSecretCredentialId'),
        pullMinutes: whole(
          conn.getOptionalNumber('pullMinutes'),
          `${key}.pullMinutes`,
          0,
          [0, 7 * 24 * 60],
        ),
      });
    }
  }
  const allowedNetworks =
    c?.getOptionalStringArray('egress.allowedNetworks') ?? [];
  allowedNetworks.forEach((n, i) => {
    try {
      parseNetwork(n);
    } catch (e) {
      throw new Error(
        `Invalid config at 'infra.pipelines.egress.allowedNetworks[${i}]': ${
          (e as Error).message
        }`,
      );
    }
  });
  const recordedEvents = c?.getOptionalString('recordedEvents');
  return {
    connections,
    retentionDays: whole(
      c?.getOptionalNumber('retentionDays'),
      'retentionDays',
      90,
      [1, 3650],
    ),
    requestTimeoutMs:
      whole(
        c?.getOptionalNumber('requestTimeoutSeconds'),
        'requestTimeoutSeconds',
        30,
        [1, 600],
      ) * 1000,
    logExcerptBytes:
      whole(
        c?.getOptionalNumber('logExcerptKilobytes'),
        'logExcerptKilobytes',
        64,
        [1, 1024],
      ) * 1024,
    webhookBodyLimit: `${whole(
      c?.getOptionalNumber('webhookBodyMegabytes'),
      'webhookBodyMegabytes',
      5,
      [1, 25],
    )}mb`,
    egress: { ...DEFAULT_EGRESS_POLICY, allowedNetworks },
    ...(recordedEvents ? { recordedEvents } : {}),
  };
}
