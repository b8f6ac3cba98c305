import {
  paginateDescribeInstances,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import { CollectContext } from './context';
import { tagsOf } from './util';

/** EC2 in one region: VPCs, subnets, security groups and instances. */
export async function collectEc2(ctx: CollectContext, region: string) {
  const { clients, config, attempt, add, account } = ctx;
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
              `arn:aws:ec2:${region}:${sg.OwnerId ?? account}:security-group/${
                sg.GroupId
              }`,
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
      for await (const page of paginateDescribeInstances({ client: ec2 }, {})) {
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
