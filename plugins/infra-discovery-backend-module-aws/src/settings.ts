import {
  parseArn,
  parseProviderSettings,
  type SettingsOrigin,
} from '@infra-hub/plugin-infra-discovery-node';
import { z } from 'zod';

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

/** An IAM role ARN: service iam, a 12-digit account, a `role/` resource. */
const isRoleArn = (value: string) => {
  const arn = parseArn(value);
  return (
    arn?.service === 'iam' &&
    /^\d{12}$/.test(arn.account) &&
    /^role\/[\w+=,.@/-]{1,512}$/.test(arn.resource)
  );
};

const REGIONS_ERROR = {
  error: 'must be a non-empty list of AWS regions such as eu-west-1',
};
const ACCOUNTS_ERROR = {
  error: 'must be a non-empty list of { roleArn, externalId? }',
};
const SERVICES_ERROR = {
  error: `must be a non-empty list of: ${AWS_SERVICES.join(', ')}`,
};
const ATTEMPTS_ERROR = { error: 'must be a whole number from 1 to 20' };

/** The `aws` settings, as zod checks them (`parseAwsSettings` adds what depends on the origin). */
const awsSettingsSchema = z.strictObject({
  regions: z
    .array(
      z
        .string({ error: 'must be an AWS region such as eu-west-1' })
        .regex(REGION, {
          error: 'must be an AWS region such as eu-west-1',
        }),
      REGIONS_ERROR,
    )
    .min(1, REGIONS_ERROR),
  accounts: z
    .array(
      z.object({
        roleArn: z
          .string({
            error:
              'must be an IAM role ARN (arn:aws:iam::123456789012:role/name)',
          })
          .refine(isRoleArn, {
            error:
              'must be an IAM role ARN (arn:aws:iam::123456789012:role/name)',
          }),
        externalId: z.string({ error: 'must be a string' }).optional(),
      }),
      ACCOUNTS_ERROR,
    )
    .min(1, ACCOUNTS_ERROR)
    .optional(),
  services: z
    .array(z.enum(AWS_SERVICES, SERVICES_ERROR), SERVICES_ERROR)
    .min(1, SERVICES_ERROR)
    .optional(),
  maxAttempts: z
    .number(ATTEMPTS_ERROR)
    .int(ATTEMPTS_ERROR)
    .min(1, ATTEMPTS_ERROR)
    .max(20, ATTEMPTS_ERROR)
    .optional(),
  endpoint: z
    .string({ error: 'must be an http(s) URL' })
    .regex(/^https?:\/\//, { error: 'must be an http(s) URL' })
    .optional(),
  useHostIdentity: z.boolean({ error: 'must be true or false' }).optional(),
});

export class AwsSettingsError extends Error {
  name = 'AwsSettingsError';
}

/** Checks an `aws` source's settings and names the key that is wrong. */
export function parseAwsSettings(
  raw: Record<string, unknown>,
  origin: SettingsOrigin = 'config',
): AwsSettings {
  const parsed = parseProviderSettings(awsSettingsSchema, raw, {
    kind: 'aws',
    makeError: message => new AwsSettingsError(message),
  });
  if (origin === 'api' && parsed.endpoint !== undefined)
    throw new AwsSettingsError(
      'settings.endpoint is only allowed in app-config',
    );
  if (origin === 'api' && parsed.useHostIdentity !== undefined)
    throw new AwsSettingsError(
      "settings.useHostIdentity is only allowed in app-config (a tenant's source needs a vault credential)",
    );
  return {
    regions: parsed.regions,
    ...(parsed.accounts
      ? {
          accounts: parsed.accounts.map(a => ({
            roleArn: a.roleArn,
            ...(a.externalId ? { externalId: a.externalId } : {}),
          })),
        }
      : {}),
    services: parsed.services ?? [...AWS_SERVICES],
    maxAttempts: parsed.maxAttempts ?? 8,
    ...(parsed.endpoint !== undefined ? { endpoint: parsed.endpoint } : {}),
    ...(parsed.useHostIdentity === true ? { useHostIdentity: true } : {}),
  };
}
