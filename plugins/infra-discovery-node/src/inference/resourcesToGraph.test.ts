import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import { parseArn } from './arn';
import { ResourceRecord, resourcesToGraph } from './resourcesToGraph';

describe('parseArn', () => {
  it.each([
    [
      'arn:aws:iam::123456789012:role/app',
      {
        service: 'iam',
        region: '',
        account: '123456789012',
        resource: 'role/app',
      },
    ],
    [
      'arn:aws:s3:::audit-logs',
      { service: 's3', region: '', account: '', resource: 'audit-logs' },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123:function:f:live',
      {
        partition: 'aws-us-gov',
        service: 'lambda',
        region: 'us-gov-west-1',
        resource: 'function:f:live',
      },
    ],
  ])('reads %s', (arn, parts) => {
    expect(parseArn(arn)).toMatchObject(parts);
  });

  it.each([
    ['not an ARN', 'bucket-name'],
    ['too few parts', 'arn:aws:s3'],
    ['another partition scheme', 'arn:gcp:storage:::bucket'],
    ['not a string', 42],
  ])('refuses %s', (_what, value) => {
    expect(parseArn(value)).toBeUndefined();
  });
});

describe('resourcesToGraph', () => {
  const live: ResourceRecord[] = [
    {
      provider: 'aws',
      type: 'aws_iam_role',
      attributes: {
        arn: 'arn:aws:iam::111122223333:role/orders',
        id: 'orders',
        name: 'orders',
      },
    },
    {
      provider: 'aws',
      type: 'aws_lambda_function',
      attributes: {
        arn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
        function_name: 'orders',
        role: 'arn:aws:iam::111122223333:role/orders',
        environment: [{ variables: { DB_PASSWORD: 'hunter2-not-real' } }],
      },
    },
    {
      provider: 'aws',
      type: 'aws_lambda_function_url',
      attributes: { function_name: 'orders', authorization_type: 'NONE' },
    },
    {
      provider: 'aws',
      type: 'aws_s3_bucket',
      attributes: { arn: 'arn:aws:s3:::orders-data', bucket: 'orders-data' },
    },
  ];

  it('places live resources by their ARNs, without a Terraform address', () => {
    const graph = resourcesToGraph(live);
    const fn = graph.assets.find(a => a.type === 'aws_lambda_function')!;
    expect(fn).toMatchObject({
      account: '111122223333',
      region: 'eu-west-1',
      name: 'orders',
    });
    expect(fn.source).toBeUndefined();
    // IAM is global; a bucket's ARN names no region, so it takes the estate's.
    expect(graph.assets.find(a => a.type === 'aws_iam_role')!.region).toBe(
      'global',
    );
    expect(graph.assets.find(a => a.type === 'aws_s3_bucket')).toMatchObject({
      account: '111122223333',
      region: 'eu-west-1',
    });
    expect(JSON.stringify(graph)).not.toContain('hunter2-not-real');
  });

  it('infers who runs as whom and what the internet reaches', () => {
    const graph = resourcesToGraph(live);
    const id = (type: string) => graph.assets.find(a => a.type === type)!.id;
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          from: id('aws_lambda_function'),
          to: id('aws_iam_role'),
          type: 'executes_as',
        }),
        expect.objectContaining({
          from: INTERNET_ASSET_ID,
          to: id('aws_lambda_function'),
          type: 'internet_ingress',
        }),
      ]),
    );
    expect(graph.assets.some(a => a.id === INTERNET_ASSET_ID)).toBe(true);
  });

  it('keeps addresses, modules and recorded dependencies of state resources', () => {
    const graph = resourcesToGraph([
      {
        provider: 'aws',
        type: 'aws_vpc',
        attributes: { id: 'vpc-1', arn: 'arn:aws:ec2:eu-west-1:1:vpc/vpc-1' },
        address: 'module.net.aws_vpc.main',
        addressBase: 'module.net.aws_vpc.main',
        module: 'module.net',
      },
      {
        provider: 'aws',
        type: 'aws_subnet',
        attributes: {
          id: 'subnet-1',
          arn: 'arn:aws:ec2:eu-west-1:1:subnet/subnet-1',
          vpc_id: 'vpc-1',
          secret_token: 'shown-nowhere',
        },
        address: 'module.net.aws_subnet.a[0]',
        addressBase: 'module.net.aws_subnet.a',
        module: 'module.net',
        dependsOn: ['module.net.aws_vpc.main'],
        sensitive: ['secret_token'],
      },
    ]);
    const subnet = graph.assets.find(a => a.type === 'aws_subnet')!;
    expect(subnet.source).toEqual({
      address: 'module.net.aws_subnet.a[0]',
      module: 'module.net',
    });
    expect(subnet.attributes.secret_token).toBe('(sensitive)');
    const vpc = graph.assets.find(a => a.type === 'aws_vpc')!.id;
    const mod = graph.assets.find(a => a.type === 'terraform_module')!.id;
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: vpc, to: subnet.id, type: 'contains' }),
        expect.objectContaining({ from: mod, to: subnet.id, type: 'contains' }),
        expect.objectContaining({
          from: subnet.id,
          to: vpc,
          type: 'depends_on',
        }),
      ]),
    );
  });
});
