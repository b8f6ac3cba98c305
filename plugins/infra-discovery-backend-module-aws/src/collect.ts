import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  EC2Client,
  paginateDescribeInstances,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  Tag as Ec2Tag,
} from '@aws-sdk/client-ec2';
import {
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListInstanceProfiles,
  paginateListPolicies,
  paginateListRolePolicies,
  paginateListRoles,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import {
  LambdaClient,
  paginateListFunctions,
  paginateListFunctionUrlConfigs,
} from '@aws-sdk/client-lambda';
import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
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
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import {
  Asset,
  Edge,
  INTERNET_ASSET_ID,
  internetAsset,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  stateToGraph,
  StateV4,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import { AwsService, AwsSettings } from './settings';

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

/** A resource as Terraform's AWS provider would record it in state. */
type Resource = { type: string; attributes: Record<string, unknown> };

export type AwsGraph = { assets: Asset[]; edges: Edge[]; warnings: string[] };

const tagsOf = (tags: Ec2Tag[] | undefined) =>
  Object.fromEntries(
    (tags ?? [])
      .filter(t => t.Key !== undefined)
      .map(t => [t.Key!, t.Value ?? '']),
  );

const decodeDocument = (doc: string | undefined) => {
  if (!doc) return undefined;
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
};

/** An AWS error in one line, without request ids. */
function describeError(error: unknown): string {
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e.Code ?? e.name ?? 'Error';
  const message = (e.message ?? String(error)).split('\n')[0].slice(0, 300);
  return message && message !== code ? `${code}: ${message}` : code;
}

const NOT_CONFIGURED =
  /NoSuch|NotFound|ServerSideEncryptionConfigurationNotFoundError/;

/** Runs a call whose "not configured" error means "none". */
async function optional<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (NOT_CONFIGURED.test(name)) return undefined;
    throw error;
  }
}

/**
 * Reads one account: every configured service, in every configured region (IAM once), into
 * Terraform-shaped resources, then through the same relationship inference as state files, so
 * that both providers describe the same estate the same way.
 */
async function collectAccount(
  settings: AwsSettings,
  clients: ClientFactory,
  credentials: AwsKeys | undefined,
  account: string,
  progress: (message: string) => void,
): Promise<AwsGraph & { calls: number; failures: number }> {
  const resources: Resource[] = [];
  const add = (type: string, attributes: Record<string, unknown>) =>
    resources.push({ type, attributes });
  const warnings: string[] = [];
  const extraEdges: Edge[] = [];
  let calls = 0;
  let failures = 0;
  const config = (region: string): ClientConfig => ({
    region,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive',
  });
  const attempt = async (
    service: AwsService,
    region: string,
    fn: () => Promise<void>,
    operation: string,
  ) => {
    if (!settings.services.includes(service)) return;
    calls += 1;
    progress(
      `Reading ${service} ${operation} in ${region} (account ${account})`,
    );
    try {
      await fn();
    } catch (error) {
      failures += 1;
      warnings.push(
        `${service} ${operation} in ${region} (account ${account}): ${describeError(
          error,
        )}`,
      );
    }
  };

  const home = settings.regions[0];

  const iam = clients.iam(config(home));
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListRoles({ client: iam }, {})) {
        for (const role of page.Roles ?? []) {
          add('aws_iam_role', {
            arn: role.Arn,
            id: role.RoleName,
            name: role.RoleName,
            path: role.Path,
            unique_id: role.RoleId,
            assume_role_policy: decodeDocument(role.AssumeRolePolicyDocument),
            max_session_duration: role.MaxSessionDuration,
          });
          for await (const att of paginateListAttachedRolePolicies(
            { client: iam },
            { RoleName: role.RoleName },
          )) {
            for (const p of att.AttachedPolicies ?? []) {
              add('aws_iam_role_policy_attachment', {
                id: `${role.RoleName}/${p.PolicyArn}`,
                role: role.RoleName,
                policy_arn: p.PolicyArn,
              });
              if (p.PolicyArn?.startsWith('arn:aws:iam::aws:policy/')) {
                // AWS-managed: not listed with the account's policies, but part of the picture.
                add('aws_iam_policy', {
                  arn: p.PolicyArn,
                  id: p.PolicyArn,
                  name: p.PolicyName,
                  aws_managed: true,
                });
              }
            }
          }
          for await (const inline of paginateListRolePolicies(
            { client: iam },
            { RoleName: role.RoleName },
          )) {
            for (const name of inline.PolicyNames ?? []) {
              const doc = await iam.send(
                new GetRolePolicyCommand({
                  RoleName: role.RoleName,
                  PolicyName: name,
                }),
              );
              add('aws_iam_role_policy', {
                id: `${role.RoleName}:${name}`,
                role: role.RoleName,
                name,
                policy: decodeDocument(doc.PolicyDocument),
              });
            }
          }
        }
      }
    },
    'ListRoles',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListUsers({ client: iam }, {})) {
        for (const user of page.Users ?? []) {
          add('aws_iam_user', {
            arn: user.Arn,
            id: user.UserName,
            name: user.UserName,
            path: user.Path,
            unique_id: user.UserId,
            password_last_used: user.PasswordLastUsed?.toISOString(),
          });
          for await (const att of paginateListAttachedUserPolicies(
            { client: iam },
            { UserName: user.UserName },
          )) {
            for (const p of att.AttachedPolicies ?? []) {
              extraEdges.push({
                from: `policy:${p.PolicyArn}`,
                to: `user:${user.Arn}`,
                type: 'attached_to',
                details: { via: 'user policy attachment' },
              });
            }
          }
        }
      }
    },
    'ListUsers',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListPolicies(
        { client: iam },
        { Scope: 'Local' },
      )) {
        for (const policy of page.Policies ?? []) {
          const version = await iam.send(
            new GetPolicyVersionCommand({
              PolicyArn: policy.Arn,
              VersionId: policy.DefaultVersionId,
            }),
          );
          add('aws_iam_policy', {
            arn: policy.Arn,
            id: policy.Arn,
            name: policy.PolicyName,
            path: policy.Path,
            attachment_count: policy.AttachmentCount,
            policy: decodeDocument(version.PolicyVersion?.Document),
          });
        }
      }
    },
    'ListPolicies',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListInstanceProfiles(
        { client: iam },
        {},
      )) {
        for (const profile of page.InstanceProfiles ?? []) {
          add('aws_iam_instance_profile', {
            arn: profile.Arn,
            id: profile.InstanceProfileName,
            name: profile.InstanceProfileName,
            role: profile.Roles?.[0]?.RoleName,
          });
        }
      }
    },
    'ListInstanceProfiles',
  );

  for (const region of settings.regions) {
    const ec2 = clients.ec2(config(region));
    await attempt(
      'ec2',
      region,
      async () => {
        for await (const page of paginateDescribeVpcs({ client: ec2 }, {})) {
          for (const vpc of page.Vpcs ?? []) {
            add('aws_vpc', {
              arn: `arn:aws:ec2:${region}:${vpc.OwnerId ?? account}:vpc/${
                vpc.VpcId
              }`,
              id: vpc.VpcId,
              region,
              cidr_block: vpc.CidrBlock,
              is_default: vpc.IsDefault,
              tags: tagsOf(vpc.Tags),
            });
          }
        }
      },
      'DescribeVpcs',
    );
    await attempt(
      'ec2',
      region,
      async () => {
        for await (const page of paginateDescribeSubnets({ client: ec2 }, {})) {
          for (const subnet of page.Subnets ?? []) {
            add('aws_subnet', {
              arn:
                subnet.SubnetArn ??
                `arn:aws:ec2:${region}:${account}:subnet/${subnet.SubnetId}`,
              id: subnet.SubnetId,
              region,
              vpc_id: subnet.VpcId,
              cidr_block: subnet.CidrBlock,
              availability_zone: subnet.AvailabilityZone,
              map_public_ip_on_launch: subnet.MapPublicIpOnLaunch,
              tags: tagsOf(subnet.Tags),
            });
          }
        }
      },
      'DescribeSubnets',
    );
    await attempt(
      'ec2',
      region,
      async () => {
        for await (const page of paginateDescribeSecurityGroups(
          { client: ec2 },
          {},
        )) {
          for (const sg of page.SecurityGroups ?? []) {
            const rules = (perms: typeof sg.IpPermissions) =>
              (perms ?? []).map(p => ({
                from_port: p.FromPort ?? 0,
                to_port: p.ToPort ?? 0,
                protocol: p.IpProtocol,
                cidr_blocks: (p.IpRanges ?? []).map(r => r.CidrIp),
                ipv6_cidr_blocks: (p.Ipv6Ranges ?? []).map(r => r.CidrIpv6),
                security_groups: (p.UserIdGroupPairs ?? []).map(g => g.GroupId),
              }));
            add('aws_security_group', {
              arn:
                sg.SecurityGroupArn ??
                `arn:aws:ec2:${region}:${
                  sg.OwnerId ?? account
                }:security-group/${sg.GroupId}`,
              id: sg.GroupId,
              region,
              name: sg.GroupName,
              description: sg.Description,
              vpc_id: sg.VpcId,
              ingress: rules(sg.IpPermissions),
              egress: rules(sg.IpPermissionsEgress),
              tags: tagsOf(sg.Tags),
            });
          }
        }
      },
      'DescribeSecurityGroups',
    );
    await attempt(
      'ec2',
      region,
      async () => {
        for await (const page of paginateDescribeInstances(
          { client: ec2 },
          {},
        )) {
          for (const reservation of page.Reservations ?? []) {
            for (const instance of reservation.Instances ?? []) {
              add('aws_instance', {
                arn: `arn:aws:ec2:${region}:${
                  reservation.OwnerId ?? account
                }:instance/${instance.InstanceId}`,
                id: instance.InstanceId,
                region,
                instance_type: instance.InstanceType,
                ami: instance.ImageId,
                instance_state: instance.State?.Name,
                subnet_id: instance.SubnetId,
                vpc_id: instance.VpcId,
                vpc_security_group_ids: (instance.SecurityGroups ?? []).map(
                  g => g.GroupId,
                ),
                iam_instance_profile:
                  instance.IamInstanceProfile?.Arn?.split('/').pop(),
                public_ip: instance.PublicIpAddress ?? '',
                private_ip: instance.PrivateIpAddress,
                associate_public_ip_address: Boolean(instance.PublicIpAddress),
                metadata_options: instance.MetadataOptions
                  ? [{ http_tokens: instance.MetadataOptions.HttpTokens }]
                  : [],
                tags: tagsOf(instance.Tags),
              });
            }
          }
        }
      },
      'DescribeInstances',
    );
  }

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

  for (const region of settings.regions) {
    await attempt(
      'lambda',
      region,
      async () => {
        const lambda = clients.lambda(config(region));
        for await (const page of paginateListFunctions(
          { client: lambda },
          {},
        )) {
          for (const fn of page.Functions ?? []) {
            add('aws_lambda_function', {
              arn: fn.FunctionArn,
              id: fn.FunctionName,
              function_name: fn.FunctionName,
              region,
              role: fn.Role,
              runtime: fn.Runtime,
              handler: fn.Handler,
              kms_key_arn: fn.KMSKeyArn ?? '',
              // Values of environment variables may be secrets: only their names are kept.
              environment_variable_names: Object.keys(
                fn.Environment?.Variables ?? {},
              ).sort(),
              vpc_config: fn.VpcConfig?.VpcId
                ? [
                    {
                      vpc_id: fn.VpcConfig.VpcId,
                      subnet_ids: fn.VpcConfig.SubnetIds,
                      security_group_ids: fn.VpcConfig.SecurityGroupIds,
                    },
                  ]
                : [],
              last_modified: fn.LastModified,
            });
            for await (const urls of paginateListFunctionUrlConfigs(
              { client: lambda },
              { FunctionName: fn.FunctionName },
            )) {
              for (const url of urls.FunctionUrlConfigs ?? []) {
                add('aws_lambda_function_url', {
                  id: url.FunctionUrl,
                  function_name: fn.FunctionName,
                  region,
                  function_url: url.FunctionUrl,
                  authorization_type: url.AuthType,
                });
              }
            }
          }
        }
      },
      'ListFunctions',
    );

    const kms = clients.kms(config(region));
    await attempt(
      'kms',
      region,
      async () => {
        for await (const page of paginateListKeys({ client: kms }, {})) {
          for (const key of page.Keys ?? []) {
            const meta = (
              await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))
            ).KeyMetadata;
            const customer = meta?.KeyManager === 'CUSTOMER';
            const rotation =
              customer && meta?.KeyState === 'Enabled'
                ? await kms.send(
                    new GetKeyRotationStatusCommand({ KeyId: key.KeyId }),
                  )
                : undefined;
            add('aws_kms_key', {
              arn: key.KeyArn,
              id: key.KeyId,
              key_id: key.KeyId,
              region,
              description: meta?.Description ?? '',
              key_manager: meta?.KeyManager,
              key_state: meta?.KeyState,
              key_usage: meta?.KeyUsage,
              enable_key_rotation: rotation?.KeyRotationEnabled ?? false,
            });
          }
        }
      },
      'ListKeys',
    );
    await attempt(
      'kms',
      region,
      async () => {
        for await (const page of paginateListAliases({ client: kms }, {})) {
          for (const alias of page.Aliases ?? []) {
            if (!alias.TargetKeyId) continue;
            add('aws_kms_alias', {
              arn: alias.AliasArn,
              id: alias.AliasName,
              name: alias.AliasName,
              region,
              target_key_id: alias.TargetKeyId,
            });
          }
        }
      },
      'ListAliases',
    );

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

    await attempt(
      'rds',
      region,
      async () => {
        const rds = clients.rds(config(region));
        for await (const page of paginateDescribeDBInstances(
          { client: rds },
          {},
        )) {
          for (const db of page.DBInstances ?? []) {
            add('aws_db_instance', {
              arn: db.DBInstanceArn,
              id: db.DBInstanceIdentifier,
              identifier: db.DBInstanceIdentifier,
              region,
              engine: db.Engine,
              engine_version: db.EngineVersion,
              instance_class: db.DBInstanceClass,
              storage_encrypted: db.StorageEncrypted,
              kms_key_id: db.KmsKeyId ?? '',
              publicly_accessible: db.PubliclyAccessible,
              vpc_security_group_ids: (db.VpcSecurityGroups ?? []).map(
                g => g.VpcSecurityGroupId,
              ),
              db_subnet_group_name: db.DBSubnetGroup?.DBSubnetGroupName,
              backup_retention_period: db.BackupRetentionPeriod,
              deletion_protection: db.DeletionProtection,
              multi_az: db.MultiAZ,
            });
          }
        }
      },
      'DescribeDBInstances',
    );
  }

  const graph = toGraph(resources, account);
  const byArn = new Map(graph.assets.map(a => [a.nativeId, a.id]));
  const resolve = (ref: string) => {
    if (ref === INTERNET_ASSET_ID) return ref;
    const [, ...rest] = ref.split(':');
    const value = rest.join(':');
    return ref.startsWith('bucket:')
      ? byArn.get(`arn:aws:s3:::${value}`)
      : byArn.get(value);
  };
  for (const e of extraEdges) {
    const from = resolve(e.from);
    const to = resolve(e.to);
    if (from && to) graph.edges.push({ ...e, from, to });
  }
  if (
    graph.edges.some(e => e.from === INTERNET_ASSET_ID) &&
    !graph.assets.some(a => a.id === INTERNET_ASSET_ID)
  ) {
    graph.assets.push(internetAsset());
  }
  return {
    ...graph,
    warnings: [...warnings, ...graph.warnings],
    calls,
    failures,
  };
}

/** Terraform-shaped resources of one account through the state provider's inference. */
function toGraph(resources: Resource[], account: string): AwsGraph {
  const counters = new Map<string, number>();
  const state: StateV4 = {
    version: 4,
    terraform_version: 'live',
    serial: 0,
    lineage: `aws-${account}`,
    outputs: {},
    resources: resources.map(r => {
      const n = (counters.get(r.type) ?? 0) + 1;
      counters.set(r.type, n);
      return {
        mode: 'managed',
        type: r.type,
        name: `r${n}`,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: r.attributes }],
      };
    }),
  } as StateV4;
  const graph = stateToGraph(state, { defaultAccount: account });
  // Live assets have no Terraform address.
  const assets = graph.assets.map(a => {
    const { source: _source, ...rest } = a;
    return rest;
  });
  // Policies AWS manages are referenced, not found; their absence from "state" is no warning.
  const warnings = graph.warnings.filter(w => !/is not in this state/.test(w));
  return { assets, edges: graph.edges, warnings };
}

/**
 * Discovers every configured account (assuming its role) and region. Access denied on one
 * service, or any other failure of one service in one region, is a warning and the rest goes
 * on; when every call failed the run fails.
 */
export async function discoverAws(
  settings: AwsSettings,
  credentials: AwsKeys | undefined,
  options: {
    clients?: ClientFactory;
    progress?: (message: string) => void;
  } = {},
): Promise<AwsGraph> {
  const clients = options.clients ?? sdkClients;
  const progress = options.progress ?? (() => {});
  const home = settings.regions[0];
  const base: ClientConfig = {
    region: home,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive',
  };
  const sts = clients.sts(base);
  const targets: Array<{ account: string; keys: AwsKeys | undefined }> = [];
  const warnings: string[] = [];
  if (settings.accounts) {
    for (const { roleArn, externalId } of settings.accounts) {
      const account = roleArn.split(':')[4];
      progress(`Assuming ${roleArn}`);
      try {
        const { Credentials: c } = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'infra-hub-discovery',
            ...(externalId ? { ExternalId: externalId } : {}),
            DurationSeconds: 3600,
          }),
        );
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new Error('AssumeRole returned no credentials');
        targets.push({
          account,
          keys: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
          },
        });
      } catch (error) {
        warnings.push(
          `account ${account}: cannot assume ${roleArn}: ${describeError(
            error,
          )}`,
        );
      }
    }
    if (targets.length === 0)
      throw new Error(`No account could be read: ${warnings.join('; ')}`);
  } else {
    const identity = await sts
      .send(new GetCallerIdentityCommand({}))
      .catch(error => {
        throw new Error(
          `Cannot identify the AWS account of the credential: ${describeError(
            error,
          )}`,
        );
      });
    targets.push({ account: identity.Account ?? '-', keys: credentials });
  }

  const assets = new Map<string, Asset>();
  const edges: Edge[] = [];
  let calls = 0;
  let failures = 0;
  for (const target of targets) {
    const result = await collectAccount(
      settings,
      clients,
      target.keys,
      target.account,
      progress,
    );
    for (const a of result.assets) assets.set(a.id, a);
    edges.push(...result.edges);
    warnings.push(...result.warnings);
    calls += result.calls;
    failures += result.failures;
  }
  if (calls > 0 && failures === calls) {
    throw new Error(
      `Every AWS call failed: ${warnings.slice(0, 3).join('; ')}`,
    );
  }
  return { assets: [...assets.values()], edges, warnings };
}
