import { finishedJob, guestToken } from '@infra-hub/test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The repository, and the yarn release it pins (runnable anywhere with plain node). */
export const repo = path.resolve(__dirname, '../../..');
export const yarnRelease = path.join(repo, '.yarn/releases/yarn-4.13.0.cjs');

/**
 * Runs a command as from a shell and returns what it printed; a failure throws with the end of
 * its output. The test runner's NODE_ENV=test would change how packages build, so it is
 * production here.
 */
export function exec(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        YARN_ENABLE_PROGRESS_BARS: 'false',
      },
      maxBuffer: 256 * 1024 * 1024,
    }).toString();
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `${path.basename(command)} ${args.join(' ')} failed:\n${String(
        stdout ?? '',
      ).slice(-3000)}\n${String(stderr ?? '').slice(-2000)}`,
    );
  }
}

/** `yarn <args>` in `cwd`, with the repository's yarn release. */
export const yarn = (args: string[], cwd: string) =>
  exec(process.execPath, [yarnRelease, ...args], cwd);

/**
 * What both install paths must do once their backend is up (the guest of a development backend
 * holds a role in `tenantId`): the source's discovery run succeeded and found assets, and a plan
 * uploaded for `moduleId` was analysed and stored. Returns the stored plan.
 */
export async function expectDiscoveryAndPlan(options: {
  baseUrl: string;
  tenantId: string;
  sourceId: string;
  moduleId: string;
  output: () => string;
}): Promise<{ moduleId: string; kind: string }> {
  const { baseUrl, tenantId, sourceId, moduleId, output } = options;
  const token = await guestToken(baseUrl);
  const job = await finishedJob(baseUrl, token, tenantId, sourceId);
  expect(job, output().slice(-4000)).toMatchObject({ status: 'succeeded' });
  const assets = await fetch(
    `${baseUrl}/api/infra-discovery/tenants/${tenantId}/assets?limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(assets.status).toBe(200);
  expect((await assets.json()).total).toBeGreaterThan(0);

  const uploaded = await fetch(
    `${baseUrl}/api/infra-change/tenants/${tenantId}/plans?module=${moduleId}`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: fs.readFileSync(
        path.join(
          repo,
          'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
        ),
        'utf8',
      ),
    },
  );
  expect(uploaded.status, output().slice(-4000)).toBe(201);

  // The discovered graph is evaluated against the compliance rules: findings appear.
  let findings = 0;
  for (let i = 0; i < 120 && findings === 0; i++) {
    const res = await fetch(
      `${baseUrl}/api/infra-compliance/tenants/${tenantId}/findings?limit=1`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status, output().slice(-4000)).toBe(200);
    findings = (await res.json()).total;
    if (findings === 0) await new Promise(r => setTimeout(r, 500));
  }
  expect(findings, output().slice(-4000)).toBeGreaterThan(0);
  return uploaded.json();
}
