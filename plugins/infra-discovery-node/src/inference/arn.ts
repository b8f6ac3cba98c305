import { parse, validate } from '@aws-sdk/util-arn-parser';

/** The parts of an Amazon Resource Name. @public */
export type Arn = {
  partition: string;
  service: string;
  /** Empty for global services (IAM) and S3. */
  region: string;
  /** Empty for S3 buckets. */
  account: string;
  resource: string;
};

/**
 * An ARN's parts (AWS's own parser), or undefined for anything that is not an ARN of an AWS
 * partition (`aws`, `aws-cn`, `aws-us-gov`, …).
 *
 * @public
 */
export function parseArn(value: unknown): Arn | undefined {
  if (
    typeof value !== 'string' ||
    !value.startsWith('arn:') ||
    !validate(value)
  )
    return undefined;
  const arn = parse(value);
  if (!arn.partition.startsWith('aws')) return undefined;
  return {
    partition: arn.partition,
    service: arn.service,
    region: arn.region,
    account: arn.accountId,
    resource: arn.resource,
  };
}
