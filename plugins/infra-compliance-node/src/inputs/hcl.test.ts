import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateResources } from '../engine/evaluate';
import { builtInPacksDirectory, loadRuleSet } from '../packs/load';
import {
  hclResources,
  HclError,
  resourceLines,
  resourceReferences,
  scanDirectory,
} from './hcl';

const ruleSet = loadRuleSet([builtInPacksDirectory()]);
const statusOf = (
  results: ReturnType<typeof evaluateResources>,
  ruleId: string,
  address: string,
) => results.find(r => r.ruleId === ruleId && r.address === address)?.status;

const MAIN = `resource "aws_s3_bucket" "logs" {
  bucket = "demo-logs"
}

resource "aws_s3_bucket" "plain" {
  bucket = "demo-plain"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_db_instance" "orders" {
  engine              = "postgres"
  publicly_accessible = true
  storage_encrypted   = var.encrypt
}

resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

describe('Terraform code', () => {
  it('is evaluated with file and line, relations followed and variables unknown', async () => {
    const resources = await hclResources(MAIN, 'main.tf');
    expect(resources.map(r => [r.address, r.location?.line])).toEqual([
      ['aws_s3_bucket.logs', 1],
      ['aws_s3_bucket.plain', 5],
      ['aws_s3_bucket_server_side_encryption_configuration.logs', 9],
      ['aws_db_instance.orders', 18],
      ['aws_security_group.ssh', 24],
    ]);
    const results = evaluateResources(ruleSet.rules, resources);
    // The encryption configuration points at the bucket by reference: it counts.
    expect(
      statusOf(results, 'aws-s3-bucket-encryption', 'aws_s3_bucket.logs'),
    ).toBe('pass');
    expect(
      statusOf(results, 'aws-s3-bucket-encryption', 'aws_s3_bucket.plain'),
    ).toBe('fail');
    expect(
      statusOf(results, 'aws-rds-instance-public', 'aws_db_instance.orders'),
    ).toBe('fail');
    // A variable's value is not known from the code: unknown, not passing.
    const encrypted = results.find(
      r =>
        r.ruleId === 'aws-rds-instance-encrypted' &&
        r.address === 'aws_db_instance.orders',
    );
    expect(encrypted).toMatchObject({
      status: 'unknown',
      message: 'storage_encrypted is known only after apply',
      location: { file: 'main.tf', line: 18 },
    });
    expect(statusOf(results, 'aws-sg-ssh-open', 'aws_security_group.ssh')).toBe(
      'fail',
    );
    expect(statusOf(results, 'aws-sg-rdp-open', 'aws_security_group.ssh')).toBe(
      'pass',
    );
  });

  it('does not fail a rule on a related resource whose values are known only after apply', async () => {
    const resources = await hclResources(
      `resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Statement = [] })
}
resource "aws_s3_bucket" "c" {
  bucket = "c"
}
`,
      'main.tf',
    );
    const results = evaluateResources(ruleSet.rules, resources);
    const secure = results.find(
      r =>
        r.ruleId === 'aws-s3-bucket-secure-transport' &&
        r.address === 'aws_s3_bucket.b',
    );
    expect(secure).toMatchObject({
      status: 'unknown',
      message:
        'aws_s3_bucket_policy.b has values known only after apply (policy)',
    });
    // Without a policy at all, it fails.
    expect(
      statusOf(results, 'aws-s3-bucket-secure-transport', 'aws_s3_bucket.c'),
    ).toBe('fail');
  });

  it('that is malformed is refused with its file and line', async () => {
    const error = await hclResources(
      'resource "aws_s3_bucket" "a" {\n  bucket = \n}\n',
      'broken.tf',
    ).catch(e => e);
    expect(error).toBeInstanceOf(HclError);
    expect(error.message).toMatch(/^broken\.tf:2: Invalid expression/);
  });

  it('is read from a directory, each folder a module with its own addresses', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.tf'), MAIN);
      fs.mkdirSync(path.join(dir, 'modules', 'bucket'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'modules', 'bucket', 'main.tf'),
        'resource "aws_s3_bucket" "logs" {\n  bucket = var.name\n}\n',
      );
      fs.mkdirSync(path.join(dir, '.terraform'));
      fs.writeFileSync(path.join(dir, '.terraform', 'x.tf'), 'not = [hcl');
      const { files, resources } = await scanDirectory(dir);
      expect(files).toBe(2);
      const moduleBucket = resources.find(
        r => r.address === 'modules/bucket/aws_s3_bucket.logs',
      );
      expect(moduleBucket?.location).toEqual({
        file: 'modules/bucket/main.tf',
        line: 1,
      });
      const results = evaluateResources(ruleSet.rules, resources);
      // The root's encryption configuration does not reach the module's bucket of the same name.
      expect(
        statusOf(
          results,
          'aws-s3-bucket-encryption',
          'modules/bucket/aws_s3_bucket.logs',
        ),
      ).toBe('fail');
      expect(
        statusOf(results, 'aws-s3-bucket-encryption', 'aws_s3_bucket.logs'),
      ).toBe('pass');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('references and block lines are read in one pass', () => {
    expect(
      resourceReferences(
        '${aws_s3_bucket.logs.id}-${var.x}-${data.aws_iam_policy.p.arn}-${module.m.out}',
      ),
    ).toEqual(['aws_s3_bucket.logs']);
    expect(resourceReferences('plain text aws_s3_bucket.logs')).toEqual([]);
    expect(
      resourceLines(
        '# c\nresource "a_b" "x" {\n}\n  resource  "c_d"  "y" {}\nresource "bad" {\n',
      ),
    ).toEqual(
      new Map([
        ['a_b.x', 2],
        ['c_d.y', 4],
      ]),
    );
    // Long hostile lines stay linear: a million quotes is one pass.
    const hostile = `resource "${'x'.repeat(1_000_000)}`;
    expect(resourceLines(hostile).size).toBe(0);
  });
});
