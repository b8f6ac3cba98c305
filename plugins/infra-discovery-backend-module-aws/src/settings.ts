import type { SettingsOrigin } from '@infra-hub/plugin-infra-discovery-node';

/** The services the provider reads, in the order it reads them. */
export const AWS_SERVICES = [
  'iam',
  'ec2',
  's3',
  'lambda',
  'kms',
  'cloudtrail',
  'rds',
] as const;

export type AwsService = (typeof AWS_SERVICES)[number];

/**
 * What an `aws` source is configured with.
 *
 * - `regions`: the regions to read (regional services are read in each; IAM once per account).
 * - `accounts`: roles to assume, one per account (`roleArn`, optional `externalId`); without it the
 *   credential's own account is read.
 * - `services`: a subset of {@link AWS_SERVICES} (default: all).
 * - `maxAttempts`: attempts per call, throttling included (adaptive retry; default 8).
 * - `endpoint`: one endpoint for every service (a local AWS emulator); app-config only.
 * - `useHostIdentity`: without a vault credential, use the backend host's AWS credentials
 *   (instance role, web identity); app-config only.
 */
export type AwsSettings = {
  regions: string[];
  accounts?: Array<{ roleArn: string; externalId?: string }>;
  services: AwsService[];
  maxAttempts: number;
  endpoint?: string;
  useHostIdentity?: boolean;
};

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export class AwsSettingsError extends Error {
  name = 'AwsSettingsError';
}

/** Checks an `aws` source's settings and names the key that is wrong. */
export function parseAwsSettings(
  raw: Record<string, unknown>,
  origin: SettingsOrigin = 'config',
): AwsSettings {
  const known = [
    'regions',
    'accounts',
    'services',
    'maxAttempts',
    'endpoint',
    'useHostIdentity',
  ];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key))
      throw new AwsSettingsError(
        `settings.${key} is not an aws setting (known: ${known.join(', ')})`,
      );
  }
  const regions = raw.regions;
  if (
    !Array.isArray(regions) ||
    regions.length === 0 ||
    regions.some(r => typeof r !== 'string' || !REGION.test(r))
  ) {
    throw new AwsSettingsError(
      'settings.regions must be a non-empty list of AWS regions such as eu-west-1',
    );
  }
  let accounts: AwsSettings['accounts'];
  if (raw.accounts !== undefined) {
    if (!Array.isArray(raw.accounts) || raw.accounts.length === 0)
      throw new AwsSettingsError(
        'settings.accounts must be a non-empty list of { roleArn, externalId? }',
      );
    accounts = raw.accounts.map((a: any, i) => {
      if (typeof a?.roleArn !== 'string' || !ROLE_ARN.test(a.roleArn))
        throw new AwsSettingsError(
          `settings.accounts[${i}].roleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/name)`,
        );
      if (a.externalId !== undefined && typeof a.externalId !== 'string')
        throw new AwsSettingsError(
          `settings.accounts[${i}].externalId must be a string`,
        );
      return {
        roleArn: a.roleArn,
        ...(a.externalId ? { externalId: a.externalId } : {}),
      };
    });
  }
  let services: AwsService[] = [...AWS_SERVICES];
  if (raw.services !== undefined) {
    if (
      !Array.isArray(raw.services) ||
      raw.services.length === 0 ||
      raw.services.some(s => !(AWS_SERVICES as readonly unknown[]).includes(s))
    ) {
      throw new AwsSettingsError(
        `settings.services must be a non-empty list of: ${AWS_SERVICES.join(
          ', ',
        )}`,
      );
    }
    services = raw.services as AwsService[];
  }
  const maxAttempts = raw.maxAttempts ?? 8;
  if (
    typeof maxAttempts !== 'number' ||
    !Number.isInteger(maxAttempts) ||
    maxAttempts < 1 ||
    maxAttempts > 20
  ) {
    throw new AwsSettingsError(
      'settings.maxAttempts must be a whole number from 1 to 20',
    );
  }
  if (raw.endpoint !== undefined) {
    if (origin === 'api')
      throw new AwsSettingsError(
        'settings.endpoint is only allowed in app-config',
      );
    if (typeof raw.endpoint !== 'string' || !/^https?:\/\//.test(raw.endpoint))
      throw new AwsSettingsError('settings.endpoint must be an http(s) URL');
  }
  if (raw.useHostIdentity !== undefined) {
    if (origin === 'api')
      throw new AwsSettingsError(
        "settings.useHostIdentity is only allowed in app-config (a tenant's source needs a vault credential)",
      );
    if (typeof raw.useHostIdentity !== 'boolean')
      throw new AwsSettingsError(
        'settings.useHostIdentity must be true or false',
      );
  }
  return {
    regions: regions as string[],
    ...(accounts ? { accounts } : {}),
    services,
    maxAttempts,
    ...(typeof raw.endpoint === 'string' ? { endpoint: raw.endpoint } : {}),
    ...(raw.useHostIdentity === true ? { useHostIdentity: true } : {}),
  };
}
