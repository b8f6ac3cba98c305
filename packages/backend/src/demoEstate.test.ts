import { parse as parseHcl } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

// The demo estate is what later features ingest (discovery reads the state files, drift the
// plans, golden paths the modules): these tests hold it to the formats Terraform writes.
const examples = path.resolve(__dirname, '../../../examples');
const tenants = ['cartwheel', 'harbor-bank'];

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function filesUnder(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith(suffix))
    .map(e => path.join(e.parentPath, e.name));
}

/** The tenant's AWS stack (beside it: an Azure or Google state, see examples/README.md). */
const AWS_STACK: Record<string, string> = {
  cartwheel: 'storefront-prod',
  'harbor-bank': 'core-banking',
};
function awsState(root: string, tenant: string) {
  return path.join(root, 'live', AWS_STACK[tenant], 'terraform.tfstate');
}

function stateAddress(r: { module?: string; type: string; name: string }) {
  return `${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`;
}

describe.each(tenants)('demo estate of tenant %s', tenant => {
  const root = path.join(examples, 'terraform', tenant);

  it('has a Terraform state (format version 4) with security-relevant AWS resources', () => {
    const stateFile = awsState(root, tenant);
    expect(stateFile).toBeDefined();
    const state = readJson(stateFile);
    expect(state.version).toBe(4);
    expect(state.terraform_version).toMatch(/^1\.\d+\.\d+$/);
    expect(state.lineage).toMatch(/^[0-9a-f-]{36}$/);
    const types = new Set(state.resources.map((r: { type: string }) => r.type));
    for (const type of [
      'aws_iam_role',
      'aws_iam_policy',
      'aws_iam_role_policy_attachment',
      'aws_iam_instance_profile',
      'aws_lambda_function',
      'aws_s3_bucket',
      'aws_kms_key',
      'aws_cloudtrail',
      'aws_security_group',
      'aws_db_instance',
    ]) {
      expect(types).toContain(type);
    }
    const addresses = new Set(state.resources.map(stateAddress));
    for (const r of state.resources) {
      expect(r.mode).toBe('managed');
      expect(r.provider).toBe(
        'provider["registry.terraform.io/hashicorp/aws"]',
      );
      expect(r.instances).toHaveLength(1);
      const [instance] = r.instances;
      expect(typeof instance.attributes.id).toBe('string');
      // Every dependency names a resource of the same state.
      for (const dep of instance.dependencies ?? []) {
        expect(addresses).toContain(dep);
      }
    }
  });

  it('wires its relationships through real attribute values', () => {
    const stateFile = awsState(root, tenant);
    const state = readJson(stateFile);
    const all = state.resources.map(
      (r: { type: string; instances: Array<{ attributes: any }> }) => ({
        type: r.type,
        attrs: r.instances[0].attributes,
      }),
    );
    const values = (type: string, key: string) =>
      new Set<string>(
        all.filter((r: any) => r.type === type).map((r: any) => r.attrs[key]),
      );
    const roleArns = values('aws_iam_role', 'arn');
    const roleNames = values('aws_iam_role', 'name');
    const keyArns = values('aws_kms_key', 'arn');
    const buckets = values('aws_s3_bucket', 'bucket');
    const profiles = values('aws_iam_instance_profile', 'name');
    // [what refers, what it refers to, the set it must be in]
    const references: Array<[string, string, Set<string>]> = [];
    const refer = (type: string, key: string, set: Set<string>) =>
      all
        .filter((r: any) => r.type === type)
        .forEach((r: any) =>
          references.push([`${type}.${key}`, r.attrs[key], set]),
        );
    refer('aws_lambda_function', 'role', roleArns);
    refer('aws_lambda_function', 'kms_key_arn', keyArns);
    refer('aws_iam_instance_profile', 'role', roleNames);
    refer('aws_instance', 'iam_instance_profile', profiles);
    refer('aws_cloudtrail', 's3_bucket_name', buckets);
    refer('aws_cloudtrail', 'kms_key_id', keyArns);
    refer('aws_db_instance', 'kms_key_id', keyArns);
    expect(references.length).toBeGreaterThanOrEqual(7);
    const dangling = references.filter(([, value, set]) => !set.has(value));
    expect(dangling).toEqual([]);
    for (const policy of all.filter((r: any) => r.type === 'aws_iam_policy')) {
      expect(JSON.parse(policy.attrs.policy).Statement.length).toBeGreaterThan(
        0,
      );
    }
    // At least one instance is reachable from the internet.
    const openIngress = all.some(
      (r: any) =>
        r.type === 'aws_security_group' &&
        r.attrs.ingress.some((i: any) => i.cidr_blocks.includes('0.0.0.0/0')),
    );
    expect(openIngress).toBe(true);
  });

  it('has a `terraform show -json` plan with drifted resources', () => {
    // The AWS stack's plan (beside it, Cartwheel has a proposed change: partner-gateway).
    const planFile = path.join(root, 'plans', `${AWS_STACK[tenant]}.plan.json`);
    const plan = readJson(planFile);
    expect(plan.format_version).toMatch(/^1\./);
    expect(plan.resource_drift.length).toBeGreaterThan(0);
    const stateFile = awsState(root, tenant);
    const addresses = new Set(readJson(stateFile).resources.map(stateAddress));
    for (const drift of plan.resource_drift) {
      expect(addresses).toContain(drift.address);
      expect(drift.change.actions).toEqual(['update']);
      expect(drift.change.before).not.toEqual(drift.change.after);
    }
    const changed = plan.resource_changes.filter(
      (c: any) => c.change.actions.join() !== 'no-op',
    );
    expect(changed.length).toBeGreaterThan(0);
    for (const c of plan.resource_changes) {
      expect(addresses).toContain(c.address);
    }
    expect(
      plan.prior_state.values.root_module.resources.length,
    ).toBeGreaterThan(0);
    expect(
      Object.keys(plan.configuration.root_module.module_calls),
    ).toHaveLength(1);
  });

  it('has a module directory whose .tf files parse as HCL', async () => {
    const tfFiles = filesUnder(path.join(root, 'modules'), '.tf');
    expect(tfFiles.length).toBeGreaterThanOrEqual(3);
    const merged: Record<string, any> = {};
    for (const file of tfFiles) {
      const parsed = await parseHcl(file, fs.readFileSync(file, 'utf8'));
      Object.assign(merged, parsed);
    }
    expect(Object.keys(merged.resource ?? {})).toContain('aws_s3_bucket');
    expect(merged.variable).toHaveProperty('bucket_name');
    expect(merged.terraform[0].required_providers[0].aws.source).toBe(
      'hashicorp/aws',
    );
  });
});

describe('demo catalog', () => {
  it('annotates every tenant entity with its tenant and names the tenant in its domain', () => {
    for (const tenant of tenants) {
      const docs = yaml.loadAll(
        fs.readFileSync(
          path.join(examples, 'tenants', `${tenant}.yaml`),
          'utf8',
        ),
      ) as Array<{
        kind: string;
        metadata: { annotations?: Record<string, string> };
      }>;
      expect(docs.filter(d => d.kind === 'Domain')).toHaveLength(1);
      for (const doc of docs) {
        expect(doc.metadata.annotations?.['infra-hub.io/tenant']).toBe(tenant);
      }
      // Annotated paths point at files that exist: states from the repository's root, module
      // folders from the catalog file (as the catalog resolves them).
      const at = (key: string, base: string) =>
        docs
          .map(doc => doc.metadata.annotations?.[key])
          .filter((value): value is string => Boolean(value))
          .map(p => path.join(base, p));
      const paths = [
        ...at('infra-hub.io/terraform-state', path.join(examples, '..')),
        ...at(
          'infra-hub.io/terraform-module-path',
          path.join(examples, 'tenants'),
        ),
      ];
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter(p => !fs.existsSync(p))).toEqual([]);
    }
  });
});
