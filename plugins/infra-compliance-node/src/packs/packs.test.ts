import { corpusPath, readCorpusJson } from '@infra-hub/test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtInPacksDirectory, loadRuleSet, RulePackWatcher } from './load';
import { PackError, parsePack } from './parse';
import { compileRuleSet } from './ruleSet';
import { evaluateResources } from '../engine/evaluate';

const builtIn = loadRuleSet([builtInPacksDirectory()]);

/** Every control id of an OSCAL catalog, enhancements included. */
function oscalIds(file: string): Set<string> {
  const ids = new Set<string>();
  const stack: any[] = [readCorpusJson('oscal', file).catalog];
  while (stack.length) {
    const node = stack.pop();
    for (const c of node.controls ?? []) {
      ids.add(c.id);
      stack.push(c);
    }
    stack.push(...(node.groups ?? []));
  }
  return ids;
}

const PACK_HEAD = `apiVersion: infra-hub.io/v1alpha1
kind: RulePack
metadata:
  name: custom
`;

/** A pack with one rule mapped to the built-in frameworks, loaded with them. */
function loadCustom(body: string) {
  return compileRuleSet([
    ...['frameworks.yaml'].map(f =>
      parsePack(
        fs.readFileSync(path.join(builtInPacksDirectory(), f), 'utf8'),
        f,
      ),
    ),
    parsePack(`${PACK_HEAD}${body}`, 'custom.yaml'),
  ]);
}

const RULE = (over: Record<string, string> = {}) => {
  const fields = {
    condition: 'has(resource.encrypted) && resource.encrypted == true',
    controls: '{ nist-800-53-r5: [sc-28] }',
    examples: '{ pass: [{ encrypted: true }], fail: [{}] }',
    ...over,
  };
  return `rules:
  - id: custom-volume-encrypted
    title: Volumes are encrypted
    severity: high
    resourceTypes: [aws_ebs_volume]
    condition: ${fields.condition}
    remediation: Encrypt it.
    controls: ${fields.controls}
    examples: ${fields.examples}
`;
};

function packError(fn: () => unknown): PackError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PackError) return e;
    throw e;
  }
  throw new Error('expected a PackError');
}

describe('the shipped packs', () => {
  it('hold at least 60 AWS rules, each with passing and failing examples that ran on load', () => {
    const aws = builtIn.rules.filter(r => r.pack === 'aws');
    expect(aws.length).toBeGreaterThanOrEqual(60);
    for (const { rule } of aws) {
      expect(rule.examples?.pass?.length, rule.id).toBeGreaterThan(0);
      expect(rule.examples?.fail?.length, rule.id).toBeGreaterThan(0);
      expect(rule.remediation.length, rule.id).toBeGreaterThan(10);
    }
  });

  it('cover the areas compliance teams ask about', () => {
    const types = new Set(builtIn.rules.flatMap(r => r.rule.resourceTypes));
    for (const type of [
      'aws_s3_bucket',
      'aws_s3_bucket_public_access_block',
      'aws_db_instance',
      'aws_rds_cluster',
      'aws_security_group',
      'aws_instance',
      'aws_kms_key',
      'aws_cloudtrail',
      'aws_iam_policy',
      'aws_iam_role_policy_attachment',
      'aws_lambda_function',
      'aws_lambda_function_url',
      'aws_eks_cluster',
      'aws_lb_listener',
      'aws_sqs_queue',
      'aws_sns_topic',
      'aws_vpc',
    ])
      expect(types.has(type), type).toBe(true);
  });

  it('map every rule to NIST 800-53, FedRAMP Moderate, SOC 2 and NIST CSF, and name comparable checks', () => {
    for (const { rule } of builtIn.rules) {
      for (const f of [
        'nist-800-53-r5',
        'fedramp-moderate',
        'soc2',
        'nist-csf-2.0',
      ])
        expect(rule.controls[f]?.length, `${rule.id} ${f}`).toBeGreaterThan(0);
    }
    const withPci = builtIn.rules.filter(r => r.rule.controls['pci-dss-4.0']);
    const withCis = builtIn.rules.filter(r => r.rule.controls['cis-aws']);
    expect(withPci.length).toBeGreaterThan(50);
    expect(withCis.length).toBeGreaterThan(25);
    const compared = builtIn.rules.filter(
      r =>
        r.rule.equivalents?.checkov?.length ||
        r.rule.equivalents?.prowler?.length,
    );
    expect(compared.length).toBeGreaterThan(60);
  });

  it('name NIST and FedRAMP controls that exist in the official OSCAL catalogs', () => {
    const nist = oscalIds('NIST_SP-800-53_rev5_catalog-min.json');
    const moderate = oscalIds(
      'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json',
    );
    for (const c of builtIn.frameworks.get('nist-800-53-r5')!.controls)
      expect(nist.has(c.id), c.id).toBe(true);
    for (const c of builtIn.frameworks.get('fedramp-moderate')!.controls)
      expect(moderate.has(c.id), c.id).toBe(true);
  });

  it('name CIS AWS 7.0 sections and Prowler checks that exist', () => {
    const cis = readCorpusJson('prowler-compliance', 'cis_7.0_aws.json');
    const sections = new Set(cis.Requirements.map((r: any) => r.Id));
    for (const c of builtIn.frameworks.get('cis-aws')!.controls)
      expect(sections.has(c.id), c.id).toBe(true);
    const checks = new Set<string>();
    for (const file of fs.readdirSync(corpusPath('prowler-compliance')))
      if (file.endsWith('.json'))
        for (const r of readCorpusJson('prowler-compliance', file).Requirements)
          for (const c of r.Checks ?? []) checks.add(c);
    for (const { rule } of builtIn.rules)
      for (const id of rule.equivalents?.prowler ?? [])
        expect(checks.has(id), `${rule.id}: ${id}`).toBe(true);
  });
});

describe('a rule for every type, with `when`', () => {
  it('applies to the resources its `when` takes, of any type, and to no other', () => {
    const set = loadCustom(
      RULE({
        condition: 'resource.scanned_clean == true',
        examples:
          '{ pass: [{ scanned_clean: true }], fail: [{ scanned_clean: false }] }',
      })
        .replace('[aws_ebs_volume]', "['*']")
        .replace(
          '    condition:',
          "    when: 'has(resource.scanned_clean)'\n    condition:",
        ),
    );
    const results = evaluateResources(set.rules, [
      {
        type: 'aws_s3_bucket',
        address: 'a',
        attributes: { scanned_clean: true },
      },
      {
        type: 'google_storage_bucket',
        address: 'b',
        attributes: { scanned_clean: false },
      },
      { type: 'aws_ebs_volume', address: 'c', attributes: {} },
    ]);
    expect(results.map(r => [r.address, r.status])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
    ]);
  });

  it('ships the secrets rule: a resource whose state keeps a secret fails, with where and the fingerprint', () => {
    const results = evaluateResources(
      builtIn.rules.filter(r => r.pack === 'secrets'),
      [
        {
          type: 'aws_db_instance',
          address: 'db',
          attributes: {
            infra_hub_secrets: [
              {
                kind: 'tf-secret-attribute',
                severity: 'high',
                attribute: 'password',
                file: 's3://state/prod.tfstate',
                line: 40,
                fingerprint: '0123456789abcdef0123456789abcdef',
              },
            ],
          },
        },
        {
          type: 'aws_s3_bucket',
          address: 'clean',
          attributes: { infra_hub_secrets: [] },
        },
        { type: 'aws_s3_bucket', address: 'live', attributes: {} },
      ],
    );
    expect(results.map(r => [r.address, r.status, r.message])).toEqual([
      [
        'db',
        'fail',
        'password: tf-secret-attribute at s3://state/prod.tfstate:40, fingerprint 0123456789abcdef0123456789abcdef',
      ],
      ['clean', 'pass', undefined],
    ]);
  });
});

describe('a pack that cannot be used', () => {
  it('is refused with the line of a YAML syntax error', () => {
    const e = packError(() =>
      parsePack(`${PACK_HEAD}rules:\n  - id: [unclosed\n`, 'bad.yaml'),
    );
    expect(e.file).toBe('bad.yaml');
    expect(e.line).toBeGreaterThanOrEqual(5);
    expect(e.message).toMatch(/^bad\.yaml:\d+: not valid YAML/);
  });

  it('is refused for a field the format does not have, at its line', () => {
    const e = packError(() =>
      parsePack(`${PACK_HEAD}${RULE()}    colour: red\n`, 'custom.yaml'),
    );
    expect(e.line).toBe(14);
    expect(e.reason).toMatch(/colour/);
  });

  it('is refused for an unknown control id, at the line of the control', () => {
    const e = packError(() =>
      loadCustom(RULE({ controls: '\n      nist-800-53-r5: [sc-28, zz-99]' })),
    );
    expect(e.file).toBe('custom.yaml');
    expect(e.line).toBe(13);
    expect(e.reason).toBe(
      'rule custom-volume-encrypted names control zz-99, which framework nist-800-53-r5 does not have',
    );
  });

  it('is refused for a `when` that is not CEL, at its line', () => {
    const e = packError(() =>
      loadCustom(
        RULE().replace(
          '    condition:',
          "    when: 'has(resource.'\n    condition:",
        ),
      ),
    );
    expect(e.line).toBe(10);
    expect(e.reason).toMatch(/the when is not valid CEL/);
  });

  it('is refused for a framework no pack defines', () => {
    const e = packError(() =>
      loadCustom(RULE({ controls: '{ iso-27001: [a.8.24] }' })),
    );
    expect(e.reason).toMatch(/framework iso-27001, which no pack defines/);
  });

  it('is refused for a condition that is not CEL, at the line of the condition', () => {
    const e = packError(() =>
      loadCustom(RULE({ condition: "'resource.encrypted =='" })),
    );
    expect(e.line).toBe(10);
    expect(e.reason).toMatch(/the condition is not valid CEL/);
  });

  it('is refused for an expression that throws on its examples', () => {
    const e = packError(() =>
      loadCustom(RULE({ condition: 'resource.encrypted == true' })),
    );
    expect(e.reason).toMatch(
      /example fail\[0\] should fail but is error .*No such key: encrypted/,
    );
    expect(e.line).toBe(13);
  });

  it('is refused when a rule id is defined twice', () => {
    const first = parsePack(
      `${PACK_HEAD}${RULE({ controls: '{}' })}`,
      'a.yaml',
    );
    const second = parsePack(
      `${PACK_HEAD.replace('custom', 'other')}${RULE({ controls: '{}' })}`,
      'b.yaml',
    );
    const e = packError(() => compileRuleSet([first, second]));
    expect(e.message).toBe(
      'b.yaml:6: rule custom-volume-encrypted is already defined by pack custom',
    );
  });
});

describe('RulePackWatcher', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (body: string) =>
    fs.writeFileSync(path.join(dir, 'custom.yaml'), `${PACK_HEAD}${body}`);

  it('keeps the previous rules when a reload does not compile, and takes the next good one', () => {
    write(RULE({ controls: '{}' }));
    const watcher = new RulePackWatcher([dir]);
    expect(watcher.current().rules.map(r => r.rule.id)).toEqual([
      'custom-volume-encrypted',
    ]);

    write(RULE({ controls: '{}', condition: 'resource.encrypted ==' }));
    const refused = watcher.reload();
    expect(refused.ok).toBe(false);
    expect(watcher.error()?.message).toMatch(
      /custom\.yaml:10: .*not valid CEL/,
    );
    expect(watcher.current().rules).toHaveLength(1);

    write(
      `${RULE({ controls: '{}' })}${RULE({ controls: '{}' })
        .replace('rules:\n', '')
        .replace('custom-volume-encrypted', 'custom-volume-two')}`,
    );
    expect(watcher.reload()).toMatchObject({ ok: true, rules: 2 });
    expect(watcher.error()).toBeUndefined();
  });

  it('reloads by itself when a file in a watched folder changes', async () => {
    write(RULE({ controls: '{}' }));
    const reloads: unknown[] = [];
    const watcher = new RulePackWatcher([dir], outcome =>
      reloads.push(outcome),
    );
    watcher.watch(20);
    try {
      write(
        RULE({ controls: '{}' }).replace('severity: high', 'severity: low'),
      );
      await vi.waitFor(
        () => expect(watcher.current().rules[0].rule.severity).toBe('low'),
        { timeout: 5000 },
      );
      expect(reloads.length).toBeGreaterThan(0);
    } finally {
      watcher.close();
    }
  });
});
