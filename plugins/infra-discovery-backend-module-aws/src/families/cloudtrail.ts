import {
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CollectContext } from './context';

/** CloudTrail in one region: trails and whether they log. */
export async function collectCloudTrail(ctx: CollectContext, region: string) {
  const { clients, config, attempt, add } = ctx;
  await attempt(
    'cloudtrail',
    region,
    async () => {
      const cloudtrail = clients.cloudtrail(config(region));
      const { trailList } = await cloudtrail.send(
        new DescribeTrailsCommand({ includeShadowTrails: false }),
      );
      for (const trail of trailList ?? []) {
        const status = await cloudtrail.send(
          new GetTrailStatusCommand({ Name: trail.TrailARN }),
        );
        add('aws_cloudtrail', {
          arn: trail.TrailARN,
          id: trail.Name,
          name: trail.Name,
          region: trail.HomeRegion ?? region,
          s3_bucket_name: trail.S3BucketName,
          kms_key_id: trail.KmsKeyId ?? '',
          is_multi_region_trail: trail.IsMultiRegionTrail,
          include_global_service_events: trail.IncludeGlobalServiceEvents,
          enable_log_file_validation: trail.LogFileValidationEnabled,
          enable_logging: status.IsLogging,
        });
      }
    },
    'DescribeTrails',
  );
}
