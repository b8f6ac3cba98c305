import fs from 'node:fs';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { PlanFormatError } from '@infra-hub/plugin-infra-change-common';
import { evaluateResources } from '../engine/evaluate';
import { builtInPacksDirectory, loadRuleSet } from '../packs/load';
import { planResourcesFromText } from './plan';

const ruleSet = loadRuleSet([builtInPacksDirectory()]);
const examples = path.resolve(
  resolvePackagePath('@infra-hub/plugin-infra-compliance-node'),
  '../../examples/terraform',
);
const read = (file: string) =>
  fs.readFileSync(path.join(examples, file), 'utf8');

describe('a plan', () => {
  it('creating a public unencrypted database, an unencrypted bucket and open SSH is flagged for each', () => {
    const resources = planResourcesFromText(
      read('cartwheel/plans/partner-gateway.plan.json'),
    );
    expect(resources.map(r => r.address).sort()).toEqual([
      'aws_db_instance.partners',
      'aws_s3_bucket.exports',
      'aws_security_group.admin',
    ]);
    const failed = evaluateResources(ruleSet.rules, resources)
      .filter(r => r.status === 'fail')
      .map(r => `${r.ruleId} ${r.address} ${r.severity}`);
    expect(failed).toEqual(
      expect.arrayContaining([
        'aws-rds-instance-public aws_db_instance.partners critical',
        'aws-rds-instance-encrypted aws_db_instance.partners high',
        'aws-s3-bucket-encryption aws_s3_bucket.exports high',
        'aws-s3-bucket-public-access-block aws_s3_bucket.exports high',
        'aws-sg-ssh-open aws_security_group.admin critical',
      ]),
    );
  });

  it('reports what the configuration sets to a value known only after apply as unknown', () => {
    const plan = JSON.parse(read('cartwheel/plans/partner-gateway.plan.json'));
    const db = plan.resource_changes.find(
      (r: any) => r.address === 'aws_db_instance.partners',
    );
    db.change.after.storage_encrypted = null;
    db.change.after_unknown.storage_encrypted = true;
    const config = plan.configuration.root_module.resources.find(
      (r: any) => r.address === 'aws_db_instance.partners',
    );
    config.expressions.storage_encrypted = { references: ['var.encrypt'] };
    const results = evaluateResources(
      ruleSet.rules,
      planResourcesFromText(JSON.stringify(plan)),
    );
    expect(
      results.find(r => r.ruleId === 'aws-rds-instance-encrypted'),
    ).toMatchObject({
      status: 'unknown',
      message: 'storage_encrypted is known only after apply',
    });
  });

  it('only the changes it introduces are evaluated (no-op and deleted resources are not)', () => {
    const resources = planResourcesFromText(
      read('harbor-bank/plans/core-banking.plan.json'),
    );
    const plan = JSON.parse(read('harbor-bank/plans/core-banking.plan.json'));
    const introduced = plan.resource_changes
      .filter(
        (r: any) =>
          r.mode === 'managed' &&
          (r.change.actions.includes('create') ||
            r.change.actions.includes('update')),
      )
      .map((r: any) => r.address);
    expect(resources.map(r => r.address)).toEqual(introduced);
  });

  it('of the wrong format is refused naming why', () => {
    expect(() => planResourcesFromText('{"format_version":"1.2"}')).toThrow(
      PlanFormatError,
    );
    expect(() =>
      planResourcesFromText(
        read('cartwheel/live/storefront-prod/terraform.tfstate'),
      ),
    ).toThrow(/no format_version|not a plan|not supported/);
    expect(() => planResourcesFromText('not json')).toThrow(
      /The plan is not JSON/,
    );
  });
});
