/**
 * Live AWS discovery for Infra Hub: EC2, VPCs and subnets, security groups, S3, IAM, Lambda,
 * KMS, CloudTrail and RDS, read through the AWS SDK v3 into the same asset model as state files.
 *
 * @packageDocumentation
 */
export {
  infraDiscoveryModuleAws as default,
  awsDiscoveryProvider,
} from './module';
export { discoverAws, sdkClients } from './collect';
export type { AwsGraph, AwsKeys, ClientConfig, ClientFactory } from './collect';
export { parseAwsSettings, AWS_SERVICES } from './settings';
export type { AwsSettings, AwsService } from './settings';
