import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import { CollectContext } from './context';
import { optional, describeError } from './util';

/**
 * S3: every bucket of the account, listed once and read in its own region (encryption, public-
 * access block, policy and AWS's own public verdict, access logging).
 */
export async function collectS3(ctx: CollectContext) {
  const {
    settings,
    clients,
    config,
    attempt,
    add,
    extraEdges,
    warnings,
    account,
    home,
  } = ctx;
  // S3 lists every bucket of the account once; each bucket is read in its own region.
  await attempt(
    's3',
    home,
    async () => {
      const listing = clients.s3(config(home));
      const perRegion = new Map<string, S3Client>();
      const s3In = (region: string) => {
        if (!perRegion.has(region))
          perRegion.set(region, clients.s3(config(region)));
        return perRegion.get(region)!;
      };
      for await (const page of paginateListBuckets({ client: listing }, {})) {
        for (const bucket of page.Buckets ?? []) {
          const name = bucket.Name!;
          const region =
            bucket.BucketRegion ??
            ((
              await listing.send(new GetBucketLocationCommand({ Bucket: name }))
            ).LocationConstraint as string | undefined) ??
            'us-east-1';
          if (!settings.regions.includes(region)) continue;
          const s3 = s3In(region);
          // A detail that cannot be read is a warning and is listed on the bucket as unread;
          // the bucket itself is still reported.
          const unread: string[] = [];
          const detail = <T>(operation: string, call: () => Promise<T>) =>
            optional(call).catch(error => {
              unread.push(operation);
              warnings.push(
                `s3 ${operation} of ${name} in ${region} (account ${account}): ${describeError(
                  error,
                )}`,
              );
              return undefined;
            });
          const [encryption, block, policy, status, logging] =
            await Promise.all([
              detail('GetBucketEncryption', () =>
                s3.send(new GetBucketEncryptionCommand({ Bucket: name })),
              ),
              detail('GetPublicAccessBlock', () =>
                s3.send(new GetPublicAccessBlockCommand({ Bucket: name })),
              ),
              detail('GetBucketPolicy', () =>
                s3.send(new GetBucketPolicyCommand({ Bucket: name })),
              ),
              detail('GetBucketPolicyStatus', () =>
                s3.send(new GetBucketPolicyStatusCommand({ Bucket: name })),
              ),
              detail('GetBucketLogging', () =>
                s3.send(new GetBucketLoggingCommand({ Bucket: name })),
              ),
            ]);
          const rules =
            encryption?.ServerSideEncryptionConfiguration?.Rules ?? [];
          const pab = block?.PublicAccessBlockConfiguration;
          const isPublic = status?.PolicyStatus?.IsPublic === true;
          add('aws_s3_bucket', {
            arn: `arn:aws:s3:::${name}`,
            id: name,
            bucket: name,
            region,
            creation_date: bucket.CreationDate?.toISOString(),
            encryption: rules.map(r => ({
              sse_algorithm: r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
              kms_master_key_id:
                r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
              bucket_key_enabled: r.BucketKeyEnabled,
            })),
            public_access_block: pab
              ? {
                  block_public_acls: pab.BlockPublicAcls,
                  block_public_policy: pab.BlockPublicPolicy,
                  ignore_public_acls: pab.IgnorePublicAcls,
                  restrict_public_buckets: pab.RestrictPublicBuckets,
                }
              : 'none',
            policy_is_public: isPublic,
            logging_target: logging?.LoggingEnabled?.TargetBucket ?? null,
            ...(unread.length ? { unread } : {}),
          });
          if (rules.length) {
            add('aws_s3_bucket_server_side_encryption_configuration', {
              id: name,
              bucket: name,
              region,
              rule: rules.map(r => ({
                apply_server_side_encryption_by_default: [
                  {
                    sse_algorithm:
                      r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
                    kms_master_key_id:
                      r.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
                  },
                ],
                bucket_key_enabled: r.BucketKeyEnabled,
              })),
            });
          }
          if (pab) {
            add('aws_s3_bucket_public_access_block', {
              id: name,
              bucket: name,
              region,
              block_public_acls: pab.BlockPublicAcls,
              block_public_policy: pab.BlockPublicPolicy,
              ignore_public_acls: pab.IgnorePublicAcls,
              restrict_public_buckets: pab.RestrictPublicBuckets,
            });
          }
          if (policy?.Policy) {
            add('aws_s3_bucket_policy', {
              id: name,
              bucket: name,
              region,
              policy: policy.Policy,
            });
          }
          if (logging?.LoggingEnabled?.TargetBucket) {
            add('aws_s3_bucket_logging', {
              id: name,
              bucket: name,
              region,
              target_bucket: logging.LoggingEnabled.TargetBucket,
              target_prefix: logging.LoggingEnabled.TargetPrefix,
            });
          }
          if (isPublic) {
            // AWS's own evaluation of the policy, public-access blocks included.
            extraEdges.push({
              from: INTERNET_ASSET_ID,
              to: `bucket:${name}`,
              type: 'internet_ingress',
              details: { via: 'S3 reports the bucket policy as public' },
            });
          }
        }
      }
    },
    'ListBuckets',
  );
}
