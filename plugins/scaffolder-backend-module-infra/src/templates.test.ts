import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { parseHclDocument } from '@infra-hub/plugin-infra-compliance-node';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { checkModuleEntity } from './actions/register';
import { createInfraScanAction } from './actions/scan';
import { runAction, tempDir } from './__testUtils__/context';

const templatesDir = path.resolve(__dirname, '../../../templates');
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

/** The golden-path templates the repository registers (templates/catalog-info.yaml). */
function templateFiles(): string[] {
  const location = parseYaml(
    fs.readFileSync(path.join(templatesDir, 'catalog-info.yaml'), 'utf8'),
  );
  return (location.spec.targets as string[]).map(t =>
    path.resolve(templatesDir, t),
  );
}

/** What a person fills in: each template's defaults, and these for the rest. */
const ANSWERS: Record<string, unknown> = {
  name: 'orders-exports',
  description: 'Exports of orders for the finance team, kept seven years.',
  tenant: 'cartwheel',
  system: 'system:default/cartwheel-payments',
  owner: 'group:default/cartwheel-engineering',
  environment: 'staging',
};

function answersFor(template: any): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const page of template.spec.parameters) {
    for (const [key, prop] of Object.entries<any>(page.properties ?? {})) {
      if (key in ANSWERS) answers[key] = ANSWERS[key];
      else if (prop.default !== undefined) answers[key] = prop.default;
    }
    for (const key of page.required ?? []) {
      expect(answers, `an answer for ${key}`).toHaveProperty(key);
    }
  }
  return answers;
}

/** The scaffolder's `${{ parameters.x }}` in step inputs, for the fetch steps' values. */
function resolve(value: unknown, answers: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{\{\s*parameters\.(\w+)\s*\}\}$/);
    if (whole) return answers[whole[1]];
    return value.replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_m, k) =>
      String(answers[k]),
    );
  }
  if (Array.isArray(value)) return value.map(v => resolve(v, answers));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolve(v, answers)]),
    );
  }
  return value;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * How `terraform fmt` aligns attributes: a run of consecutive `key = value` lines whose value
 * ends on the line is aligned on `=`; a line opening a multi-line value, a block, a comment or a
 * blank line ends the run (hclwrite's formatCells). Indentation must be two spaces per level.
 */
function fmtAligned(text: string): string {
  const attr = /^(\s*)([A-Za-z_][\w-]*|"[^"]*")\s*=(?!=)\s*(.*)$/;
  const opens = (value: string) => {
    const v = value.replace(/"(\\.|[^"\\])*"/g, '""');
    const count = (re: RegExp) => (v.match(re) ?? []).length;
    return count(/[([{]/g) > count(/[)\]}]/g) || v.includes('<<');
  };
  const lines = text.split('\n');
  const out = [...lines];
  let i = 0;
  while (i < lines.length) {
    const m = lines[i].match(attr);
    if (!m || opens(m[3])) {
      if (m) out[i] = `${m[1]}${m[2]} = ${m[3]}`;
      i++;
      continue;
    }
    const run: RegExpMatchArray[] = [];
    let j = i;
    for (; j < lines.length; j++) {
      const mm = lines[j].match(attr);
      if (!mm || opens(mm[3])) break;
      run.push(mm);
    }
    const width = Math.max(...run.map(r => r[2].length));
    for (let k = 0; k < run.length; k++) {
      out[i + k] = `${run[k][1]}${run[k][2].padEnd(width)} = ${run[k][3]}`;
    }
    i = j;
  }
  return out.join('\n');
}

const fetchTemplate = createFetchTemplateAction({
  reader: mockServices.urlReader.mock(),
  integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
});

/** Runs a template's fetch steps into a workspace, as the scaffolder does. */
async function generate(file: string) {
  const template = parseYaml(fs.readFileSync(file, 'utf8'));
  const answers = answersFor(template);
  const workspace = tempDir('infra-template-', cleanups);
  for (const step of template.spec.steps) {
    if (step.action !== 'fetch:template') continue;
    await runAction(fetchTemplate, {
      input: resolve(step.input, answers) as any,
      workspacePath: workspace,
      templateBaseUrl: `file://${file}`,
    });
  }
  return { template, answers, workspace };
}

describe('golden-path templates', () => {
  const files = templateFiles();

  it('are registered: an S3 bucket, an RDS PostgreSQL database, a network, a root stack, and a module drafted from a description', () => {
    expect(files.map(f => path.basename(f)).sort()).toEqual([
      'terraform-aws-network.yaml',
      'terraform-aws-rds-postgres.yaml',
      'terraform-aws-s3-bucket.yaml',
      'terraform-module-from-description.yaml',
      'terraform-root-stack.yaml',
    ]);
  });

  it('the drafting template scans the drafted code like a golden path before publishing, and adds the same CI and catalog file', async () => {
    const file = files.find(f =>
      f.endsWith('terraform-module-from-description.yaml'),
    )!;
    const { template, answers, workspace } = await generate(file);
    expect(template.metadata.tags).not.toContain('golden-path');
    // The tenant and system are checked before anything is sent to a model.
    expect(template.spec.steps.map((s: any) => s.action)).toEqual([
      'fetch:template',
      'infra:module:register',
      'infra:module:draft',
      'infra:scan',
      'infra:publish:git',
      'infra:module:register',
    ]);
    expect(template.spec.steps[1].input.checkOnly).toBe(true);
    expect(template.spec.steps[3].input.failOn).toBe('high');
    expect(filesUnder(workspace).sort()).toEqual([
      '.github/workflows/terraform.yml',
      '.gitignore',
      '.gitlab-ci.yml',
      'catalog-info.yaml',
    ]);
    const entity = checkModuleEntity(
      fs.readFileSync(path.join(workspace, 'catalog-info.yaml'), 'utf8'),
      {
        tenant: 'cartwheel',
        system: 'system:default/cartwheel-payments',
        module: answers.name as string,
      },
    );
    expect(entity.metadata.tags).toEqual(['terraform', 'machine-drafted']);
    const github = fs.readFileSync(
      path.join(workspace, '.github/workflows/terraform.yml'),
      'utf8',
    );
    expect(github).toMatch(/infra-scan \. --format sarif/);
    expect(github).not.toMatch(/terraform test/);
    expect(parseYaml(github).env.PLAN_DIR).toBe('.');
  });

  /** The golden paths (the drafting template's code comes from a model: draft.test.ts). */
  const goldenPaths = templateFiles().filter(
    f =>
      !parseYaml(fs.readFileSync(f, 'utf8')).spec.steps.some(
        (s: any) => s.action === 'infra:module:draft',
      ),
  );

  it.each(goldenPaths.map(f => [path.basename(f), f]))(
    '%s generates a module that parses and passes the suite’s rules and secret scan',
    async (_name, file) => {
      const { template, answers, workspace } = await generate(file);
      const generated = filesUnder(workspace);

      // What every golden path generates.
      for (const expected of [
        'versions.tf',
        'variables.tf',
        'outputs.tf',
        'main.tf',
        'README.md',
        'catalog-info.yaml',
        '.github/workflows/terraform.yml',
        '.gitlab-ci.yml',
        '.gitignore',
      ]) {
        expect(generated).toContain(expected);
      }
      expect(generated.some(f => f.endsWith('.tftest.hcl'))).toBe(true);
      expect(generated.some(f => f.startsWith('examples/'))).toBe(true);

      // Nothing left of the templating.
      for (const f of generated) {
        const text = fs.readFileSync(path.join(workspace, f), 'utf8');
        expect(text, f).not.toMatch(
          /\$\{\{\s*(values|parameters)\b|\{%|undefined/,
        );
      }

      // Every HCL file parses and is laid out as `terraform fmt` leaves it.
      for (const f of generated.filter(g => /\.(tf|hcl|tfvars)$/.test(g))) {
        const text = fs.readFileSync(path.join(workspace, f), 'utf8');
        await parseHclDocument(text, f);
        expect(fmtAligned(text), f).toBe(text);
        expect(text.endsWith('\n') && !text.endsWith('\n\n'), f).toBe(true);
      }
      const variables = await parseHclDocument(
        fs.readFileSync(path.join(workspace, 'variables.tf'), 'utf8'),
        'variables.tf',
      );
      const validated = Object.values<any>((variables as any).variable).filter(
        v => v[0].validation,
      );
      expect(validated.length).toBeGreaterThan(0);

      // The catalog file describes the module in the tenant's system.
      const entity = checkModuleEntity(
        fs.readFileSync(path.join(workspace, 'catalog-info.yaml'), 'utf8'),
        {
          tenant: 'cartwheel',
          system: 'system:default/cartwheel-payments',
          module: answers.name as string,
        },
      );
      expect(entity.spec?.owner).toBe(ANSWERS.owner);

      // CI: fmt, validate, both scans with SARIF, plan, and the upload with the tenant's key.
      const github = parseYaml(
        fs.readFileSync(
          path.join(workspace, '.github/workflows/terraform.yml'),
          'utf8',
        ),
      );
      const runs = Object.values<any>(github.jobs)
        .flatMap(j => j.steps)
        .map(s => s.run ?? '')
        .join('\n');
      for (const expected of [
        /terraform fmt -check/,
        /terraform validate/,
        /infra-scan \. --format sarif/,
        /infra-secrets \. --format sarif/,
        /plan -input=false -out=plan.bin/,
        /tenants\/\$INFRA_HUB_TENANT\/plans\?module=\$INFRA_HUB_MODULE/,
      ]) {
        expect(runs).toMatch(expected);
      }
      expect(github.env).toMatchObject({
        INFRA_HUB_TENANT: 'cartwheel',
        INFRA_HUB_MODULE: answers.name,
      });
      expect(JSON.stringify(github)).toContain(
        '${{ secrets.INFRA_HUB_API_KEY }}',
      );
      const gitlab = parseYaml(
        fs.readFileSync(path.join(workspace, '.gitlab-ci.yml'), 'utf8'),
      );
      const scripts = Object.values<any>(gitlab)
        .flatMap(j => j?.script ?? [])
        .join('\n');
      for (const expected of [
        /terraform fmt -check/,
        /terraform validate/,
        /infra-scan \. --format sarif/,
        /infra-secrets \. --format sarif/,
        /plan -input=false/,
        /plans\?module=\$INFRA_HUB_MODULE/,
      ]) {
        expect(scripts).toMatch(expected);
      }

      // The template scans, publishes and registers in that order.
      expect(template.spec.steps.map((s: any) => s.action).slice(-3)).toEqual([
        'infra:scan',
        'infra:publish:git',
        'infra:module:register',
      ]);

      // No high or critical finding, no secret.
      const { outputs } = await runAction(createInfraScanAction(), {
        input: { failOn: 'high', secrets: true },
        workspacePath: workspace,
      });
      expect(outputs).toMatchObject({ blocking: 0, secrets: 0 });
      // The rules did read the module's resources (a root stack only calls modules).
      const resources = Number(
        String(outputs.summary).match(/(\d+) resources/)![1],
      );
      if (template.metadata.name === 'terraform-root-stack') {
        expect(
          fs.readFileSync(path.join(workspace, 'versions.tf'), 'utf8'),
        ).toContain('System                = "cartwheel-payments"');
      } else expect(resources).toBeGreaterThan(3);
    },
  );
});
