import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import fs from 'node:fs';
import path from 'node:path';
import { readState, StateFormatError } from './readState';
import { stateToGraph } from './stateToGraph';

const repo = path.resolve(__dirname, '../../../..');
const corpora = path.resolve(__dirname, '__fixtures__/terraform-json');
const load = (file: string) =>
  stateToGraph(readState(fs.readFileSync(file, 'utf8')));

function finder(graph: ReturnType<typeof stateToGraph>) {
  const byAddress = (address: string) => {
    const asset = graph.assets.find(a => a.source?.address === address);
    if (!asset) throw new Error(`no asset at ${address}`);
    return asset.id;
  };
  const has = (from: string, type: string, to: string) =>
    graph.edges.some(e => e.from === from && e.type === type && e.to === to);
  return { byAddress, has };
}

describe('stateToGraph on the Cartwheel demo state', () => {
  const graph = load(
    path.join(
      repo,
      'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
    ),
  );
  const { byAddress: a, has } = finder(graph);

  it('gives every resource a stable id with account and region', () => {
    const fn = graph.assets.find(x => x.type === 'aws_lambda_function')!;
    expect(fn.id).toBe(
      'aws:210987654321:eu-west-1:aws_lambda_function:arn:aws:lambda:eu-west-1:210987654321:function:cartwheel-order-events-processor',
    );
    const role = graph.assets.find(x => x.type === 'aws_iam_role')!;
    expect(role.region).toBe('global');
    const bucket = graph.assets.find(
      x => x.source?.address === 'aws_s3_bucket.order_exports',
    )!;
    expect(bucket).toMatchObject({
      account: '210987654321',
      region: 'eu-west-1',
      name: 'cartwheel-prod-order-exports',
    });
    expect(
      load(
        path.join(
          repo,
          'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
        ),
      ).assets.map(x => x.id),
    ).toEqual(graph.assets.map(x => x.id));
  });

  it('reads who runs as whom, what policies grant, and what encrypts and logs where', () => {
    expect(
      has(
        a('aws_lambda_function.order_processor'),
        'executes_as',
        a('aws_iam_role.order_processor'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_instance.web'),
        'executes_as',
        a('aws_iam_instance_profile.web'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_instance_profile.web'),
        'executes_as',
        a('aws_iam_role.web'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.order_exports_read'),
        'attached_to',
        a('aws_iam_role.web'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.order_exports_read'),
        'can_access',
        a('aws_s3_bucket.order_exports'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.order_exports_read'),
        'can_access',
        a('aws_kms_key.data'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_s3_bucket.order_exports'),
        'encrypted_by',
        a('aws_kms_key.data'),
      ),
    ).toBe(true);
    expect(
      has(a('aws_db_instance.orders'), 'encrypted_by', a('aws_kms_key.data')),
    ).toBe(true);
    expect(
      has(a('aws_cloudtrail.main'), 'logs_to', a('aws_s3_bucket.audit_logs')),
    ).toBe(true);
    expect(has(a('aws_vpc.main'), 'contains', a('aws_subnet.public_a'))).toBe(
      true,
    );
    expect(
      has(a('aws_subnet.public_a'), 'contains', a('aws_instance.web')),
    ).toBe(true);
    expect(
      has(a('aws_instance.web'), 'depends_on', a('aws_security_group.web')),
    ).toBe(true);
  });

  it('marks what the internet can reach', () => {
    const ingress = graph.edges.filter(e => e.from === INTERNET_ASSET_ID);
    expect(ingress.map(e => e.to).sort()).toEqual(
      [
        a('aws_security_group.web'),
        a('aws_lambda_function.order_processor'),
        a('module.product_images.aws_s3_bucket.this'),
      ].sort(),
    );
    expect(
      ingress.find(e => e.to === a('aws_security_group.web'))!.details,
    ).toEqual({ ports: ['443/tcp', '22/tcp'] });
    expect(graph.assets.some(x => x.id === INTERNET_ASSET_ID)).toBe(true);
  });

  it('makes the module an asset that contains its resources', () => {
    const mod = graph.assets.find(x => x.type === 'terraform_module')!;
    expect(mod.nativeId).toBe('module.product_images');
    expect(
      has(mod.id, 'contains', a('module.product_images.aws_s3_bucket.this')),
    ).toBe(true);
    expect(
      has(
        mod.id,
        'contains',
        a('module.product_images.aws_s3_bucket_policy.public_read'),
      ),
    ).toBe(true);
  });

  it('never carries a secret out of the state', () => {
    const db = graph.assets.find(x => x.type === 'aws_db_instance')!;
    expect(db.attributes.password).toBe('(sensitive)');
    expect(JSON.stringify(graph)).not.toContain('demo-only-orders-db-password');
  });

  it('redacts secrets at any depth: environment variables, scripts, secret-shaped values', () => {
    const state = {
      version: 4,
      terraform_version: '1.9.0',
      serial: 1,
      lineage: 'x',
      resources: [
        {
          mode: 'managed',
          type: 'aws_lambda_function',
          name: 'api',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              attributes: {
                arn: 'arn:aws:lambda:eu-west-1:111122223333:function:api',
                function_name: 'api',
                environment: [
                  {
                    variables: { STRIPE: 'live-value-1', MODE: 'prod-value-2' },
                  },
                ],
                nested: [{ deep: { db_password: 'deep-value-3' } }],
              },
            },
          ],
        },
        {
          mode: 'managed',
          type: 'aws_instance',
          name: 'web',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              attributes: {
                arn: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-1',
                id: 'i-1',
                user_data: '#!/bin/sh\nexport KEY=script-value-4',
                tags: { note: 'postgres://app:url-value-5@db/app' },
              },
            },
          ],
        },
      ],
    };
    const out = JSON.stringify(stateToGraph(readState(JSON.stringify(state))));
    for (let i = 1; i <= 5; i++)
      expect(out).not.toMatch(new RegExp(`value-${i}`));
    expect(out).toContain('arn:aws:lambda:eu-west-1:111122223333:function:api');
  });
});

describe('stateToGraph on the Harbor demo state', () => {
  const graph = load(
    path.join(
      repo,
      'examples/terraform/harbor-bank/live/core-banking/terraform.tfstate',
    ),
  );
  const { byAddress: a, has } = finder(graph);

  it('follows the bastion to the ledger key, and the statements bucket to its key and log bucket', () => {
    expect(
      graph.edges.some(
        e =>
          e.from === INTERNET_ASSET_ID &&
          e.to === a('aws_security_group.bastion'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_instance.bastion'),
        'executes_as',
        a('aws_iam_instance_profile.bastion'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.ledger_operations'),
        'attached_to',
        a('aws_iam_role.bastion'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.ledger_operations'),
        'can_access',
        a('aws_kms_key.ledger'),
      ),
    ).toBe(true);
    expect(
      has(
        a('aws_iam_policy.ledger_operations'),
        'can_access',
        a('aws_db_instance.ledger'),
      ),
    ).toBe(true);
    expect(
      has(
        a('module.statements_bucket.aws_s3_bucket.this'),
        'encrypted_by',
        a('aws_kms_key.documents'),
      ),
    ).toBe(true);
    expect(
      has(
        a('module.statements_bucket.aws_s3_bucket.this'),
        'logs_to',
        a('aws_s3_bucket.trail_logs'),
      ),
    ).toBe(true);
    expect(
      has(a('aws_cloudtrail.org'), 'encrypted_by', a('aws_kms_key.audit')),
    ).toBe(true);
    // Nothing of Harbor's is public but the bastion's SSH.
    expect(graph.edges.filter(e => e.from === INTERNET_ASSET_ID)).toHaveLength(
      1,
    );
  });
});

describe('states of other providers and Terraform versions', () => {
  it.each([
    '110_sensitive_values',
    'config_resource_depends_on',
    'has_changes',
    'no_changes',
  ])(
    'reads %s/terraform.tfstate into assets with their Terraform dependencies',
    name => {
      const file = path.join(corpora, name, 'terraform.tfstate');
      const state = readState(fs.readFileSync(file, 'utf8'));
      const graph = stateToGraph(state);
      const managed = state.resources
        .filter(r => r.mode !== 'data')
        .reduce((n, r) => n + r.instances.length, 0);
      expect(
        graph.assets.filter(x => x.type !== 'terraform_module'),
      ).toHaveLength(managed);
      expect(
        graph.assets.every(
          x => x.provider === 'null' || x.provider === 'terraform',
        ),
      ).toBe(true);
      const declared = state.resources.flatMap(r =>
        r.instances.flatMap(i => i.dependencies ?? []),
      );
      expect(graph.edges.filter(e => e.type === 'depends_on').length > 0).toBe(
        declared.length > 0,
      );
    },
  );
});

describe('readState refuses what it cannot read, saying why', () => {
  it('refuses malformed JSON', () => {
    expect(() =>
      readState(
        fs.readFileSync(path.join(corpora, 'invalid/state.json'), 'utf8'),
      ),
    ).toThrow(/not valid JSON/);
    expect(() => readState('{"version": 4, "resources": [')).toThrow(
      StateFormatError,
    );
  });
  it('refuses `terraform show -json` output and unknown versions', () => {
    expect(() =>
      readState(
        fs.readFileSync(path.join(corpora, 'identity/state.json'), 'utf8'),
      ),
    ).toThrow(/terraform show -json.*not a state file/);
    expect(() => readState('{"version": 3, "modules": []}')).toThrow(
      /version 3 is not supported/,
    );
    expect(() => readState('[]')).toThrow(/not a JSON object/);
    expect(() => readState('{"version": 4}')).toThrow(/no "resources" array/);
    expect(() =>
      readState('{"version": 4, "resources": [{"type": "x"}]}'),
    ).toThrow(/resources\[0\] lacks/);
  });
  it('refuses a file over the size limit', () => {
    expect(() =>
      readState(`{"version":4,"resources":[],"pad":"${'x'.repeat(2000)}"}`, {
        maxBytes: 1000,
      }),
    ).toThrow(/over the limit of 1000/);
  });
});
