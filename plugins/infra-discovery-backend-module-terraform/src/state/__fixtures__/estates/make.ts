/*
 * Writes the corpus of state files beside this script: ten estates shaped like the ones teams
 * keep (AWS, Azure and Google; Terraform 0.14 to 1.15; modules nested four deep; `count` and
 * `for_each` with integer and string keys; data sources; from six to several hundred resources).
 * The files are committed; run this again after changing it:
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs make.ts
 */
import fs from 'node:fs';
import path from 'node:path';

type Instance = {
  index_key?: number | string;
  schema_version?: number;
  attributes: Record<string, unknown>;
  sensitive_attributes?: unknown[];
  dependencies?: string[];
};
type Resource = {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider: string;
  instances: Instance[];
};

const PROVIDERS: Record<string, string> = {
  aws: 'provider["registry.terraform.io/hashicorp/aws"]',
  azurerm: 'provider["registry.terraform.io/hashicorp/azurerm"]',
  google: 'provider["registry.terraform.io/hashicorp/google"]',
};

function resource(
  type: string,
  name: string,
  instances: Instance[] | Record<string, unknown>,
  extra: { module?: string; mode?: 'managed' | 'data' } = {},
): Resource {
  const provider = PROVIDERS[type.split('_')[0]];
  return {
    ...(extra.module ? { module: extra.module } : {}),
    mode: extra.mode ?? 'managed',
    type,
    name,
    provider,
    instances: Array.isArray(instances)
      ? instances
      : [{ schema_version: 0, attributes: instances }],
  };
}

function state(terraformVersion: string, resources: Resource[]) {
  return {
    version: 4,
    terraform_version: terraformVersion,
    serial: 42,
    lineage: `corpus-${terraformVersion}`,
    outputs: {},
    resources,
  };
}

// ---- AWS ------------------------------------------------------------------------------------

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
const arn = (service: string, rest: string, region = REGION) =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;

function awsNetwork(prefix = '', module?: string) {
  const vpcId = `vpc-${prefix}0a1b2c3d`;
  return [
    resource(
      'aws_vpc',
      'main',
      {
        id: vpcId,
        arn: arn('ec2', `vpc/${vpcId}`),
        cidr_block: '10.40.0.0/16',
        tags: { Name: `${prefix}main`, Environment: 'prod' },
      },
      { module },
    ),
    resource(
      'aws_subnet',
      'private',
      [0, 1, 2].map(i => ({
        index_key: i,
        schema_version: 1,
        attributes: {
          id: `subnet-${prefix}${i}f00d`,
          arn: arn('ec2', `subnet/subnet-${prefix}${i}f00d`),
          vpc_id: vpcId,
          cidr_block: `10.40.${i}.0/24`,
          availability_zone: `${REGION}${'abc'[i]}`,
          tags: { Name: `${prefix}private-${i}`, Tier: 'private' },
        },
        dependencies: [`${module ? `${module}.` : ''}aws_vpc.main`],
      })),
      { module },
    ),
  ];
}

function awsSecurityGroup(
  name: string,
  id: string,
  ingress: Array<{ from: number; to: number; cidr: string }>,
  module?: string,
) {
  return resource(
    'aws_security_group',
    name,
    {
      id,
      arn: arn('ec2', `security-group/${id}`),
      name,
      vpc_id: 'vpc-0a1b2c3d',
      ingress: ingress.map(r => ({
        from_port: r.from,
        to_port: r.to,
        protocol: 'tcp',
        cidr_blocks: [r.cidr],
        ipv6_cidr_blocks: [],
        description: '',
        self: false,
      })),
      egress: [],
      tags: { Name: name },
    },
    { module },
  );
}

/** 1. Terraform 0.14: a VPC with instances behind security groups, one of them open on SSH. */
function awsNetwork014() {
  return state('0.14.11', [
    ...awsNetwork(),
    awsSecurityGroup('bastion', 'sg-0bastion', [
      { from: 22, to: 22, cidr: '0.0.0.0/0' },
    ]),
    awsSecurityGroup('app', 'sg-0app', [
      { from: 8080, to: 8080, cidr: '10.40.0.0/16' },
    ]),
    resource('aws_iam_role', 'bastion', {
      id: 'bastion',
      arn: `arn:aws:iam::${ACCOUNT}:role/bastion`,
      name: 'bastion',
      assume_role_policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    }),
    resource('aws_iam_instance_profile', 'bastion', {
      id: 'bastion',
      arn: `arn:aws:iam::${ACCOUNT}:instance-profile/bastion`,
      name: 'bastion',
      role: 'bastion',
    }),
    resource('aws_iam_role_policy', 'bastion_secrets', {
      id: 'bastion:secrets',
      role: 'bastion',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue'],
            Resource: arn('secretsmanager', 'secret:prod/db-AbCdEf'),
          },
        ],
      }),
    }),
    resource('aws_secretsmanager_secret', 'db', {
      id: arn('secretsmanager', 'secret:prod/db-AbCdEf'),
      arn: arn('secretsmanager', 'secret:prod/db-AbCdEf'),
      name: 'prod/db',
    }),
    resource(
      'aws_instance',
      'app',
      [0, 1].map(i => ({
        index_key: i,
        schema_version: 1,
        attributes: {
          id: `i-0app${i}`,
          arn: arn('ec2', `instance/i-0app${i}`),
          instance_type: 't3.small',
          subnet_id: `subnet-${i}f00d`,
          vpc_security_group_ids: ['sg-0app'],
          user_data: 'IyEvYmluL3NoCmVjaG8gaGVsbG8=',
          tags: { Name: `app-${i}` },
        },
      })),
    ),
    resource('aws_instance', 'bastion', {
      id: 'i-0bastion',
      arn: arn('ec2', 'instance/i-0bastion'),
      instance_type: 't3.micro',
      subnet_id: 'subnet-0f00d',
      vpc_security_group_ids: ['sg-0bastion'],
      iam_instance_profile: 'bastion',
      tags: { Name: 'bastion' },
    }),
  ]);
}

/** 2. Terraform 1.5: functions keyed by name (for_each), their roles, a table and a key. */
function awsServerless15() {
  const fns = ['orders', 'payments', 'refunds'];
  return state('1.5.7', [
    resource('aws_kms_key', 'data', {
      id: 'kms-0data',
      key_id: 'kms-0data',
      arn: arn('kms', 'key/kms-0data'),
      description: 'data key',
      enable_key_rotation: true,
    }),
    resource('aws_dynamodb_table', 'ledger', {
      id: 'ledger',
      arn: arn('dynamodb', 'table/ledger'),
      name: 'ledger',
      billing_mode: 'PAY_PER_REQUEST',
      server_side_encryption: [
        { enabled: true, kms_key_arn: arn('kms', 'key/kms-0data') },
      ],
    }),
    resource(
      'aws_iam_role',
      'fn',
      fns.map(f => ({
        index_key: f,
        attributes: {
          id: `fn-${f}`,
          arn: `arn:aws:iam::${ACCOUNT}:role/fn-${f}`,
          name: `fn-${f}`,
        },
      })),
    ),
    resource(
      'aws_iam_role_policy',
      'fn',
      fns.map(f => ({
        index_key: f,
        attributes: {
          id: `fn-${f}:ledger`,
          role: `fn-${f}`,
          policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Action: f === 'refunds' ? 'dynamodb:*' : ['dynamodb:GetItem'],
                Resource: arn('dynamodb', 'table/ledger'),
              },
            ],
          }),
        },
      })),
    ),
    resource(
      'aws_lambda_function',
      'fn',
      fns.map(f => ({
        index_key: f,
        attributes: {
          id: f,
          arn: arn('lambda', `function:${f}`),
          function_name: f,
          role: `arn:aws:iam::${ACCOUNT}:role/fn-${f}`,
          runtime: 'nodejs20.x',
          environment: [{ variables: { TABLE: 'ledger', API_KEY: 'sk_live_0123456789abcdefXYZ' } }],
          tags: { Service: f },
        },
        sensitive_attributes: [],
      })),
    ),
    resource('aws_lambda_function_url', 'refunds', {
      id: 'refunds',
      function_name: 'refunds',
      authorization_type: 'NONE',
      function_url: 'https://abc.lambda-url.eu-central-1.on.aws/',
    }),
  ]);
}

/** 3. Terraform 1.9: modules nested four deep, with count inside the deepest. */
function awsNestedModules19() {
  const deep = 'module.platform.module.network.module.subnets.module.flow_logs';
  return state('1.9.8', [
    ...awsNetwork('n', 'module.platform.module.network'),
    resource(
      'aws_s3_bucket',
      'logs',
      {
        id: 'platform-flow-logs',
        arn: 'arn:aws:s3:::platform-flow-logs',
        bucket: 'platform-flow-logs',
        tags: { Name: 'flow logs' },
      },
      { module: 'module.platform.module.network.module.subnets' },
    ),
    resource(
      'aws_flow_log',
      'subnet',
      [0, 1, 2].map(i => ({
        index_key: i,
        attributes: {
          id: `fl-${i}`,
          arn: arn('ec2', `vpc-flow-log/fl-${i}`),
          subnet_id: `subnet-n${i}f00d`,
          log_destination: 'arn:aws:s3:::platform-flow-logs',
        },
        dependencies: [
          'module.platform.module.network.module.subnets.aws_s3_bucket.logs',
        ],
      })),
      { module: deep },
    ),
  ]);
}

/** 4. Terraform 1.3: data sources beside a few managed resources. */
function awsDataSources13() {
  return state('1.3.9', [
    resource(
      'aws_caller_identity',
      'current',
      { id: ACCOUNT, account_id: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci` },
      { mode: 'data' },
    ),
    resource(
      'aws_ami',
      'ubuntu',
      { id: 'ami-0ubuntu', name: 'ubuntu-jammy-22.04', architecture: 'x86_64' },
      { mode: 'data' },
    ),
    resource('aws_s3_bucket', 'artifacts', {
      id: 'ci-artifacts-1234',
      arn: 'arn:aws:s3:::ci-artifacts-1234',
      bucket: 'ci-artifacts-1234',
    }),
    resource('aws_s3_bucket_public_access_block', 'artifacts', {
      id: 'ci-artifacts-1234',
      bucket: 'ci-artifacts-1234',
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    }),
    resource('aws_s3_bucket_versioning', 'artifacts', {
      id: 'ci-artifacts-1234',
      bucket: 'ci-artifacts-1234',
      versioning_configuration: [{ status: 'Enabled' }],
    }),
    resource('aws_iam_user', 'ci', {
      id: 'ci',
      arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
      name: 'ci',
    }),
    resource('aws_iam_access_key', 'ci', {
      id: 'AKIAEXAMPLEEXAMPLE12',
      user: 'ci',
      secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      status: 'Active',
    }),
  ]);
}

/** 5. Terraform 1.15: several hundred resources, buckets with their settings and keys. */
function awsLarge115() {
  const teams = Array.from({ length: 60 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const bucket = (t: string) => `data-${t}`;
  const per = (type: string, name: string, attrs: (t: string) => Record<string, unknown>) =>
    resource(
      type,
      name,
      teams.map(t => ({ index_key: t, attributes: attrs(t) })),
    );
  return state('1.15.0', [
    per('aws_kms_key', 'team', t => ({
      id: `kms-${t}`,
      key_id: `kms-${t}`,
      arn: arn('kms', `key/kms-${t}`),
      description: `${t} data`,
    })),
    per('aws_s3_bucket', 'team', t => ({
      id: bucket(t),
      arn: `arn:aws:s3:::${bucket(t)}`,
      bucket: bucket(t),
      tags: { Team: t, 'cost-center': '4711' },
    })),
    per('aws_s3_bucket_server_side_encryption_configuration', 'team', t => ({
      id: bucket(t),
      bucket: bucket(t),
      rule: [
        {
          apply_server_side_encryption_by_default: [
            { sse_algorithm: 'aws:kms', kms_master_key_id: arn('kms', `key/kms-${t}`) },
          ],
        },
      ],
    })),
    per('aws_s3_bucket_public_access_block', 'team', t => ({
      id: bucket(t),
      bucket: bucket(t),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    })),
    per('aws_s3_bucket_logging', 'team', t => ({
      id: bucket(t),
      bucket: bucket(t),
      target_bucket: 'data-team-00',
      target_prefix: `${t}/`,
    })),
  ]);
}

// ---- Azure ----------------------------------------------------------------------------------

const SUB = '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f';
const rg = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
const az = (group: string, type: string, name: string) =>
  `${rg(group)}/providers/${type}/${name}`;

/** 6. Terraform 1.6: a VM with a public IP behind an NSG open on SSH, whose identity reaches a key vault; a PostgreSQL server open to every address. */
function azurePublic16() {
  const g = 'rg-shop-prod';
  const vnet = az(g, 'Microsoft.Network/virtualNetworks', 'vnet-shop');
  const subnet = `${vnet}/subnets/snet-app`;
  const nsg = az(g, 'Microsoft.Network/networkSecurityGroups', 'nsg-app');
  const pip = az(g, 'Microsoft.Network/publicIPAddresses', 'pip-jump');
  const nic = az(g, 'Microsoft.Network/networkInterfaces', 'nic-jump');
  const vm = az(g, 'Microsoft.Compute/virtualMachines', 'vm-jump');
  const kv = az(g, 'Microsoft.KeyVault/vaults', 'kv-shop-prod');
  const pg = az(g, 'Microsoft.DBforPostgreSQL/flexibleServers', 'psql-shop-prod');
  return state('1.6.6', [
    resource('azurerm_resource_group', 'main', { id: rg(g), name: g, location: 'westeurope', tags: { env: 'prod' } }),
    resource('azurerm_virtual_network', 'main', { id: vnet, name: 'vnet-shop', location: 'westeurope', address_space: ['10.10.0.0/16'], resource_group_name: g }),
    resource('azurerm_subnet', 'app', { id: subnet, name: 'snet-app', virtual_network_name: 'vnet-shop', address_prefixes: ['10.10.1.0/24'], resource_group_name: g }),
    resource('azurerm_network_security_group', 'app', {
      id: nsg,
      name: 'nsg-app',
      location: 'westeurope',
      resource_group_name: g,
      security_rule: [
        { name: 'ssh', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_address_prefix: '*', source_port_range: '*', destination_address_prefix: '*', destination_port_range: '22', destination_port_ranges: [], source_address_prefixes: [] },
        { name: 'https-internal', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_address_prefix: 'VirtualNetwork', source_port_range: '*', destination_address_prefix: '*', destination_port_range: '443', destination_port_ranges: [], source_address_prefixes: [] },
      ],
      tags: { env: 'prod' },
    }),
    resource('azurerm_subnet_network_security_group_association', 'app', { id: subnet, subnet_id: subnet, network_security_group_id: nsg }),
    resource('azurerm_public_ip', 'jump', { id: pip, name: 'pip-jump', location: 'westeurope', allocation_method: 'Static', ip_address: '20.50.1.2' }),
    resource('azurerm_network_interface', 'jump', {
      id: nic,
      name: 'nic-jump',
      location: 'westeurope',
      ip_configuration: [{ name: 'primary', subnet_id: subnet, private_ip_address_allocation: 'Dynamic', public_ip_address_id: pip }],
    }),
    resource('azurerm_linux_virtual_machine', 'jump', {
      id: vm,
      name: 'vm-jump',
      location: 'West Europe',
      size: 'Standard_B2s',
      admin_username: 'azureuser',
      admin_password: null,
      network_interface_ids: [nic],
      identity: [{ type: 'SystemAssigned', principal_id: 'aaaaaaaa-1111-2222-3333-444444444444', identity_ids: [] }],
      custom_data: 'I2Nsb3VkLWNvbmZpZwpwYXNzd29yZDogaHVudGVyMg==',
      tags: { role: 'jump' },
    }),
    resource('azurerm_key_vault', 'shop', { id: kv, name: 'kv-shop-prod', location: 'westeurope', sku_name: 'standard', tenant_id: '11111111-2222-3333-4444-555555555555' }),
    resource('azurerm_role_assignment', 'jump_secrets', {
      id: `${kv}/providers/Microsoft.Authorization/roleAssignments/0b0b0b0b`,
      scope: kv,
      role_definition_name: 'Key Vault Secrets User',
      principal_id: 'aaaaaaaa-1111-2222-3333-444444444444',
    }),
    resource('azurerm_postgresql_flexible_server', 'shop', {
      id: pg,
      name: 'psql-shop-prod',
      location: 'westeurope',
      version: '16',
      administrator_login: 'psqladmin',
      administrator_password: 'Sup3r-S3cret-Passw0rd',
      public_network_access_enabled: true,
    }),
    resource('azurerm_postgresql_flexible_server_firewall_rule', 'everyone', {
      id: `${pg}/firewallRules/everyone`,
      name: 'everyone',
      server_id: pg,
      start_ip_address: '0.0.0.0',
      end_ip_address: '255.255.255.255',
    }),
  ]);
}

/** 7. Terraform 1.8: VMs without public IPs, a user-assigned identity, a storage account (no attack path). */
function azurePrivate18() {
  const g = 'rg-batch';
  const vnet = az(g, 'Microsoft.Network/virtualNetworks', 'vnet-batch');
  const subnet = `${vnet}/subnets/snet-workers`;
  const uai = az(g, 'Microsoft.ManagedIdentity/userAssignedIdentities', 'id-workers');
  const sa = az(g, 'Microsoft.Storage/storageAccounts', 'stbatchdata01');
  return state('1.8.5', [
    resource('azurerm_resource_group', 'main', { id: rg(g), name: g, location: 'northeurope' }),
    resource('azurerm_subnet', 'workers', { id: subnet, name: 'snet-workers' }),
    resource('azurerm_user_assigned_identity', 'workers', { id: uai, name: 'id-workers', location: 'northeurope', principal_id: 'bbbbbbbb-1111-2222-3333-444444444444' }),
    resource('azurerm_storage_account', 'data', {
      id: sa,
      name: 'stbatchdata01',
      location: 'northeurope',
      allow_nested_items_to_be_public: false,
      primary_access_key: 'c3RvcmFnZS1rZXktdGhhdC1tdXN0LW5vdC1sZWFr',
      primary_connection_string: 'DefaultEndpointsProtocol=https;AccountName=stbatchdata01;AccountKey=c3RvcmFnZS1rZXk=',
    }),
    resource('azurerm_role_assignment', 'workers_blob', {
      id: `${sa}/providers/Microsoft.Authorization/roleAssignments/1c1c`,
      scope: rg(g),
      role_definition_name: 'Storage Blob Data Contributor',
      principal_id: 'bbbbbbbb-1111-2222-3333-444444444444',
    }),
    resource(
      'azurerm_network_interface',
      'worker',
      [0, 1, 2, 3].map(i => ({
        index_key: i,
        attributes: {
          id: az(g, 'Microsoft.Network/networkInterfaces', `nic-worker-${i}`),
          name: `nic-worker-${i}`,
          location: 'northeurope',
          ip_configuration: [{ name: 'primary', subnet_id: subnet, public_ip_address_id: null }],
        },
      })),
    ),
    resource(
      'azurerm_linux_virtual_machine',
      'worker',
      [0, 1, 2, 3].map(i => ({
        index_key: i,
        attributes: {
          id: az(g, 'Microsoft.Compute/virtualMachines', `vm-worker-${i}`),
          name: `vm-worker-${i}`,
          location: 'North Europe',
          network_interface_ids: [az(g, 'Microsoft.Network/networkInterfaces', `nic-worker-${i}`)],
          identity: [{ type: 'UserAssigned', identity_ids: [uai], principal_id: null }],
          tags: { pool: 'batch' },
        },
      })),
    ),
  ]);
}

// ---- Google ---------------------------------------------------------------------------------

const PROJECT = 'acme-analytics-prod';
const gcp = (rest: string) =>
  `https://www.googleapis.com/compute/v1/projects/${PROJECT}/${rest}`;

/** 8. Terraform 1.7: a firewall open on SSH to instances tagged `ssh`, running as a service account with Cloud SQL and bucket rights. */
function googleFirewall17() {
  const sa = `etl-runner@${PROJECT}.iam.gserviceaccount.com`;
  const instance = (name: string, tags: string[], external: boolean) => ({
    id: `projects/${PROJECT}/zones/europe-west3-a/instances/${name}`,
    self_link: gcp(`zones/europe-west3-a/instances/${name}`),
    name,
    project: PROJECT,
    zone: 'europe-west3-a',
    machine_type: 'e2-standard-2',
    tags,
    labels: { team: 'analytics', env: 'prod' },
    network_interface: [
      {
        network: gcp('global/networks/analytics'),
        subnetwork: gcp('regions/europe-west3/subnetworks/etl'),
        access_config: external ? [{ nat_ip: '34.89.1.2', network_tier: 'PREMIUM' }] : [],
      },
    ],
    service_account: [{ email: sa, scopes: ['cloud-platform'] }],
    metadata_startup_script: '#!/bin/bash\nexport DB_PASSWORD=hunter2',
  });
  return state('1.7.5', [
    resource('google_compute_network', 'analytics', { id: `projects/${PROJECT}/global/networks/analytics`, self_link: gcp('global/networks/analytics'), name: 'analytics', project: PROJECT }),
    resource('google_compute_firewall', 'ssh', {
      id: `projects/${PROJECT}/global/firewalls/allow-ssh`,
      self_link: gcp('global/firewalls/allow-ssh'),
      name: 'allow-ssh',
      project: PROJECT,
      network: gcp('global/networks/analytics'),
      direction: 'INGRESS',
      source_ranges: ['0.0.0.0/0'],
      target_tags: ['ssh'],
      allow: [{ protocol: 'tcp', ports: ['22'] }],
    }),
    resource('google_compute_firewall', 'internal', {
      id: `projects/${PROJECT}/global/firewalls/allow-internal`,
      self_link: gcp('global/firewalls/allow-internal'),
      name: 'allow-internal',
      project: PROJECT,
      network: gcp('global/networks/analytics'),
      direction: 'INGRESS',
      source_ranges: ['10.0.0.0/8'],
      allow: [{ protocol: 'all', ports: [] }],
    }),
    resource('google_service_account', 'etl', { id: `projects/${PROJECT}/serviceAccounts/${sa}`, email: sa, name: `projects/${PROJECT}/serviceAccounts/${sa}`, account_id: 'etl-runner', project: PROJECT }),
    resource('google_service_account_key', 'etl', { id: `projects/${PROJECT}/serviceAccounts/${sa}/keys/abc123`, service_account_id: `projects/${PROJECT}/serviceAccounts/${sa}`, private_key: 'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIKfQ==' }),
    resource('google_compute_instance', 'bastion', instance('bastion', ['ssh'], true)),
    resource(
      'google_compute_instance',
      'worker',
      [0, 1].map(i => ({ index_key: i, attributes: instance(`worker-${i}`, ['etl'], false) })),
    ),
    resource('google_sql_database_instance', 'warehouse', {
      id: 'warehouse',
      self_link: `https://sqladmin.googleapis.com/sql/v1beta4/projects/${PROJECT}/instances/warehouse`,
      name: 'warehouse',
      project: PROJECT,
      region: 'europe-west3',
      database_version: 'POSTGRES_15',
      settings: [{ tier: 'db-custom-2-7680', ip_configuration: [{ ipv4_enabled: false, private_network: gcp('global/networks/analytics'), authorized_networks: [] }] }],
    }),
    resource('google_project_iam_member', 'etl_sql', { id: `${PROJECT}/roles/cloudsql.client/serviceAccount:${sa}`, project: PROJECT, role: 'roles/cloudsql.client', member: `serviceAccount:${sa}` }),
    resource('google_storage_bucket', 'exports', { id: 'acme-exports', self_link: 'https://www.googleapis.com/storage/v1/b/acme-exports', name: 'acme-exports', project: PROJECT, location: 'EUROPE-WEST3', labels: { team: 'analytics' } }),
  ]);
}

/** 9. Terraform 1.10: a Cloud SQL instance open to 0.0.0.0/0, a public bucket, long locations and labels as lists. */
function googlePublic110() {
  const location =
    'projects/acme-shared-services-prod/locations/europe-west3/clusters/regional-analytics-cluster-eu';
  return state('1.10.5', [
    resource('google_sql_database_instance', 'legacy', {
      id: 'legacy-reporting',
      self_link: 'https://sqladmin.googleapis.com/sql/v1beta4/projects/acme-shared-services-prod/instances/legacy-reporting',
      name: 'legacy-reporting',
      project: 'acme-shared-services-prod',
      region: 'europe-west3',
      database_version: 'MYSQL_8_0',
      root_password: 'r00t-pa55word-legacy',
      settings: [{ tier: 'db-n1-standard-1', ip_configuration: [{ ipv4_enabled: true, authorized_networks: [{ name: 'anywhere', value: '0.0.0.0/0' }] }], user_labels: { owner: 'reporting' } }],
    }),
    resource('google_storage_bucket', 'public_site', { id: 'acme-public-site', name: 'acme-public-site', project: 'acme-shared-services-prod', location: 'EU', labels: [{ key: 'team', value: 'web' }, { key: 'tier', value: 'public' }] }),
    resource('google_storage_bucket_iam_member', 'public_read', { id: 'b/acme-public-site/roles/storage.objectViewer/allUsers', bucket: 'acme-public-site', role: 'roles/storage.objectViewer', member: 'allUsers' }),
    resource('google_container_node_pool', 'analytics', {
      id: `${location}/nodePools/default-pool-with-a-long-name`,
      name: 'default-pool-with-a-long-name',
      project: 'acme-shared-services-prod',
      location,
      node_count: 3,
      node_config: [{ machine_type: 'e2-standard-4', tags: ['gke-node', 'analytics'], labels: { pool: 'default' } }],
    }),
    resource('google_secret_manager_secret', 'api', { id: 'projects/acme-shared-services-prod/secrets/reporting-api', secret_id: 'reporting-api', project: 'acme-shared-services-prod', labels: { app: 'reporting' } }),
    resource('google_secret_manager_secret_iam_member', 'public', { id: 'projects/acme-shared-services-prod/secrets/reporting-api/roles/secretmanager.secretAccessor/allAuthenticatedUsers', secret_id: 'projects/acme-shared-services-prod/secrets/reporting-api', role: 'roles/secretmanager.secretAccessor', member: 'allAuthenticatedUsers' }),
  ]);
}

/** 10. Terraform 1.12: one state with all three clouds, as a platform team's shared stack. */
function mixed112() {
  const a = azurePublic16().resources.slice(0, 3);
  const g = googlePublic110().resources.slice(1, 3);
  const w = awsServerless15().resources.slice(0, 2);
  return state('1.12.2', [...a, ...g, ...w]);
}

const estates: Record<string, () => unknown> = {
  'aws-network-0.14': awsNetwork014,
  'aws-serverless-1.5': awsServerless15,
  'aws-nested-modules-1.9': awsNestedModules19,
  'aws-data-sources-1.3': awsDataSources13,
  'aws-large-1.15': awsLarge115,
  'azure-public-1.6': azurePublic16,
  'azure-private-1.8': azurePrivate18,
  'google-firewall-1.7': googleFirewall17,
  'google-public-1.10': googlePublic110,
  'mixed-clouds-1.12': mixed112,
};

for (const [name, make] of Object.entries(estates)) {
  fs.writeFileSync(
    // A script run by hand from its own folder, not part of any build.
    // eslint-disable-next-line no-restricted-syntax
    path.join(__dirname, `${name}.tfstate`),
    `${JSON.stringify(make(), null, 2)}\n`,
  );
}
