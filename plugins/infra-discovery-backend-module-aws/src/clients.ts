import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

/** Keys as the AWS SDK takes them. */
export type AwsKeys = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

/** What every client is created with. */
export type ClientConfig = {
  region: string;
  credentials?: AwsKeys;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'adaptive';
};

/** Creates the SDK clients; tests pass their own to see what was asked. */
export type ClientFactory = {
  sts(c: ClientConfig): STSClient;
  iam(c: ClientConfig): IAMClient;
  ec2(c: ClientConfig): EC2Client;
  s3(c: ClientConfig): S3Client;
  lambda(c: ClientConfig): LambdaClient;
  kms(c: ClientConfig): KMSClient;
  cloudtrail(c: ClientConfig): CloudTrailClient;
  rds(c: ClientConfig): RDSClient;
};

export const sdkClients: ClientFactory = {
  sts: c => new STSClient(c),
  iam: c => new IAMClient(c),
  ec2: c => new EC2Client(c),
  s3: c => new S3Client({ ...c, forcePathStyle: Boolean(c.endpoint) }),
  lambda: c => new LambdaClient(c),
  kms: c => new KMSClient(c),
  cloudtrail: c => new CloudTrailClient(c),
  rds: c => new RDSClient(c),
};
