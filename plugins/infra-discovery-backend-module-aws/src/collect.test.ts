import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListInstanceProfilesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import {
  LambdaClient,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
} from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientConfig, discoverAws, sdkClients } from './collect';
import { parseAwsSettings } from './settings';

const ACCOUNT = '111122223333';
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0c7f2a4e-5b1d-4e8a-9f3c-2d6b8a1e4f70`;
const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));

const mocks = {
  sts: mockClient(STSClient),
  iam: mockClient(IAMClient),
  ec2: mockClient(EC2Client),
  s3: mockClient(S3Client),
  lambda: mockClient(LambdaClient),
  kms: mockClient(KMSClient),
  cloudtrail: mockClient(CloudTrailClient),
  rds: mockClient(RDSClient),
};

const regionOf = async (getClient: () => { config: any }) =>
  getClient().config.region();

/** Per region: answers in eu-west-1, an empty (but working) us-east-1. */
const inRegion =
  (answer: object, empty: object) =>
  async (_input: unknown, getClient: () => { config: any }) =>
    (await regionOf(getClient)) === 'eu-west-1' ? answer : empty;

/**
 * One account in the shapes the AWS APIs document: a web instance with an instance profile behind
 * a security group open to the world on 22, a function running as a role whose policy reads the
 * orders bucket, a customer key, a trail writing to an audit bucket, a database, and a public
 * bucket. Roles come in two pages.
 */
function estate() {
  for (const m of Object.values(mocks)) m.reset();
  mocks.sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ci` });
  mocks.sts.on(AssumeRoleCommand).callsFake(input => ({
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn.split(':')[4]}`,
      SecretAccessKey: 'temporary-secret',
      SessionToken: 'temporary-session',
      Expiration: new Date(Date.now() + 3600_000),
    },
  }));

  const role = (name: string, service: string) => ({
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/-/g, '')}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    Path: '/',
    CreateDate: new Date('2025-01-01'),
    AssumeRolePolicyDocument: enc({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: service },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  });
  mocks.iam
    .on(ListRolesCommand, {})
    .resolves({
      Roles: [role('checkout-fn', 'lambda.amazonaws.com')],
      IsTruncated: true,
      Marker: 'page-2',
    })
    .on(ListRolesCommand, { Marker: 'page-2' })
    .resolves({
      Roles: [role('web-instance', 'ec2.amazonaws.com')],
      IsTruncated: false,
    });
  mocks.iam
    .on(ListAttachedRolePoliciesCommand, { RoleName: 'checkout-fn' })
    .resolves({
      AttachedPolicies: [
        {
          PolicyName: 'orders-data',
          PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/orders-data`,
        },
      ],
    })
    .on(ListAttachedRolePoliciesCommand, { RoleName: 'web-instance' })
    .resolves({
      AttachedPolicies: [
        {
          PolicyName: 'AmazonSSMManagedInstanceCore',
          PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
        },
      ],
    });
  mocks.iam
    .on(ListRolePoliciesCommand, { RoleName: 'web-instance' })
    .resolves({ PolicyNames: ['decrypt-orders'] })
    .on(ListRolePoliciesCommand, { RoleName: 'checkout-fn' })
    .resolves({ PolicyNames: [] });
  mocks.iam.on(GetRolePolicyCommand).resolves({
    RoleName: 'web-instance',
    PolicyName: 'decrypt-orders',
    PolicyDocument: enc({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
      ],
    }),
  });
  mocks.iam.on(ListUsersCommand).resolves({
    Users: [
      {
        UserName: 'ci-deployer',
        UserId: 'AIDACIDEPLOYER',
        Arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`,
        Path: '/',
        CreateDate: new Date('2025-01-01'),
      },
    ],
  });
  mocks.iam.on(ListAttachedUserPoliciesCommand).resolves({
    AttachedPolicies: [
      {
        PolicyName: 'orders-data',
        PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/orders-data`,
      },
    ],
  });
  mocks.iam.on(ListPoliciesCommand).resolves({
    Policies: [
      {
        PolicyName: 'orders-data',
        Arn: `arn:aws:iam::${ACCOUNT}:policy/orders-data`,
        DefaultVersionId: 'v2',
        AttachmentCount: 2,
        Path: '/',
      },
    ],
  });
  mocks.iam
    .on(GetPolicyVersionCommand, {
      PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/orders-data`,
      VersionId: 'v2',
    })
    .resolves({
      PolicyVersion: {
        VersionId: 'v2',
        IsDefaultVersion: true,
        Document: enc({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject'],
              Resource: 'arn:aws:s3:::cartwheel-orders/*',
            },
          ],
        }),
      },
    });
  mocks.iam.on(ListInstanceProfilesCommand).resolves({
    InstanceProfiles: [
      {
        InstanceProfileName: 'web-instance',
        InstanceProfileId: 'AIPAWEB',
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web-instance`,
        Path: '/',
        CreateDate: new Date('2025-01-01'),
        Roles: [role('web-instance', 'ec2.amazonaws.com')],
      },
    ],
  });

  mocks.ec2.on(DescribeVpcsCommand).callsFake(
    inRegion(
      {
        Vpcs: [
          {
            VpcId: 'vpc-0a1b2c',
            OwnerId: ACCOUNT,
            CidrBlock: '10.0.0.0/16',
            IsDefault: false,
            Tags: [{ Key: 'Name', Value: 'storefront' }],
          },
        ],
      },
      { Vpcs: [] },
    ),
  );
  mocks.ec2.on(DescribeSubnetsCommand).callsFake(
    inRegion(
      {
        Subnets: [
          {
            SubnetId: 'subnet-public-a',
            VpcId: 'vpc-0a1b2c',
            CidrBlock: '10.0.1.0/24',
            AvailabilityZone: 'eu-west-1a',
            MapPublicIpOnLaunch: true,
            SubnetArn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/subnet-public-a`,
          },
        ],
      },
      { Subnets: [] },
    ),
  );
  mocks.ec2.on(DescribeSecurityGroupsCommand).callsFake(
    inRegion(
      {
        SecurityGroups: [
          {
            GroupId: 'sg-web',
            GroupName: 'web',
            Description: 'web servers',
            OwnerId: ACCOUNT,
            VpcId: 'vpc-0a1b2c',
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: 22,
                ToPort: 22,
                IpRanges: [{ CidrIp: '0.0.0.0/0' }],
              },
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                IpRanges: [{ CidrIp: '10.0.0.0/8' }],
              },
            ],
            IpPermissionsEgress: [
              { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
            ],
          },
        ],
      },
      { SecurityGroups: [] },
    ),
  );
  mocks.ec2.on(DescribeInstancesCommand).callsFake(async (input, getClient) => {
    if ((await regionOf(getClient)) !== 'eu-west-1')
      return { Reservations: [] };
    // Two pages, as DescribeInstances pages with NextToken.
    if (!input.NextToken) {
      return {
        Reservations: [
          {
            OwnerId: ACCOUNT,
            Instances: [
              {
                InstanceId: 'i-0web1',
                InstanceType: 't3.small',
                ImageId: 'ami-1',
                State: { Name: 'running', Code: 16 },
                SubnetId: 'subnet-public-a',
                VpcId: 'vpc-0a1b2c',
                PublicIpAddress: '203.0.113.10',
                PrivateIpAddress: '10.0.1.10',
                SecurityGroups: [{ GroupId: 'sg-web', GroupName: 'web' }],
                IamInstanceProfile: {
                  Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web-instance`,
                  Id: 'AIPAWEB',
                },
                MetadataOptions: { HttpTokens: 'optional' },
                Tags: [{ Key: 'Name', Value: 'web-1' }],
              },
            ],
          },
        ],
        NextToken: 'more',
      };
    }
    return {
      Reservations: [
        {
          OwnerId: ACCOUNT,
          Instances: [
            {
              InstanceId: 'i-0batch',
              InstanceType: 't3.micro',
              State: { Name: 'stopped', Code: 80 },
              SubnetId: 'subnet-public-a',
              SecurityGroups: [],
            },
          ],
        },
      ],
    };
  });

  mocks.s3.on(ListBucketsCommand).resolves({
    Buckets: [
      { Name: 'cartwheel-orders', BucketRegion: 'eu-west-1' },
      { Name: 'cartwheel-audit', BucketRegion: 'eu-west-1' },
      { Name: 'cartwheel-public-assets', BucketRegion: 'eu-west-1' },
      { Name: 'elsewhere', BucketRegion: 'ap-southeast-2' },
    ],
  });
  const notFound = (name: string) =>
    Object.assign(new Error(name), { name, $metadata: {} });
  mocks.s3
    .on(GetBucketEncryptionCommand)
    .callsFake(input => {
      if (input.Bucket === 'cartwheel-public-assets')
        throw notFound('ServerSideEncryptionConfigurationNotFoundError');
      return {
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: KEY_ARN,
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      };
    })
    .on(GetPublicAccessBlockCommand)
    .callsFake(input => {
      if (input.Bucket === 'cartwheel-public-assets')
        throw notFound('NoSuchPublicAccessBlockConfiguration');
      return {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      };
    })
    .on(GetBucketPolicyCommand)
    .callsFake(input => {
      if (input.Bucket === 'cartwheel-audit')
        throw Object.assign(new Error('Access Denied'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      if (input.Bucket !== 'cartwheel-public-assets')
        throw notFound('NoSuchBucketPolicy');
      return {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::cartwheel-public-assets/*',
            },
          ],
        }),
      };
    })
    .on(GetBucketPolicyStatusCommand)
    .callsFake(input => ({
      PolicyStatus: { IsPublic: input.Bucket === 'cartwheel-public-assets' },
    }))
    .on(GetBucketLoggingCommand)
    .callsFake(input =>
      input.Bucket === 'cartwheel-orders'
        ? {
            LoggingEnabled: {
              TargetBucket: 'cartwheel-audit',
              TargetPrefix: 'orders/',
            },
          }
        : {},
    );

  mocks.lambda.on(ListFunctionsCommand).callsFake(
    inRegion(
      {
        Functions: [
          {
            FunctionName: 'checkout',
            FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:checkout`,
            Runtime: 'nodejs20.x',
            Role: `arn:aws:iam::${ACCOUNT}:role/checkout-fn`,
            Handler: 'index.handler',
            KMSKeyArn: KEY_ARN,
            Environment: {
              Variables: {
                STRIPE_KEY: 'sk_live_not_for_the_graph',
                STAGE: 'prod',
              },
            },
          },
        ],
      },
      { Functions: [] },
    ),
  );
  mocks.lambda.on(ListFunctionUrlConfigsCommand).resolves({
    FunctionUrlConfigs: [
      {
        FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
        FunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:checkout`,
        AuthType: 'NONE',
        CreationTime: '2025-01-01',
        LastModifiedTime: '2025-01-01',
      },
    ],
  });

  const accessDenied = Object.assign(
    new Error(
      `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: kms:ListKeys`,
    ),
    { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
  );
  mocks.kms.on(ListKeysCommand).callsFake(async (_input, getClient) => {
    if ((await regionOf(getClient)) !== 'eu-west-1') throw accessDenied;
    return {
      Keys: [
        { KeyId: '0c7f2a4e-5b1d-4e8a-9f3c-2d6b8a1e4f70', KeyArn: KEY_ARN },
      ],
    };
  });
  mocks.kms.on(DescribeKeyCommand).resolves({
    KeyMetadata: {
      KeyId: '0c7f2a4e-5b1d-4e8a-9f3c-2d6b8a1e4f70',
      Arn: KEY_ARN,
      Description: 'orders data',
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
    },
  });
  mocks.kms
    .on(GetKeyRotationStatusCommand)
    .resolves({ KeyRotationEnabled: true });
  mocks.kms.on(ListAliasesCommand).resolves({
    Aliases: [
      {
        AliasName: 'alias/orders',
        AliasArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/orders`,
        TargetKeyId: '0c7f2a4e-5b1d-4e8a-9f3c-2d6b8a1e4f70',
      },
      { AliasName: 'alias/aws/s3' },
    ],
  });

  mocks.cloudtrail.on(DescribeTrailsCommand).callsFake(
    inRegion(
      {
        trailList: [
          {
            Name: 'org-trail',
            TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/org-trail`,
            S3BucketName: 'cartwheel-audit',
            KmsKeyId: KEY_ARN,
            IsMultiRegionTrail: true,
            HomeRegion: 'eu-west-1',
            LogFileValidationEnabled: true,
            IncludeGlobalServiceEvents: true,
          },
        ],
      },
      { trailList: [] },
    ),
  );
  mocks.cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });

  mocks.rds.on(DescribeDBInstancesCommand).callsFake(
    inRegion(
      {
        DBInstances: [
          {
            DBInstanceIdentifier: 'orders-db',
            DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:orders-db`,
            Engine: 'postgres',
            EngineVersion: '16.3',
            DBInstanceClass: 'db.t4g.medium',
            StorageEncrypted: true,
            KmsKeyId: KEY_ARN,
            PubliclyAccessible: false,
            VpcSecurityGroups: [
              { VpcSecurityGroupId: 'sg-web', Status: 'active' },
            ],
          },
        ],
      },
      { DBInstances: [] },
    ),
  );
}

const KEYS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'base-secret' };

describe('discoverAws', () => {
  beforeEach(estate);

  it('reads every service and region into the same asset model as state files', async () => {
    const progress: string[] = [];
    const graph = await discoverAws(
      parseAwsSettings({ regions: ['eu-west-1', 'us-east-1'] }),
      KEYS,
      { progress: m => progress.push(m) },
    );
    const byType = (type: string) =>
      graph.assets.filter(a => a.type === type).map(a => a.name);
    expect(byType('aws_iam_role').sort()).toEqual([
      'checkout-fn',
      'web-instance',
    ]);
    expect(byType('aws_instance').sort()).toEqual(['i-0batch', 'web-1']);
    expect(byType('aws_s3_bucket').sort()).toEqual([
      'cartwheel-audit',
      'cartwheel-orders',
      'cartwheel-public-assets',
    ]);
    expect(byType('aws_lambda_function')).toEqual(['checkout']);
    expect(byType('aws_db_instance')).toEqual(['orders-db']);
    expect(byType('aws_cloudtrail')).toEqual(['org-trail']);
    expect(byType('aws_kms_key')).toEqual(['orders data']);

    const instance = graph.assets.find(a => a.name === 'web-1')!;
    expect(instance.id).toBe(
      `aws:${ACCOUNT}:eu-west-1:aws_instance:arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0web1`,
    );
    const bucket = graph.assets.find(a => a.name === 'cartwheel-orders')!;
    expect(bucket).toMatchObject({
      account: ACCOUNT,
      region: 'eu-west-1',
      attributes: {
        encryption: [{ sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }],
        public_access_block: { block_public_policy: true },
        policy_is_public: false,
      },
    });
    const role = graph.assets.find(a => a.name === 'checkout-fn')!;
    expect(role.region).toBe('global');
    expect(
      JSON.parse(role.attributes.assume_role_policy as string),
    ).toMatchObject({
      Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }],
    });
    // Environment values never reach the graph.
    expect(JSON.stringify(graph)).not.toContain('sk_live_not_for_the_graph');
    expect(
      graph.assets.find(a => a.name === 'checkout')!.attributes
        .environment_variable_names,
    ).toEqual(['STAGE', 'STRIPE_KEY']);

    const idOf = (name: string, type: string) =>
      graph.assets.find(a => a.name === name && a.type === type)!.id;
    const has = (from: string, to: string, type: string) =>
      graph.edges.some(e => e.from === from && e.to === to && e.type === type);
    const fn = idOf('checkout', 'aws_lambda_function');
    const key = graph.assets.find(a => a.type === 'aws_kms_key')!.id;
    const policy = idOf('orders-data', 'aws_iam_policy');
    const sg = idOf('web', 'aws_security_group');
    const profile = idOf('web-instance', 'aws_iam_instance_profile');
    expect(has(fn, idOf('checkout-fn', 'aws_iam_role'), 'executes_as')).toBe(
      true,
    );
    expect(has(fn, key, 'encrypted_by')).toBe(true);
    expect(has(INTERNET_ASSET_ID, fn, 'internet_ingress')).toBe(true);
    expect(has(instance.id, profile, 'executes_as')).toBe(true);
    expect(
      has(profile, idOf('web-instance', 'aws_iam_role'), 'executes_as'),
    ).toBe(true);
    expect(has(instance.id, sg, 'depends_on')).toBe(true);
    expect(has(INTERNET_ASSET_ID, sg, 'internet_ingress')).toBe(true);
    expect(
      graph.edges.find(e => e.to === sg && e.type === 'internet_ingress')!
        .details,
    ).toEqual({ ports: ['22/tcp'] });
    expect(
      has(idOf('subnet-public-a', 'aws_subnet'), instance.id, 'contains'),
    ).toBe(true);
    expect(has(idOf('storefront', 'aws_vpc'), sg, 'contains')).toBe(true);
    expect(
      has(policy, idOf('checkout-fn', 'aws_iam_role'), 'attached_to'),
    ).toBe(true);
    expect(
      has(policy, idOf('ci-deployer', 'aws_iam_user'), 'attached_to'),
    ).toBe(true);
    expect(has(policy, bucket.id, 'can_access')).toBe(true);
    expect(has(idOf('web-instance', 'aws_iam_role'), key, 'can_access')).toBe(
      true,
    );
    expect(has(bucket.id, key, 'encrypted_by')).toBe(true);
    expect(
      has(bucket.id, idOf('cartwheel-audit', 'aws_s3_bucket'), 'logs_to'),
    ).toBe(true);
    expect(
      has(
        idOf('org-trail', 'aws_cloudtrail'),
        idOf('cartwheel-audit', 'aws_s3_bucket'),
        'logs_to',
      ),
    ).toBe(true);
    expect(has(idOf('orders-db', 'aws_db_instance'), key, 'encrypted_by')).toBe(
      true,
    );
    expect(
      has(
        INTERNET_ASSET_ID,
        idOf('cartwheel-public-assets', 'aws_s3_bucket'),
        'internet_ingress',
      ),
    ).toBe(true);
    expect(graph.assets.filter(a => a.id === INTERNET_ASSET_ID)).toHaveLength(
      1,
    );
    // Every edge joins assets of the graph.
    const ids = new Set(graph.assets.map(a => a.id));
    for (const e of graph.edges) {
      expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    }

    // Access denied on one service in one region is a warning; the rest was read.
    expect(
      graph.assets.find(a => a.name === 'cartwheel-audit')!.attributes.unread,
    ).toEqual(['GetBucketPolicy']);
    expect(graph.warnings).toEqual([
      's3 GetBucketPolicy of cartwheel-audit in eu-west-1 (account 111122223333): AccessDenied: Access Denied',
      expect.stringMatching(
        /^kms ListKeys in us-east-1 \(account 111122223333\): AccessDeniedException: .*kms:ListKeys/,
      ),
    ]);
    // Paged listings were followed, buckets outside the regions were left alone.
    expect(mocks.iam.commandCalls(ListRolesCommand)).toHaveLength(2);
    expect(mocks.ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(3);
    expect(
      mocks.s3
        .commandCalls(GetBucketEncryptionCommand)
        .map(c => c.args[0].input.Bucket),
    ).not.toContain('elsewhere');
    expect(progress).toContain(
      'Reading lambda ListFunctions in us-east-1 (account 111122223333)',
    );
  });

  it('assumes the role of each account and reads it with those credentials', async () => {
    const seen: ClientConfig[] = [];
    const recording = Object.fromEntries(
      Object.entries(sdkClients).map(([name, make]) => [
        name,
        (c: ClientConfig) => {
          seen.push(c);
          return (make as (c: ClientConfig) => unknown)(c);
        },
      ]),
    ) as typeof sdkClients;
    const graph = await discoverAws(
      parseAwsSettings({
        regions: ['eu-west-1'],
        services: ['iam', 'ec2'],
        accounts: [
          {
            roleArn: 'arn:aws:iam::444455556666:role/infra-hub-reader',
            externalId: 'cartwheel',
          },
          { roleArn: 'arn:aws:iam::777788889999:role/infra-hub-reader' },
        ],
      }),
      KEYS,
      { clients: recording },
    );
    expect(
      mocks.sts.commandCalls(AssumeRoleCommand).map(c => c.args[0].input),
    ).toEqual([
      {
        RoleArn: 'arn:aws:iam::444455556666:role/infra-hub-reader',
        RoleSessionName: 'infra-hub-discovery',
        ExternalId: 'cartwheel',
        DurationSeconds: 3600,
      },
      {
        RoleArn: 'arn:aws:iam::777788889999:role/infra-hub-reader',
        RoleSessionName: 'infra-hub-discovery',
        DurationSeconds: 3600,
      },
    ]);
    expect(seen[0].credentials?.accessKeyId).toBe('AKIAEXAMPLE');
    const used = new Set(seen.slice(1).map(c => c.credentials?.accessKeyId));
    expect(used).toEqual(new Set(['ASIA444455556666', 'ASIA777788889999']));
    expect(
      seen.every(c => c.retryMode === 'adaptive' && c.maxAttempts === 8),
    ).toBe(true);
    // The accounts of the assets are the assumed accounts, not read from another's ARNs.
    expect(mocks.s3.commandCalls(ListBucketsCommand)).toHaveLength(0);
    expect(graph.assets.length).toBeGreaterThan(0);
  });

  it('fails when no call at all succeeded, naming why', async () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDenied',
      $metadata: {},
    });
    for (const command of [
      ListRolesCommand,
      ListUsersCommand,
      ListPoliciesCommand,
      ListInstanceProfilesCommand,
    ]) {
      mocks.iam.on(command as typeof ListRolesCommand).rejects(denied);
    }
    await expect(
      discoverAws(
        parseAwsSettings({ regions: ['eu-west-1'], services: ['iam'] }),
        KEYS,
      ),
    ).rejects.toThrow(
      /Every AWS call failed: iam ListRoles in global .*AccessDenied: not authorized/,
    );
    mocks.sts.on(AssumeRoleCommand).rejects(denied);
    await expect(
      discoverAws(
        parseAwsSettings({
          regions: ['eu-west-1'],
          accounts: [{ roleArn: 'arn:aws:iam::444455556666:role/x' }],
        }),
        KEYS,
      ),
    ).rejects.toThrow(
      /No account could be read: account 444455556666: cannot assume/,
    );
  });
});

describe('parseAwsSettings', () => {
  it('names the setting that is wrong', () => {
    expect(() => parseAwsSettings({})).toThrow(/settings\.regions/);
    expect(() => parseAwsSettings({ regions: ['moon-1'] })).toThrow(
      /settings\.regions/,
    );
    expect(() =>
      parseAwsSettings({ regions: ['eu-west-1'], services: ['ec2', 'sqs'] }),
    ).toThrow(/settings\.services/);
    expect(() =>
      parseAwsSettings({
        regions: ['eu-west-1'],
        accounts: [{ roleArn: 'nope' }],
      }),
    ).toThrow(/settings\.accounts\[0\]\.roleArn/);
    expect(() =>
      parseAwsSettings({ regions: ['eu-west-1'], region: 'x' }),
    ).toThrow(/settings\.region is not an aws setting/);
    expect(() =>
      parseAwsSettings(
        { regions: ['eu-west-1'], endpoint: 'http://127.0.0.1:1' },
        'api',
      ),
    ).toThrow(/only allowed in app-config/);
    expect(() =>
      parseAwsSettings(
        { regions: ['eu-west-1'], useHostIdentity: true },
        'api',
      ),
    ).toThrow(/only allowed in app-config/);
    expect(parseAwsSettings({ regions: ['eu-west-1'] })).toEqual({
      regions: ['eu-west-1'],
      services: ['iam', 'ec2', 's3', 'lambda', 'kms', 'cloudtrail', 'rds'],
      maxAttempts: 8,
    });
  });
});
