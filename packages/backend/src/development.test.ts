import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  collectOutput,
  freePort,
  spawnDevelopmentBackend,
  waitForBackend,
} from '@infra-hub/test-utils';

// The embedded default as `npm start` runs it (NODE_ENV=development, app-config.yaml alone):
// SQLite files in a directory, so that what was stored survives a restart.

const backendDir = path.resolve(__dirname, '..');

/** The portal's backend as `npm start` runs it, on `port`, with its data in `dataDir`. */
function spawnBackend(
  port: number,
  dataDir: string,
  extraEnv: Record<string, string> = {},
) {
  return spawnDevelopmentBackend({ port, dataDir, env: extraEnv });
}

async function startBackend(
  port: number,
  dataDir: string,
  extraEnv: Record<string, string> = {},
) {
  const child = spawnBackend(port, dataDir, extraEnv);
  await waitForBackend(
    child,
    `http://localhost:${port}`,
    collectOutput(child),
    120_000,
  );
  return child;
}

async function stop(child: ChildProcess) {
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function guestToken(port: number): Promise<string> {
  const res = await fetch(`http://localhost:${port}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.backstageIdentity.identity.userEntityRef).toBe(
    'user:default/guest',
  );
  return body.backstageIdentity.token;
}

describe('the embedded default', () => {
  it('exits non-zero, naming the reason, when a plugin cannot start', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-broken-'));
    // A vault whose active key is not among its keys: the security plugin refuses to start.
    const child = spawnBackend(port, dataDir, {
      APP_CONFIG_infra_security_vault_activeKey: 'no-such-key',
    });
    const output = collectOutput(child);
    const code = await new Promise<number | null>(resolve => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 45_000);
      child.once('exit', exitCode => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(
      code,
      `the backend did not exit:\n${output().slice(-2000)}`,
    ).not.toBe(null);
    expect(code).not.toBe(0);
    expect(output()).toContain(
      "'no-such-key' is not one of infra.security.vault.keys",
    );
  });

  it('signs in the guest and keeps what was stored across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-dev-'));
    const port = await freePort();
    const setting = `http://localhost:${port}/api/user-settings/buckets/infra-hub/keys/last-tenant`;
    let child = await startBackend(port, dataDir);
    try {
      const token = await guestToken(port);
      const health = await fetch(
        `http://localhost:${port}/api/infra-security/health`,
      );
      expect(health.headers.get('x-frame-options')).toBe('DENY');
      expect(health.headers.get('x-content-type-options')).toBe('nosniff');
      expect(health.headers.get('strict-transport-security')).toMatch(
        /max-age/,
      );
      expect(health.headers.get('content-security-policy')).toContain(
        "frame-ancestors 'none'",
      );
      const put = await fetch(setting, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ value: 'harbor-bank' }),
      });
      expect(put.status).toBe(200);

      // The demo estate's state is discovered shortly after start, and shows an attack path.
      const auth = { Authorization: `Bearer ${token}` };
      let jobs: Array<{ status: string }> = [];
      for (
        let i = 0;
        i < 120 && !jobs.some(j => j.status === 'succeeded');
        i++
      ) {
        await new Promise(r => setTimeout(r, 500));
        jobs =
          (
            await (
              await fetch(
                `http://localhost:${port}/api/infra-discovery/tenants/cartwheel/jobs`,
                { headers: auth },
              )
            ).json()
          ).items ?? [];
      }
      expect(jobs[0]).toMatchObject({
        status: 'succeeded',
        trigger: 'schedule',
      });
      const paths = await (
        await fetch(
          `http://localhost:${port}/api/infra-discovery/tenants/cartwheel/attack-paths`,
          { headers: auth },
        )
      ).json();
      expect(paths.items.length).toBeGreaterThan(0);
      await stop(child);
      expect(fs.readdirSync(dataDir).some(f => f.endsWith('.sqlite'))).toBe(
        true,
      );

      child = await startBackend(port, dataDir);
      const again = await guestToken(port);
      const read = await fetch(setting, {
        headers: { Authorization: `Bearer ${again}` },
      });
      expect(read.status).toBe(200);
      expect((await read.json()).value).toBe('harbor-bank');
    } finally {
      if (child.exitCode === null) await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('accepts a machine API key with its role in its tenant only, and refuses it once revoked', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-dev-'));
    const port = await freePort();
    const api = `http://localhost:${port}/api`;
    // The guest is tenant-admin of cartwheel in the demo: its keys may hold any role there.
    const child = await startBackend(port, dataDir);
    try {
      const admin = {
        Authorization: `Bearer ${await guestToken(port)}`,
        'Content-Type': 'application/json',
      };
      const created = await fetch(
        `${api}/infra-security/tenants/cartwheel/api-keys`,
        {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ name: 'compliance-export', role: 'auditor' }),
        },
      );
      expect(created.status).toBe(201);
      const { key, token } = await created.json();
      expect(token).toMatch(/^sk_cartwheel\./);
      const withKey = (url: string) =>
        fetch(`${api}${url}`, {
          headers: { Authorization: `Bearer ${token}` },
        });

      // Its role (auditor) in its tenant (cartwheel).
      expect(
        (await withKey('/infra-security/audit/cartwheel/events')).status,
      ).toBe(200);
      expect(
        (await withKey('/infra-security/tenants/cartwheel/credentials')).status,
      ).toBe(403);
      expect(
        (await withKey('/infra-security/audit/harbor-bank/events')).status,
      ).toBe(403);
      // Only on the suite's plugins: the catalog refuses it.
      expect([401, 403]).toContain(
        (await withKey('/catalog/entities?limit=1')).status,
      );
      expect((await withKey('/infra-hub/about')).status).toBe(200);

      // CI uploads plans with a key whose role may (examples/ci/upload-plan.sh); an auditor's
      // key may not.
      const plan = fs.readFileSync(
        path.join(
          backendDir,
          '../../examples/terraform/cartwheel/plans/storefront-prod.plan.json',
        ),
        'utf8',
      );
      const uploadWith = (bearer: string) =>
        fetch(
          `${api}/infra-change/tenants/cartwheel/plans?module=storefront-prod&kind=plan`,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${bearer}`,
              'Content-Type': 'application/json',
            },
            body: plan,
          },
        );
      expect((await uploadWith(token)).status).toBe(403);
      const ci = await (
        await fetch(`${api}/infra-security/tenants/cartwheel/api-keys`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ name: 'ci-plans', role: 'security-analyst' }),
        })
      ).json();
      const uploaded = await uploadWith(ci.token);
      expect(uploaded.status).toBe(201);
      expect(await uploaded.json()).toMatchObject({
        moduleId: 'storefront-prod',
        drifted: 3,
        uploadedBy: `api-key:${ci.key.id}`,
      });

      // Usage is recorded; the secret is never listed.
      const listed = await (
        await fetch(`${api}/infra-security/tenants/cartwheel/api-keys`, {
          headers: admin,
        })
      ).json();
      const listedKey = listed.items.find(
        (k: { id: string }) => k.id === key.id,
      );
      expect(listedKey).toMatchObject({ id: key.id, role: 'auditor' });
      expect(listedKey.lastUsedAt).toBeDefined();
      expect(JSON.stringify(listed)).not.toContain(token);

      // Revoked: refused on its very next request.
      const revoked = await fetch(
        `${api}/infra-security/tenants/cartwheel/api-keys/${key.id}`,
        {
          method: 'DELETE',
          headers: admin,
        },
      );
      expect(revoked.status).toBe(200);
      expect(
        (await withKey('/infra-security/audit/cartwheel/events')).status,
      ).toBe(401);

      // A demo user signs in with their own roles; someone not on the list is refused.
      // (The catalog ingests the demo users a few seconds after a first start.)
      const demoSignIn = (ref: string) =>
        fetch(`${api}/auth/demo/refresh?user=${encodeURIComponent(ref)}`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
      let demo = await demoSignIn('user:default/priya.shah');
      for (let i = 0; i < 60 && demo.status === 404; i++) {
        await new Promise(r => setTimeout(r, 500));
        demo = await demoSignIn('user:default/priya.shah');
      }
      expect(demo.status).toBe(200);
      const priya = (await demo.json()).backstageIdentity.token;
      const me = await (
        await fetch(`${api}/infra-security/me`, {
          headers: { Authorization: `Bearer ${priya}` },
        })
      ).json();
      expect(me).toEqual({
        actor: 'user:default/priya.shah',
        roles: [{ scope: 'cartwheel', role: 'tenant-admin' }],
      });
      const stranger = await fetch(
        `${api}/auth/demo/refresh?user=${encodeURIComponent(
          'user:default/mallory',
        )}`,
        {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        },
      );
      expect(stranger.status).toBe(403);
      // The system scope's audit log is the system-admin's to read (Alex), not the guest's.
      expect(
        (
          await fetch(`${api}/infra-security/audit/system/events`, {
            headers: admin,
          })
        ).status,
      ).toBe(403);
      const alex = (await (await demoSignIn('user:default/alex.morgan')).json())
        .backstageIdentity.token;
      const systemAdmin = { Authorization: `Bearer ${alex}` };
      const log = await (
        await fetch(`${api}/infra-security/audit/system/events?limit=500`, {
          headers: systemAdmin,
        })
      ).json();
      expect(log.items.map((e: { action: string }) => e.action)).toContain(
        'role.granted',
      );
      const failures = await (
        await fetch(
          `${api}/infra-security/audit/system/events?action=user.sign-in-failed`,
          { headers: systemAdmin },
        )
      ).json();
      expect(failures.items[0]).toMatchObject({
        actor: 'user:default/mallory',
        outcome: 'failure',
        details: { provider: 'demo', reason: 'NotAllowedError' },
      });

      // Every sign-in is in the system scope's audit log.
      expect(log.items).toContainEqual(
        expect.objectContaining({
          action: 'user.signed-in',
          actor: 'user:default/guest',
          details: { provider: 'guest' },
        }),
      );
    } finally {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
