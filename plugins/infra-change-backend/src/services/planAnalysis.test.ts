import fs from 'node:fs';
import path from 'node:path';
import { parsePlan } from '@infra-hub/plugin-infra-change-common';
import { analyzePlan, diffAttributes } from './planAnalysis';

const repo = path.resolve(__dirname, '../../../..');
const corpus = path.join(__dirname, '__fixtures__/terraform-json');
const read = (file: string) => fs.readFileSync(file, 'utf8');
const demo = (tenant: string, name: string) =>
  read(path.join(repo, 'examples/terraform', tenant, 'plans', name));

describe('parsePlan', () => {
  it("reads every format 1.x plan of HashiCorp's corpus and refuses the others, naming why", () => {
    const read1x: string[] = [];
    const refused: Record<string, string> = {};
    for (const dir of fs.readdirSync(corpus).sort()) {
      const file = path.join(corpus, dir, 'plan.json');
      if (!fs.existsSync(file)) continue;
      try {
        analyzePlan(parsePlan(read(file)));
        read1x.push(dir);
      } catch (e) {
        refused[dir] = (e as Error).message;
      }
    }
    expect(read1x).toEqual([
      '110_basic',
      '120_basic',
      'action_reason',
      'actions',
      'has_checks',
      'identity',
      'moved_block',
      'numerics',
    ]);
    expect(refused.basic).toBe(
      'Plan format version 0.1 is not supported (1.x is)',
    );
    expect(refused.invalid).toMatch(/^The plan is not JSON: /);
  });

  it('refuses state files, other JSON and malformed resource changes', () => {
    expect(() =>
      parsePlan(
        read(
          path.join(
            repo,
            'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
          ),
        ),
      ),
    ).toThrow(/no format_version|not a plan/);
    expect(() => parsePlan('{"format_version":"1.2","values":{}}')).toThrow(
      /This is not a plan/,
    );
    expect(() => parsePlan('[]')).toThrow(/must be a JSON object/);
    expect(() =>
      parsePlan(
        '{"format_version":"1.2","resource_changes":[{"address":"x"}]}',
      ),
    ).toThrow(/resource_changes\[0\] is not a resource change/);
  });
});

describe('analyzePlan', () => {
  it("finds the Cartwheel demo plan's drift with attribute differences and ranks it", () => {
    const { summary, drift } = analyzePlan(
      parsePlan(demo('cartwheel', 'storefront-prod.plan.json')),
    );
    expect(summary.drifted).toBe(3);
    expect(drift.map(d => d.address).sort()).toEqual([
      'aws_instance.web',
      'aws_s3_bucket_public_access_block.order_exports',
      'aws_security_group.web',
    ]);
    expect(summary.counts).toMatchObject({ update: 4, noop: 29, delete: 0 });
    expect(['high', 'critical']).toContain(summary.risk);
    const pab = drift.find(d => d.address.includes('public_access_block'))!;
    expect(pab.reasons[0]).toMatch(/turns off public access blocking/);
    expect(pab.changes.length).toBeGreaterThan(0);
    for (const c of pab.changes) expect(c.path).not.toBe('');
    // Deterministic: the same plan, the same summary.
    expect(
      analyzePlan(parsePlan(demo('cartwheel', 'storefront-prod.plan.json')))
        .summary,
    ).toEqual(summary);
    expect(summary.text.split('\n').slice(0, 4)).toEqual([
      'Terraform 1.9.8, plan format 1.2',
      'Changes: 0 to create, 4 to update, 0 to delete, 0 to replace (29 unchanged)',
      expect.stringMatching(/^Drift: 3 resources changed outside Terraform \(/),
      `Risk: ${summary.risk}`,
    ]);
  });

  it('ranks deletions of data stores, IAM, exposure and turned-off logging and encryption', () => {
    const change = (
      type: string,
      actions: string[],
      before: unknown,
      after: unknown,
    ) => ({ address: `${type}.x`, type, change: { actions, before, after } });
    const { summary } = analyzePlan({
      format_version: '1.2',
      resource_changes: [
        change('aws_db_instance', ['delete'], { id: 'db' }, null),
        change(
          'aws_iam_policy',
          ['update'],
          { policy: '{}' },
          {
            policy:
              '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
          },
        ),
        change(
          'aws_security_group',
          ['update'],
          { ingress: [] },
          {
            ingress: [
              {
                from_port: 22,
                to_port: 22,
                protocol: 'tcp',
                cidr_blocks: ['0.0.0.0/0'],
              },
            ],
          },
        ),
        change(
          'aws_cloudtrail',
          ['update'],
          { enable_logging: true },
          { enable_logging: false },
        ),
        change(
          'aws_ebs_volume',
          ['update'],
          { encrypted: true },
          { encrypted: false },
        ),
        change(
          'aws_instance',
          ['update'],
          { tags: { a: '1' } },
          { tags: { a: '2' } },
        ),
        change('aws_instance', ['create'], null, { ami: 'ami-1' }),
      ],
    });
    const reasons = Object.fromEntries(
      summary.resources.map(r => [r.type + r.action, [r.risk, r.reasons[0]]]),
    );
    expect(reasons).toEqual({
      aws_db_instancedelete: ['critical', 'deletes a database'],
      aws_iam_policyupdate: ['critical', 'grants every action ("Action": "*")'],
      aws_security_groupupdate: [
        'critical',
        'opens 22/tcp to the internet (0.0.0.0/0)',
      ],
      aws_cloudtrailupdate: ['critical', 'turns audit logging off'],
      aws_ebs_volumeupdate: ['high', 'turns encryption off (encrypted)'],
      aws_instanceupdate: ['low', 'changes tags only'],
      aws_instancecreate: ['low', 'creates the resource'],
    });
    expect(summary.risk).toBe('critical');
    expect(summary.counts).toMatchObject({ create: 1, update: 5, delete: 1 });
  });
});

describe('diffAttributes', () => {
  it('masks what Terraform marks sensitive and scrubs what looks like a secret', () => {
    const changes = diffAttributes({
      before: {
        password: 'hunter2-old',
        config: { user: 'app', key: 'AKIAABCDEFGHIJKLMNOP' },
        url: 'postgres://app:s3cret@db:5432/app',
        name: 'a',
        nested: { value: 'x' },
      },
      after: {
        password: 'hunter2-new',
        config: { user: 'app', key: 'AKIAZZZZZZZZZZZZZZZZ' },
        url: 'postgres://app:n3w@db:5432/app',
        name: 'b',
        nested: { value: 'y' },
      },
      before_sensitive: { nested: { value: true } },
      after_sensitive: { nested: { value: true } },
    });
    const text = JSON.stringify(changes);
    for (const secret of ['hunter2', 'AKIA', 's3cret', 'n3w', '"x"', '"y"'])
      expect(text).not.toContain(secret);
    expect(changes).toEqual([
      { path: 'config.key', before: '(sensitive)', after: '(sensitive)' },
      { path: 'name', before: 'a', after: 'b' },
      {
        path: 'nested.value',
        before: '(sensitive)',
        after: '(sensitive)',
        sensitive: true,
      },
      { path: 'password', before: '(sensitive)', after: '(sensitive)' },
      { path: 'url', before: '(sensitive)', after: '(sensitive)' },
    ]);
  });

  it('marks values known only after apply, walks lists, and takes whole-resource creation as one change', () => {
    expect(
      diffAttributes({
        before: { ids: ['a'], arn: 'x' },
        after: { ids: ['a', 'b'], arn: null },
        after_unknown: { arn: true },
      }),
    ).toEqual([
      { path: 'arn', before: 'x', after: '(known after apply)' },
      { path: 'ids[1]', after: 'b' },
    ]);
    expect(diffAttributes({ before: null, after: { a: 1 } })).toEqual([
      { path: '(resource)', before: null, after: { a: 1 } },
    ]);
  });
});
