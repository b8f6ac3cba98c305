import { corpusPath, readCorpusJson } from '@infra-hub/test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv from 'ajv-draft-04';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInfraScan } from './infraScan';

const repo = path.resolve(
  resolvePackagePath('@infra-hub/plugin-infra-compliance-node'),
  '../..',
);

async function scan(args: string[], cwd = repo) {
  let stdout = '';
  let stderr = '';
  const code = await runInfraScan(args, {
    stdout: t => {
      stdout += t;
    },
    stderr: t => {
      stderr += t;
    },
    cwd,
  });
  return { code, stdout, stderr };
}

function sarifValidator() {
  // The official schema is draft-04 and not strict-clean; formats are not what is checked here.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  return ajv.compile(readCorpusJson('sarif', 'sarif-schema-2.1.0.json'));
}

describe('infra-scan', () => {
  it('writes SARIF for the demo Terraform that validates against the SARIF 2.1.0 schema', async () => {
    expect(corpusPath('sarif', 'sarif-schema-2.1.0.json')).toBeTruthy();
    const { code, stdout } = await scan([
      'examples/terraform',
      '--format',
      'sarif',
      '--fail-on',
      'none',
    ]);
    expect(code).toBe(0);
    const sarif = JSON.parse(stdout);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(
      true,
    );
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('infra-scan');
    expect(run.tool.driver.rules.length).toBeGreaterThanOrEqual(60);
    const ssh = run.tool.driver.rules.find(
      (r: any) => r.id === 'aws-sg-ssh-open',
    );
    expect(ssh.properties['security-severity']).toBe('9.5');
    expect(ssh.properties.controls['nist-800-53-r5']).toContain('sc-7');
    expect(ssh.help.text).toMatch(/0\.0\.0\.0\/0/);
    const result = run.results.find(
      (r: any) => r.ruleId === 'aws-sg-ssh-open' && r.kind === 'fail',
    );
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: expect.objectContaining({
        uri: 'examples/terraform/cartwheel/partner-gateway/main.tf',
      }),
      region: expect.objectContaining({ startLine: 26 }),
    });
  });

  it('names files relative to where it was typed, for a folder or a single file', async () => {
    const file = 'examples/terraform/cartwheel/partner-gateway/main.tf';
    const sarif = JSON.parse(
      (await scan([file, '--format', 'sarif', '--fail-on', 'none'])).stdout,
    );
    const uris = new Set(
      sarif.runs[0].results.map(
        (r: any) => r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    expect([...uris]).toEqual([file]);

    const fromFolder = await scan(
      ['.', '--fail-on', 'none'],
      path.join(repo, 'examples/terraform'),
    );
    expect(fromFolder.stdout).toMatch(
      /aws-sg-ssh-open {2}cartwheel\/partner-gateway\/main\.tf:26 cartwheel\/partner-gateway\/aws_security_group\.admin/,
    );
    expect(fromFolder.stdout).toMatch(
      /^infra-scan: \.: \d+ resources in \d+ files/m,
    );
  });

  it('fails by severity: 1 when a rule at or above --fail-on fails, 0 when none does', async () => {
    const plan = 'examples/terraform/cartwheel/plans/partner-gateway.plan.json';
    const high = await scan([plan]);
    expect(high.code).toBe(1);
    expect(high.stdout).toMatch(
      /CRITICAL aws-rds-instance-public +aws_db_instance\.partners/,
    );
    expect(high.stdout).toMatch(
      /CRITICAL aws-sg-ssh-open +aws_security_group\.admin/,
    );
    expect(high.stdout).toMatch(
      /HIGH +aws-s3-bucket-encryption +aws_s3_bucket\.exports/,
    );
    expect((await scan([plan, '--fail-on', 'none'])).code).toBe(0);

    const json = await scan([
      plan,
      '--format',
      'json',
      '--fail-on',
      'critical',
    ]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ input: 'plan', resources: 3 });
    expect(report.results.every((r: any) => r.status !== 'pass')).toBe(true);

    const sarif = await scan([plan, '--format', 'sarif', '--fail-on', 'none']);
    const log = JSON.parse(sarif.stdout);
    expect(sarifValidator()(log)).toBe(true);
    const db = log.runs[0].results.find(
      (r: any) => r.ruleId === 'aws-rds-instance-public',
    );
    expect(db.locations[0].physicalLocation.artifactLocation.uri).toBe(plan);
    expect(db.locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'aws_db_instance.partners',
    );
  });

  it('exits 2 naming the file and line for bad HCL, a bad pack or a wrong plan', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'main.tf'),
        'resource "aws_s3_bucket" "a" {\n  acl = \n}\n',
      );
      const hcl = await scan([dir]);
      expect(hcl).toMatchObject({ code: 2, stdout: '' });
      expect(hcl.stderr).toMatch(/^infra-scan: main\.tf:2: Invalid expression/);

      fs.writeFileSync(
        path.join(dir, 'pack.yaml'),
        'apiVersion: infra-hub.io/v1alpha1\nkind: RulePack\nmetadata: {name: x}\nrules: [\n',
      );
      const pack = await scan([
        'examples/terraform',
        '--pack',
        path.join(dir, 'pack.yaml'),
      ]);
      expect(pack.code).toBe(2);
      expect(pack.stderr).toMatch(/pack\.yaml:\d+: not valid YAML/);

      fs.writeFileSync(
        path.join(dir, 'state.json'),
        fs.readFileSync(
          path.join(
            repo,
            'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
          ),
        ),
      );
      const state = await scan([path.join(dir, 'state.json')]);
      expect(state.code).toBe(2);
      expect(state.stderr).toMatch(/format_version|not a plan|not supported/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const usage = await scan(['--format', 'xml', 'examples/terraform']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /--format must be text, json or sarif, not xml/,
    );
    expect((await scan(['no/such/dir'])).stderr).toMatch(
      /no such file or directory/,
    );
  });
});
