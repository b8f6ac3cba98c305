import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, hasPostgres } from '@infra-hub/test-utils';

// Starts the backend exactly as `yarn start:production` does (NODE_ENV=production, both config
// files) against the PostgreSQL server the test run was given, with a local OpenID Connect
// provider standing in for the organisation's identity provider.

const backendDir = path.resolve(__dirname, '..');
const EXTERNAL_TOKEN = 'ci-external-access-token-0123456789';

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const b64url = (data: string | Buffer) =>
  Buffer.from(data).toString('base64url');

/**
 * An OpenID Connect provider on loopback that signs one person in (the authorization code flow,
 * an RS256 id_token), standing in for the organisation's identity provider.
 */
async function startOidcProvider(person: { sub: string; email: string }) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const codes = new Map<string, { nonce?: string; clientId: string }>();
  let issuer = '';
  const idToken = (clientId: string, nonce?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(
      JSON.stringify({ alg: 'RS256', kid: 'test', typ: 'JWT' }),
    );
    const body = b64url(
      JSON.stringify({
        iss: issuer,
        sub: person.sub,
        aud: clientId,
        iat: now,
        exp: now + 300,
        email: person.email,
        ...(nonce ? { nonce } : {}),
      }),
    );
    const signature = crypto
      .sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey)
      .toString('base64url');
    return `${head}.${body}.${signature}`;
  };
  const jwk = {
    ...publicKey.export({ format: 'jwk' }),
    kid: 'test',
    use: 'sig',
    alg: 'RS256',
  };
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
        }),
      );
    } else if (req.url === '/jwks') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else if (req.url?.startsWith('/authorize')) {
      // The person has signed in: back to the portal with a code.
      const q = new URL(req.url, issuer).searchParams;
      const code = crypto.randomBytes(12).toString('hex');
      codes.set(code, {
        nonce: q.get('nonce') ?? undefined,
        clientId: q.get('client_id')!,
      });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      if (q.get('state')) back.searchParams.set('state', q.get('state')!);
      res.statusCode = 302;
      res.setHeader('Location', back.toString());
      res.end();
    } else if (req.url === '/token' && req.method === 'POST') {
      let text = '';
      req.on('data', d => (text += d));
      req.on('end', () => {
        const grant = codes.get(new URLSearchParams(text).get('code') ?? '');
        if (!grant) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        res.end(
          JSON.stringify({
            access_token: 'access-token',
            token_type: 'Bearer',
            expires_in: 300,
            id_token: idToken(grant.clientId, grant.nonce),
          }),
        );
      });
    } else if (req.url === '/userinfo') {
      // Backstage takes only a verified e-mail.
      res.end(JSON.stringify({ ...person, email_verified: true }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  const port = await listen(server);
  issuer = `http://127.0.0.1:${port}`;
  return { issuer, close: () => new Promise(r => server.close(r)) };
}

describe.skipIf(!hasPostgres())('the production profile on PostgreSQL', () => {
  it('starts, logs JSON, serves health and machine access, signs in through OIDC only, and stops on SIGTERM', async () => {
    const oidc = await startOidcProvider({
      sub: 'priya',
      email: 'priya.shah@cartwheel.example',
    });
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        '../../app-config.yaml',
        '--config',
        '../../app-config.production.yaml',
      ],
      {
        cwd: backendDir,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          APP_BASE_URL: baseUrl,
          APP_CONFIG_backend_listen_port: String(port),
          APP_CONFIG_backend_listen_host: '127.0.0.1',
          INFRA_HUB_EXTERNAL_TOKEN: EXTERNAL_TOKEN,
          AUTH_SESSION_SECRET: crypto.randomBytes(16).toString('hex'),
          AUTH_OIDC_METADATA_URL: `${oidc.issuer}/.well-known/openid-configuration`,
          AUTH_OIDC_CLIENT_ID: 'infra-hub-portal',
          AUTH_OIDC_CLIENT_SECRET: 'oidc-client-secret-value',
          INFRA_VAULT_KEY_PRIMARY: crypto.randomBytes(32).toString('base64'),
          INFRA_FINGERPRINT_SALT: crypto.randomBytes(32).toString('base64'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    const exited = new Promise<number | null>(resolve =>
      child.on('exit', code => resolve(code)),
    );
    const get = (url: string, token?: string) =>
      fetch(`${baseUrl}${url}`, {
        redirect: 'manual',
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    /** Signs in through the OIDC provider as a browser would; returns the Backstage token. */
    const signIn = async () => {
      const jar = new Map<string, string>();
      const keep = (res: Response) => {
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair.indexOf('=');
          jar.set(pair.slice(0, i), pair.slice(i + 1));
        }
      };
      const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const start = await fetch(
        `${baseUrl}/api/auth/oidc/start?env=production&scope=openid%20profile%20email`,
        { redirect: 'manual' },
      );
      keep(start);
      const authorize = await fetch(start.headers.get('location')!, {
        redirect: 'manual',
      });
      const frame = await fetch(authorize.headers.get('location')!, {
        redirect: 'manual',
        headers: { Cookie: cookie() },
      });
      // The callback page hands the app its answer, as the browser's pop-up would.
      const page = await frame.text();
      const posted = /decodeURIComponent\('([^']*)'\)/.exec(page)?.[1];
      const answer = posted ? JSON.parse(decodeURIComponent(posted)) : {};
      const token = answer.response?.backstageIdentity?.token;
      if (!token)
        throw new Error(
          `OIDC sign-in failed: ${JSON.stringify(
            answer.error ?? frame.status,
          )}`,
        );
      return token as string;
    };

    try {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null)
          throw new Error(`backend exited:\n${output}`);
        const ready = await get('/.backstage/health/v1/readiness').catch(
          () => undefined,
        );
        if (ready?.status === 200) break;
        if (Date.now() > deadline)
          throw new Error(`backend not ready:\n${output}`);
        await new Promise(r => setTimeout(r, 500));
      }
      const live = await get('/.backstage/health/v1/liveness');
      expect(live.status).toBe(200);

      // Security headers on backend responses.
      const headers = (await get('/api/infra-hub/about', EXTERNAL_TOKEN))
        .headers;
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('content-security-policy')).toContain(
        "frame-ancestors 'none'",
      );
      expect(headers.get('content-security-policy')).toContain(
        "default-src 'self'",
      );

      // Machine access with the static external-access token; nothing without a token.
      const about = await get('/api/infra-hub/about', EXTERNAL_TOKEN);
      expect(about.status).toBe(200);
      expect((await about.json()).features[0]).toMatchObject({
        id: 'portal',
        enabled: true,
      });
      expect((await get('/api/infra-hub/about')).status).toBe(401);
      expect((await get('/api/infra-hub/about', 'not-the-token')).status).toBe(
        401,
      );

      // Priya signs in through the OIDC provider (once the catalog has her User entity).
      let priya = '';
      let signInError = '';
      while (!priya && Date.now() < deadline) {
        try {
          priya = await signIn();
        } catch (e) {
          signInError = String(e);
          await new Promise(r => setTimeout(r, 1000));
        }
      }
      // The reason of the last failed attempt, if it never worked.
      expect(priya ? '' : signInError || 'no token').toBe('');

      // The catalog runs on PostgreSQL with the demo estate, and shows each person only the
      // tenants they hold a role in: Priya sees Cartwheel's domain, not Harbor's.
      let domains: string[] = [];
      while (domains.length < 1 && Date.now() < deadline) {
        const res = await get(
          '/api/catalog/entities/by-query?filter=kind=domain',
          priya,
        );
        domains = (await res.json()).items.map((e: any) => e.metadata.name);
        if (domains.length < 1) await new Promise(r => setTimeout(r, 500));
      }
      expect(domains).toEqual(['cartwheel-commerce']);
      // The installation's static token is narrowed to what automation needs: no catalog.
      expect([401, 403]).toContain(
        (await get('/api/catalog/entities?limit=1', EXTERNAL_TOKEN)).status,
      );

      // Sign-in goes to the OIDC provider; the guest provider refuses outside development.
      const start = await get(
        '/api/auth/oidc/start?env=production&scope=openid',
      );
      expect(start.status).toBe(302);
      const location = new URL(start.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(
        `${oidc.issuer}/authorize`,
      );
      expect(location.searchParams.get('client_id')).toBe('infra-hub-portal');
      const guest = await fetch(
        `${baseUrl}/api/auth/guest/refresh?env=production`,
        {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        },
      );
      expect(guest.ok).toBe(false);
      const demo = await fetch(
        `${baseUrl}/api/auth/demo/refresh?user=${encodeURIComponent(
          'user:default/alex.morgan',
        )}`,
        { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
      );
      expect(demo.ok).toBe(false);
      // The refused sign-in is in the system scope's audit log (read with the installation's
      // own machine token).
      const signIns = await get(
        '/api/infra-security/audit/system/events?action=user.sign-in-failed',
        EXTERNAL_TOKEN,
      );
      expect(signIns.status).toBe(200);
      const refusedSignIns = (await signIns.json()).items;
      for (const provider of ['guest', 'demo']) {
        expect(refusedSignIns).toContainEqual(
          expect.objectContaining({
            outcome: 'failure',
            details: { provider, reason: 'NotImplementedError' },
          }),
        );
      }

      // The operator commands work against it with the machine token, and refuse without one.
      const cli = (cliArgs: string[], token?: string) =>
        spawnSync(
          process.execPath,
          [
            path.resolve(
              backendDir,
              '../../plugins/infra-security-backend/bin/infra-security.mjs',
            ),
            ...cliArgs,
            '--url',
            baseUrl,
          ],
          {
            encoding: 'utf8',
            env: { ...process.env, INFRA_HUB_TOKEN: token ?? '' },
          },
        );
      const post = (url: string, token: string, body: unknown) =>
        fetch(`${baseUrl}${url}`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      const credential = {
        name: `ci-credential-${Date.now()}`,
        kind: 'token',
        value: 'value-123',
      };
      // Tenant data and keys are people's business: the static token gets neither.
      expect(
        (
          await post(
            '/api/infra-security/tenants/cartwheel/credentials',
            EXTERNAL_TOKEN,
            credential,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await post(
            '/api/infra-security/tenants/cartwheel/api-keys',
            EXTERNAL_TOKEN,
            { name: 'ci-plans', role: 'security-analyst' },
          )
        ).status,
      ).toBe(403);
      // Nor may it write audit events in anyone's name.
      expect(
        (
          await post('/api/infra-security/audit/events', EXTERNAL_TOKEN, {
            scope: 'cartwheel',
            actor: 'user:default/priya.shah',
            action: 'change.approved',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await post(
            '/api/infra-security/tenants/cartwheel/credentials',
            priya,
            credential,
          )
        ).status,
      ).toBe(201);
      // A tenant's machine API key, minted by Priya, works in production too
      // (app-config.production.yaml lists the infra-api-key entry again): CI uploads a plan
      // with it; the catalog refuses it.
      const keyRes = await post(
        '/api/infra-security/tenants/cartwheel/api-keys',
        priya,
        { name: 'ci-plans', role: 'security-analyst' },
      );
      expect(keyRes.status).toBe(201);
      const apiKey = (await keyRes.json()).token as string;
      const upload = await fetch(
        `${baseUrl}/api/infra-change/tenants/cartwheel/plans?module=storefront-prod`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
          },
          body: fs.readFileSync(
            path.resolve(
              backendDir,
              '../../examples/terraform/cartwheel/plans/storefront-prod.plan.json',
            ),
            'utf8',
          ),
        },
      );
      expect(upload.status).toBe(201);
      expect(await upload.json()).toMatchObject({ drifted: 3 });
      expect([401, 403]).toContain(
        (await get('/api/catalog/entities?limit=1', apiKey)).status,
      );

      const rotate = cli(['rotate-vault'], EXTERNAL_TOKEN);
      expect(rotate.status).toBe(0);
      expect(rotate.stdout).toContain(
        "re-encrypted 0 credential(s) under vault key 'primary'",
      );
      const verify = cli(['verify-audit', 'cartwheel'], EXTERNAL_TOKEN);
      expect(verify.status).toBe(0);
      expect(verify.stdout).toMatch(
        /audit chain of 'cartwheel' holds: \d+ event/,
      );
      const tenants = cli(['tenants'], EXTERNAL_TOKEN);
      expect(tenants.status).toBe(0);
      expect(tenants.stdout).toMatch(/^cartwheel\t/m);
      const refused = cli(['rotate-vault']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('set INFRA_HUB_TOKEN');
      expect(`${rotate.stdout}${verify.stdout}`).not.toContain(EXTERNAL_TOKEN);

      // Logs are JSON lines, and no secret of the configuration appears in them.
      const lines = output.split('\n').filter(l => l.trim().startsWith('{'));
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) {
        expect(JSON.parse(line)).toHaveProperty('level');
      }
      for (const secret of [
        EXTERNAL_TOKEN,
        'oidc-client-secret-value',
        process.env.POSTGRES_PASSWORD!,
      ]) {
        expect(output).not.toContain(secret);
      }
    } finally {
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<string>(r => setTimeout(() => r('timeout'), 30_000)),
      ]);
      if (code === 'timeout') child.kill('SIGKILL');
      await oidc.close();
      // A clean shutdown on SIGTERM: the process exits by itself, with status 0.
      expect(code).toBe(0);
    }
  }, 180_000);
});
