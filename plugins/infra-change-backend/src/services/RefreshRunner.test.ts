/* eslint-disable jest/no-standalone-expect -- the runs with a real Terraform are it.skipIf(no terraform on PATH), which the rule does not know */
import { mockServices } from '@backstage/backend-test-utils';
import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChangeStore } from '../database/ChangeStore';
import { ChangeService } from './ChangeService';
import { PlanAnalyzer } from './PlanAnalyzer';
import { RefreshRunner } from './RefreshRunner';
import { SigningKeyStore } from '../database/SigningKeyStore';
import { SigningService } from './SigningService';

const databases = createInfraTestDatabases();

function findBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'terraform');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
const terraform = findBinary();
if (!terraform) {
  const line = '!'.repeat(100);
  process.stderr.write(
    `\n${line}\nSKIPPED: the refresh-only runner's run of a real Terraform (no terraform on PATH).\nTo enable: install Terraform (or put a terraform binary on PATH).\n${line}\n`,
  );
}

async function setup() {
  const knex = await databases.init('SQLITE_3');
  const store = await ChangeStore.create({
    database: mockServices.database({ knex }),
  });
  const audit: unknown[] = [];
  const spine = {
    recordAudit: async (e: unknown) => {
      audit.push(e);
    },
  } as any;
  const service = new ChangeService({
    store,
    spine,
    signing: new SigningService(new SigningKeyStore(knex), spine),
    settings: {
      requiredApprovals: { none: 1, low: 1, medium: 1, high: 2, critical: 2 },
      maxPlanBytes: 1 << 20,
      analysisTimeoutMs: 60_000,
      seedPlans: [],
      refresh: [],
    },
    analyzer: new PlanAnalyzer({ timeoutMs: 60_000 }),
  });
  return { store, runner: new RefreshRunner(service), audit };
}

function module(tf: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-module-'));
  fs.writeFileSync(path.join(dir, 'main.tf'), tf);
  return dir;
}

describe('RefreshRunner', () => {
  it.skipIf(!terraform)(
    'runs terraform plan -refresh-only in the working directory and ingests the result',
    async () => {
      const { store, runner, audit } = await setup();
      const dir = module(
        'resource "terraform_data" "release" {\n  input = "v1"\n}\n',
      );
      const env = { ...process.env, TF_IN_AUTOMATION: '1' };
      execFileSync(terraform!, ['init', '-input=false', '-no-color'], {
        cwd: dir,
        env,
      });
      execFileSync(terraform!, ['apply', '-auto-approve', '-no-color'], {
        cwd: dir,
        env,
      });

      const plan = await runner.run({
        tenantId: 'cartwheel',
        moduleId: 'release',
        binary: terraform!,
        workingDirectory: dir,
        passEnv: [],
        timeoutMs: 120_000,
      });
      expect(plan).toMatchObject({
        moduleId: 'release',
        kind: 'refresh-only',
        drifted: 0,
        risk: 'none',
        uploadedBy: 'plugin:infra-change',
        formatVersion: expect.stringMatching(/^1\./),
      });
      const version = /Terraform v(\S+)/.exec(
        execFileSync(terraform!, ['version'], { encoding: 'utf8' }),
      )![1];
      expect(plan.terraformVersion).toBe(version);
      expect(
        (await store.listPlans('cartwheel', { limit: 5 })).items,
      ).toHaveLength(1);
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'plan.uploaded',
          actor: 'plugin:infra-change',
        }),
      ]);
    },
    180_000,
  );

  it.skipIf(!terraform)(
    "fails with Terraform's own message on a broken module, and stores nothing",
    async () => {
      const { store, runner } = await setup();
      const dir = module(
        'resource "terraform_data" "broken" {\n  input = \n}\n',
      );
      await expect(
        runner.run({
          tenantId: 'cartwheel',
          moduleId: 'broken',
          binary: terraform!,
          workingDirectory: dir,
          passEnv: [],
          timeoutMs: 120_000,
        }),
      ).rejects.toThrow(/terraform init failed: .*(Invalid expression|Error)/s);
      expect((await store.listPlans('cartwheel', { limit: 5 })).items).toEqual(
        [],
      );
    },
    180_000,
  );

  it('says so when the binary is not installed', async () => {
    const { runner } = await setup();
    await expect(
      runner.run({
        tenantId: 'cartwheel',
        moduleId: 'x',
        binary: path.join(os.tmpdir(), 'no-such-dir', 'tofu'),
        workingDirectory: os.tmpdir(),
        passEnv: [],
        timeoutMs: 10_000,
      }),
    ).rejects.toThrow(
      /tofu init failed: .*tofu is not installed or not on PATH/,
    );
  });
});
