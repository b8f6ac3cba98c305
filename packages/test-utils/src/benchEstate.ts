import crypto from 'node:crypto';

/** Resources per unit of the estate (a module with its roles, buckets, instances, ...). */
const PER_UNIT = 20;

/** A resource of a Terraform state (format 4), as the estate writes it. */
export type BenchResource = {
  mode: 'managed';
  type: string;
  name: string;
  provider: string;
  module?: string;
  instances: Array<{
    schema_version: number;
    attributes: Record<string, unknown>;
    dependencies: string[];
  }>;
};

/** A Terraform state (format 4) of the estate. */
export type BenchState = {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: BenchResource[];
};

/**
 * One stack of the benchmark estate: a Terraform state of about `resources` AWS resources in
 * modules of 20 (security group, subnet, roles, instance profile, KMS key, buckets with
 * encryption, a policy and its attachments, instances, a function with a URL, a database, a log
 * group, a queue), wired through real attribute values; one unit in 100 is open to the internet.
 * The discovery and compliance benchmarks read the same estate.
 */
export function benchEstateStack(s: number, resources: number): BenchState {
  const account = String(100000000000 + s);
  const region = ['eu-west-1', 'eu-central-1', 'us-east-1'][s % 3];
  const out: BenchResource[] = [];
  const arn = (service: string, rest: string, r = region) =>
    `arn:aws:${service}:${r}:${account}:${rest}`;
  const add = (
    type: string,
    name: string,
    module: string | undefined,
    attributes: Record<string, unknown>,
    dependencies: string[] = [],
  ) =>
    out.push({
      mode: 'managed',
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      ...(module ? { module } : {}),
      instances: [{ schema_version: 0, attributes, dependencies }],
    });
  const vpcId = `vpc-${s}`;
  add('aws_vpc', 'main', undefined, {
    id: vpcId,
    arn: arn('ec2', `vpc/${vpcId}`),
    cidr_block: '10.0.0.0/16',
    tags: { Name: `stack-${s}` },
  });
  const units = Math.floor((resources - 1) / PER_UNIT);
  for (let u = 0; u < units; u++) {
    const m = `module.svc_${u % 50}.module.unit_${u}`;
    const k = `${s}-${u}`;
    const sg = `sg-${k}`;
    const subnet = `subnet-${k}`;
    const open = u % 100 === 0;
    const addr = (t: string, n: string) => `${m}.${t}.${n}`;
    add('aws_security_group', 'web', m, {
      id: sg,
      arn: arn('ec2', `security-group/${sg}`),
      name: `web-${k}`,
      vpc_id: vpcId,
      ingress: [
        {
          from_port: open && u % 200 === 0 ? 22 : 443,
          to_port: open && u % 200 === 0 ? 22 : 443,
          protocol: 'tcp',
          cidr_blocks: [open ? '0.0.0.0/0' : '10.0.0.0/8'],
          ipv6_cidr_blocks: [],
        },
      ],
      tags: { Name: `web-${k}`, System: `system-${u % 40}` },
    });
    add('aws_subnet', 'a', m, {
      id: subnet,
      arn: arn('ec2', `subnet/${subnet}`),
      vpc_id: vpcId,
      cidr_block: `10.${u % 250}.0.0/24`,
    });
    add('aws_iam_role', 'app', m, {
      id: `app-${k}`,
      name: `app-${k}`,
      arn: `arn:aws:iam::${account}:role/app-${k}`,
      assume_role_policy: '{"Version":"2012-10-17","Statement":[]}',
    });
    add('aws_iam_role', 'fn', m, {
      id: `fn-${k}`,
      name: `fn-${k}`,
      arn: `arn:aws:iam::${account}:role/fn-${k}`,
    });
    add(
      'aws_iam_instance_profile',
      'app',
      m,
      {
        id: `app-${k}`,
        name: `app-${k}`,
        arn: `arn:aws:iam::${account}:instance-profile/app-${k}`,
        role: `app-${k}`,
      },
      [addr('aws_iam_role', 'app')],
    );
    const key = `key-${k}`;
    add('aws_kms_key', 'data', m, {
      id: key,
      key_id: key,
      arn: arn('kms', `key/${key}`),
      description: `data ${k}`,
    });
    for (const b of ['data', 'logs']) {
      add('aws_s3_bucket', b, m, {
        id: `${b}-${k}`,
        bucket: `${b}-${k}`,
        arn: `arn:aws:s3:::${b}-${k}`,
        region,
        tags: { Name: `${b}-${k}` },
      });
    }
    add(
      'aws_s3_bucket_server_side_encryption_configuration',
      'data',
      m,
      {
        id: `data-${k}`,
        bucket: `data-${k}`,
        rule: [
          {
            apply_server_side_encryption_by_default: [
              {
                sse_algorithm: 'aws:kms',
                kms_master_key_id: arn('kms', `key/${key}`),
              },
            ],
          },
        ],
      },
      [addr('aws_s3_bucket', 'data'), addr('aws_kms_key', 'data')],
    );
    add(
      'aws_iam_policy',
      'data',
      m,
      {
        id: `arn:aws:iam::${account}:policy/data-${k}`,
        arn: `arn:aws:iam::${account}:policy/data-${k}`,
        name: `data-${k}`,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: [`arn:aws:s3:::data-${k}/*`],
            },
            {
              Effect: 'Allow',
              Action: ['kms:Decrypt'],
              Resource: arn('kms', `key/${key}`),
            },
          ],
        }),
      },
      [addr('aws_s3_bucket', 'data')],
    );
    for (const r of ['app', 'fn']) {
      add(
        'aws_iam_role_policy_attachment',
        r,
        m,
        {
          id: `${r}-${k}-data`,
          role: `${r}-${k}`,
          policy_arn: `arn:aws:iam::${account}:policy/data-${k}`,
        },
        [addr('aws_iam_role', r), addr('aws_iam_policy', 'data')],
      );
    }
    for (let i = 0; i < 3; i++) {
      add(
        'aws_instance',
        `app_${i}`,
        m,
        {
          id: `i-${k}-${i}`,
          arn: arn('ec2', `instance/i-${k}-${i}`),
          instance_type: 't3.small',
          subnet_id: subnet,
          vpc_security_group_ids: [sg],
          iam_instance_profile: `app-${k}`,
          public_ip: open ? `203.0.113.${i}` : '',
          tags: { Name: `app-${k}-${i}` },
        },
        [addr('aws_subnet', 'a'), addr('aws_security_group', 'web')],
      );
    }
    add(
      'aws_lambda_function',
      'worker',
      m,
      {
        id: `worker-${k}`,
        function_name: `worker-${k}`,
        arn: arn('lambda', `function:worker-${k}`),
        role: `arn:aws:iam::${account}:role/fn-${k}`,
        kms_key_arn: arn('kms', `key/${key}`),
        runtime: 'nodejs20.x',
      },
      [addr('aws_iam_role', 'fn'), addr('aws_kms_key', 'data')],
    );
    add(
      'aws_lambda_function_url',
      'worker',
      m,
      {
        id: `https://${k}.lambda-url.${region}.on.aws/`,
        function_name: `worker-${k}`,
        authorization_type: u % 150 === 0 ? 'NONE' : 'AWS_IAM',
      },
      [addr('aws_lambda_function', 'worker')],
    );
    add(
      'aws_db_instance',
      'db',
      m,
      {
        id: `db-${k}`,
        identifier: `db-${k}`,
        arn: arn('rds', `db:db-${k}`),
        kms_key_id: arn('kms', `key/${key}`),
        vpc_security_group_ids: [sg],
        publicly_accessible: false,
        storage_encrypted: true,
      },
      [addr('aws_security_group', 'web'), addr('aws_kms_key', 'data')],
    );
    add('aws_cloudwatch_log_group', 'worker', m, {
      id: `/aws/lambda/worker-${k}`,
      arn: arn('logs', `log-group:/aws/lambda/worker-${k}`),
      name: `/aws/lambda/worker-${k}`,
    });
    add('aws_sqs_queue', 'jobs', m, {
      id: `https://sqs/${k}`,
      arn: arn('sqs', `jobs-${k}`),
      name: `jobs-${k}`,
    });
  }
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 1,
    lineage: crypto.randomUUID(),
    outputs: {},
    resources: out,
  };
}
