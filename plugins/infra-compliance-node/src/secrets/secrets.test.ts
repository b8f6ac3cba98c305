import { readCorpusJson } from '@infra-hub/test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv from 'ajv-draft-04';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInfraSecrets } from '../cli/infraSecrets';
import { scanSecretsInText, scanSecretsPath, secretFingerprint } from './index';

const repo = path.resolve(
  resolvePackagePath('@infra-hub/plugin-infra-compliance-node'),
  '../..',
);
const storefront = path.join(
  repo,
  'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
);
const salt = 'test-salt';

// Secrets planted in the tests below: realistic shapes, none real.
const DB_PASSWORD = 'Vq7#pL2m!xR9sT4w';
const GITHUB_TOKEN = 'ghp_Q8zN3kW7pR2sV5xY9bC1dF4gH6jL0mT3uE8a';
const AWS_SECRET = 'Tj8kH3mN9pQ2rS5tU7vW1xY4zA6bC8dE0fG2hI4j';
const PRIVATE_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFv1sLr7Ge4bgJ9ZGvFQp9WmFhCjR2SxYbu8Ik1fP3g5hQ2tdXjUvEZM4a8kKqLn',
  '-----END RSA PRIVATE KEY-----',
  '',
].join('\n');
const RANDOM_RESULT = 'x9$Kp2!vQ7#mZ4@rT8&wL5';

/** Asserts no planted value appears anywhere in what the scanner returned. */
function expectNoValues(output: unknown) {
  const text = JSON.stringify(output);
  for (const v of [
    DB_PASSWORD,
    GITHUB_TOKEN,
    AWS_SECRET,
    'MIIEpAIBAAKCAQEA0Z3VS5JJcds3',
    RANDOM_RESULT,
    'demo-only-orders-db-password',
  ])
    expect(text).not.toContain(v);
}

function lineOf(text: string, needle: string) {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

const state = (resources: unknown[], outputs: unknown = {}) =>
  JSON.stringify(
    {
      version: 4,
      terraform_version: '1.9.8',
      serial: 3,
      lineage: '7d2c9a1e-4b8f-4e0a-9c6d-1f2e3a4b5c6d',
      outputs,
      resources,
    },
    null,
    2,
  );

describe('the secret scanner', () => {
  it("finds the demo state's database password by resource, attribute and line, without the value", async () => {
    const text = fs.readFileSync(storefront, 'utf8');
    const scan = await scanSecretsInText('terraform.tfstate', text, { salt });
    expect(scan.source).toBe('state');
    const password = scan.findings.find(f => f.attribute === 'password');
    expect(password).toMatchObject({
      source: 'state',
      file: 'terraform.tfstate',
      line: lineOf(text, '"password": "demo-only-orders-db-password"'),
      severity: 'high',
      fingerprint: secretFingerprint(salt, 'demo-only-orders-db-password'),
    });
    expect(password!.address).toMatch(/aws_db_instance\./);
    expect(['tf-state-sensitive-value', 'tf-secret-attribute']).toContain(
      password!.ruleId,
    );
    expectNoValues(scan);
    // The fingerprint depends on the salt: another installation cannot match it.
    const other = await scanSecretsInText('terraform.tfstate', text, {
      salt: 'other',
    });
    expect(
      other.findings.find(f => f.attribute === 'password')!.fingerprint,
    ).not.toBe(password!.fingerprint);
  });

  it('reads what Terraform keeps in state: sensitive paths, provider secrets, keys, generated passwords, sensitive outputs; not the decoys', async () => {
    const text = state(
      [
        {
          mode: 'managed',
          type: 'tls_private_key',
          name: 'deploy',
          provider: 'provider["registry.terraform.io/hashicorp/tls"]',
          instances: [
            {
              schema_version: 1,
              attributes: {
                algorithm: 'RSA',
                private_key_pem: PRIVATE_KEY,
                public_key_openssh: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDR',
                id: 'f1d2d2f924e986ac86fdf7b36c94bcdf32beec15',
              },
              sensitive_attributes: [],
            },
          ],
        },
        {
          mode: 'managed',
          type: 'random_password',
          name: 'db',
          provider: 'provider["registry.terraform.io/hashicorp/random"]',
          instances: [
            {
              schema_version: 3,
              attributes: {
                id: 'none',
                length: 22,
                result: RANDOM_RESULT,
              },
              sensitive_attributes: [],
            },
          ],
        },
        {
          mode: 'managed',
          type: 'aws_rds_cluster',
          name: 'ledger',
          module: 'module.data',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              index_key: 'eu',
              attributes: {
                arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:ledger',
                master_password: DB_PASSWORD,
                cluster_resource_id: 'cluster-ABCDEFGHIJKLMNOPQRSTUV1234',
                etag: 'd41d8cd98f00b204e9800998ecf8427e',
                kms_key_id:
                  'arn:aws:kms:eu-west-1:123456789012:key/0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f',
                tags: { Owner: 'team-ledger' },
              },
              sensitive_attributes: [
                [{ type: 'get_attr', value: 'master_password' }],
              ],
            },
          ],
        },
        {
          mode: 'managed',
          type: 'aws_s3_bucket',
          name: 'logs',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              attributes: {
                bucket: 'ledger-logs-0b6f9f61',
                id: '0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f',
                hosted_zone_id: 'Z1BKCTXD74EZPE',
                bucket_regional_domain_name:
                  'ledger-logs.s3.eu-west-1.amazonaws.com',
              },
              sensitive_attributes: [],
            },
          ],
        },
      ],
      { db_password: { value: DB_PASSWORD, type: 'string', sensitive: true } },
    );
    const scan = await scanSecretsInText('prod.tfstate', text, { salt });
    const got = scan.findings.map(f => [f.ruleId, f.address, f.attribute]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['private-key', 'tls_private_key.deploy', 'private_key_pem'],
        ['tf-secret-attribute', 'random_password.db', 'result'],
        [
          'tf-state-sensitive-value',
          'module.data.aws_rds_cluster.ledger["eu"]',
          'master_password',
        ],
        ['tf-sensitive-output', 'output.db_password', undefined],
      ]),
    );
    // Nothing of the bucket, the ids, the hashes, the ARNs.
    expect(
      scan.findings.filter(f => f.address === 'aws_s3_bucket.logs'),
    ).toEqual([]);
    expect(scan.findings.map(f => f.attribute)).not.toContain('etag');
    expect(scan.findings.map(f => f.attribute)).not.toContain('kms_key_id');
    // The key's JSON-escaped newlines hide it from secretlint; the state reader finds it.
    const key = scan.findings.find(f => f.ruleId === 'private-key')!;
    expect(key.line).toBe(lineOf(text, '"private_key_pem"'));
    // The same password in the cluster and the output: one fingerprint.
    const fps = scan.findings
      .filter(
        f =>
          f.attribute === 'master_password' ||
          f.address === 'output.db_password',
      )
      .map(f => f.fingerprint);
    expect(new Set(fps).size).toBe(1);
    expectNoValues(scan);
  });

  it('reads plans: sensitive variables, sensitive after values, planned values', async () => {
    const plan = {
      format_version: '1.2',
      terraform_version: '1.9.8',
      variables: {
        db_password: { value: DB_PASSWORD },
        region: { value: 'eu-west-1' },
        github_token: { value: GITHUB_TOKEN },
      },
      configuration: {
        root_module: { variables: { db_password: { sensitive: true } } },
      },
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_db_instance.orders',
              mode: 'managed',
              type: 'aws_db_instance',
              name: 'orders',
              values: { password: DB_PASSWORD, engine: 'postgres' },
              sensitive_values: { password: true },
            },
          ],
        },
      },
      resource_changes: [
        {
          address: 'aws_db_instance.orders',
          mode: 'managed',
          type: 'aws_db_instance',
          name: 'orders',
          change: {
            actions: ['create'],
            before: null,
            after: { password: DB_PASSWORD, engine: 'postgres' },
            after_sensitive: { password: true },
          },
        },
      ],
    };
    const text = JSON.stringify(plan, null, 2);
    const scan = await scanSecretsInText('plan.json', text, { salt });
    expect(scan.source).toBe('plan');
    const got = scan.findings.map(f => [f.ruleId, f.address, f.line]);
    expect(got).toEqual(
      expect.arrayContaining([
        ['tf-sensitive-variable', 'var.db_password', lineOf(text, DB_PASSWORD)],
        [
          'tf-state-sensitive-value',
          'aws_db_instance.orders',
          expect.any(Number),
        ],
        // Found by its name and by secretlint: one finding, the Terraform-aware one.
        ['tf-hardcoded-secret', 'var.github_token', lineOf(text, GITHUB_TOKEN)],
      ]),
    );
    expect(
      scan.findings.filter(f => f.line === lineOf(text, GITHUB_TOKEN)),
    ).toHaveLength(1);
    expect(scan.findings.map(f => f.address)).not.toContain('var.region');
    expectNoValues(scan);
  });

  it('reads code and tfvars: literals in secret places, sensitive defaults, keys; not references or examples', async () => {
    const code = `
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "${AWS_SECRET}"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "${DB_PASSWORD}"
}

resource "aws_db_instance" "orders" {
  engine   = "postgres"
  password = var.db_password
}

resource "aws_db_instance" "legacy" {
  engine   = "mysql"
  password = "${DB_PASSWORD}x"
}

resource "aws_s3_bucket" "b" {
  bucket = "orders-0b6f9f61-3f5c-4a55-9e7e-8a1f3c2d4e5f"
}
`;
    const scan = await scanSecretsInText('main.tf', code, { salt });
    expect(scan.source).toBe('code');
    const got = scan.findings.map(f => [
      f.ruleId,
      f.address,
      f.attribute,
      f.line,
    ]);
    expect(got).toEqual(
      expect.arrayContaining([
        [
          'tf-hardcoded-secret',
          'provider.aws',
          'secret_key',
          lineOf(code, 'secret_key'),
        ],
        [
          'tf-hardcoded-secret',
          'var.db_password',
          undefined,
          lineOf(code, 'default'),
        ],
        [
          'tf-hardcoded-secret',
          'aws_db_instance.legacy',
          'password',
          lineOf(code, `"${DB_PASSWORD}x"`),
        ],
      ]),
    );
    // A reference is not a secret; AWS's documented example key is not one either.
    expect(scan.findings.map(f => f.address)).not.toContain(
      'aws_db_instance.orders',
    );
    expect(scan.findings.map(f => f.attribute)).not.toContain('access_key');
    expect(scan.findings.map(f => f.address)).not.toContain('aws_s3_bucket.b');

    const tfvars = `region = "eu-west-1"\napi_token = "${GITHUB_TOKEN}"\n`;
    const vars = await scanSecretsInText('prod.tfvars', tfvars, { salt });
    expect(vars.findings.map(f => [f.ruleId, f.address, f.line])).toEqual(
      expect.arrayContaining([['tf-hardcoded-secret', 'var.api_token', 2]]),
    );
    expectNoValues([scan, vars]);
  });

  it('reads code that does not parse, says why a state is not read as one, and skips binary and oversized files', async () => {
    // No closing brace: still read, line by line.
    const broken = `resource "aws_db_instance" "x" {\n  password = "${DB_PASSWORD}"\n  tags = { Owner = "a", token = "${GITHUB_TOKEN}" }\n`;
    const scan = await scanSecretsInText('broken.tf', broken, { salt });
    expect(scan.findings.map(f => [f.ruleId, f.line, f.attribute])).toEqual([
      ['tf-hardcoded-secret', 2, 'password'],
      // An inline map's pairs are named by their own key.
      ['tf-hardcoded-secret', 3, 'token'],
    ]);
    expectNoValues(scan);
    const notJson = await scanSecretsInText(
      'x.tfstate',
      `{"version": 4, ${GITHUB_TOKEN}`,
      { salt },
    );
    expect(notJson.warning).toMatch(/^not JSON/);
    expect(notJson.findings.map(f => f.ruleId)).toEqual(['secretlint/github']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-secrets-'));
    fs.writeFileSync(
      path.join(dir, 'logo.png'),
      Buffer.from([0x89, 0x50, 0, 0, 1]),
    );
    fs.writeFileSync(
      path.join(dir, 'big.tfstate'),
      'x'.repeat(2 * 1024 * 1024),
    );
    fs.mkdirSync(path.join(dir, '.terraform'));
    fs.writeFileSync(path.join(dir, '.terraform', 'cached.tf'), broken);
    fs.writeFileSync(path.join(dir, 'notes.md'), `token: ${GITHUB_TOKEN}\n`);
    const report = await scanSecretsPath(dir, { salt, maxBytes: 1024 * 1024 });
    expect(report.skipped).toEqual([
      {
        file: 'big.tfstate',
        reason: '2 MB is over the 1 MB limit (--max-megabytes)',
      },
      { file: 'logo.png', reason: 'binary' },
    ]);
    expect(report.files).toBe(1);
    expect(report.findings.map(f => [f.file, f.ruleId])).toEqual([
      ['notes.md', 'secretlint/github'],
    ]);
  });
});

describe('infra-secrets', () => {
  async function run(args: string[], cwd: string) {
    let stdout = '';
    let stderr = '';
    const code = await runInfraSecrets(
      args,
      {
        stdout: t => {
          stdout += t;
        },
        stderr: t => {
          stderr += t;
        },
        cwd,
      },
      {},
    );
    return { code, stdout, stderr };
  }

  it('writes SARIF that validates, with fingerprints and lines but no values; exits by severity', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-secrets-cli-'));
    fs.copyFileSync(storefront, path.join(dir, 'terraform.tfstate'));
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      `resource "aws_db_instance" "x" {\n  password = "${DB_PASSWORD}"\n}\n`,
    );
    const sarif = await run(['.', '--format', 'sarif', '--salt', salt], dir);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: false,
    });
    const validate = ajv.compile(
      readCorpusJson('sarif', 'sarif-schema-2.1.0.json'),
    );
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(
      true,
    );
    const results = log.runs[0].results;
    expect(
      results.map(
        (r: any) => r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    ).toEqual(expect.arrayContaining(['main.tf', 'terraform.tfstate']));
    expect(
      results.every((r: any) =>
        /^[0-9a-f]{32}$/.test(r.partialFingerprints['infraHubSecret/v1']),
      ),
    ).toBe(true);
    expectNoValues(sarif.stdout);

    expect(
      (await run(['.', '--fail-on', 'critical', '--salt', salt], dir)).code,
    ).toBe(0);
    const text = await run(['main.tf', '--fail-on', 'none'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^HIGH {5}tf-hardcoded-secret {2}main\.tf:2 aws_db_instance\.x password/m,
    );
    expectNoValues(text.stdout);
  });

  it('refuses bad usage with exit 2', async () => {
    const dir = os.tmpdir();
    for (const args of [
      [],
      ['--format', 'xml', '.'],
      ['--fail-on', 'sometimes', '.'],
      ['--max-megabytes', '0', '.'],
      ['no-such-dir'],
    ]) {
      const r = await run(args, dir);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/^infra-secrets: /);
    }
  });
});
