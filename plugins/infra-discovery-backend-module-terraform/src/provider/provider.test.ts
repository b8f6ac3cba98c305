import {
  DEFAULT_EGRESS_POLICY,
  EgressPolicy,
  runProvider,
  ProviderMessage,
} from '@infra-hub/plugin-infra-discovery-node';
import {
  builtInPacksDirectory,
  evaluateResources,
  loadRuleSet,
  secretFingerprint,
} from '@infra-hub/plugin-infra-compliance-node';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../../..');
const cartwheelState = path.join(
  repo,
  'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
);
const provider = {
  command: process.execPath,
  args: [
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    path.join(__dirname, 'main.ts'),
  ],
  cwd: path.resolve(__dirname, '../..'),
};

async function discover(
  settings: Record<string, unknown>,
  credentials: Record<string, string> | null = null,
  egress?: EgressPolicy,
  fingerprintSalt?: string,
) {
  const messages: ProviderMessage[] = [];
  const outcome = await runProvider({
    provider,
    settings,
    credentials,
    ...(egress ? { egress } : {}),
    ...(fingerprintSalt ? { fingerprintSalt } : {}),
    onMessage: m => {
      messages.push(m);
    },
    limits: { timeoutMs: 60_000 },
  });
  return { outcome, messages };
}

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('the Terraform state provider, as its own process', () => {
  it('discovers a state file from a local path', async () => {
    const { outcome, messages } = await discover({
      type: 'file',
      path: cartwheelState,
    });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.counts.assets).toBeGreaterThan(30);
    expect(outcome.counts.edges).toBeGreaterThan(40);
    const types = new Set(
      messages.filter(m => m.type === 'edge').map(m => (m as any).edge.type),
    );
    expect(types).toEqual(
      new Set([
        'contains',
        'attached_to',
        'depends_on',
        'executes_as',
        'encrypted_by',
        'logs_to',
        'can_access',
        'internet_ingress',
      ]),
    );
  }, 90_000);

  it('lists the secrets the state keeps in plain text on their assets, by fingerprint, never the value', async () => {
    const salt = 'a-tenant-salt-of-sixteen';
    const { outcome, messages } = await discover(
      { type: 'file', path: cartwheelState },
      null,
      undefined,
      salt,
    );
    expect(outcome.status).toBe('succeeded');
    const assets = messages
      .filter(m => m.type === 'asset')
      .map(m => (m as any).asset);
    const withSecrets = assets.filter(
      (a: any) => a.attributes.infra_hub_secrets?.length,
    );
    expect(withSecrets.map((a: any) => a.type)).toContain('aws_db_instance');
    const marker = withSecrets.find((a: any) => a.type === 'aws_db_instance')
      .attributes.infra_hub_secrets[0];
    expect(marker).toEqual({
      kind: expect.stringMatching(
        /^tf-(state-sensitive-value|secret-attribute)$/,
      ),
      severity: 'high',
      attribute: 'password',
      file: cartwheelState,
      line: expect.any(Number),
      fingerprint: secretFingerprint(salt, 'demo-only-orders-db-password'),
    });
    // Every resource of the scanned state says it was scanned; no message carries a value.
    const resources = assets.filter((a: any) => a.type.startsWith('aws_'));
    expect(resources.length).toBeGreaterThan(30);
    expect(
      resources.every((a: any) =>
        Array.isArray(a.attributes.infra_hub_secrets),
      ),
    ).toBe(true);
    expect(JSON.stringify(messages)).not.toContain(
      'demo-only-orders-db-password',
    );
    // Without a salt (an older backend), nothing is scanned.
    const unsalted = await discover({ type: 'file', path: cartwheelState });
    expect(
      unsalted.messages.some(
        m =>
          m.type === 'asset' &&
          'infra_hub_secrets' in (m as any).asset.attributes,
      ),
    ).toBe(false);
  }, 90_000);

  it('lists the secrets kept outside any resource (sensitive root outputs) on an asset of the state, which the secret rule fails', async () => {
    const salt = 'a-tenant-salt-of-sixteen';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-tf-outputs-'));
    const file = path.join(dir, 'outputs.tfstate');
    const state = JSON.parse(fs.readFileSync(cartwheelState, 'utf8'));
    state.outputs = {
      ...state.outputs,
      admin_api_token: {
        value: 'Zq7-correct-horse-battery-staple-91-token',
        type: 'string',
        sensitive: true,
      },
      bucket_name: { value: 'cartwheel-assets', type: 'string' },
    };
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
    try {
      const { outcome, messages } = await discover(
        { type: 'file', path: file },
        null,
        undefined,
        salt,
      );
      expect(outcome.status).toBe('succeeded');
      const assets = messages
        .filter(m => m.type === 'asset')
        .map(m => (m as any).asset);
      const stateAssets = assets.filter(
        (a: any) => a.type === 'terraform_state',
      );
      expect(stateAssets).toHaveLength(1);
      expect(stateAssets[0]).toMatchObject({
        provider: 'terraform',
        nativeId: file,
        name: `Terraform state ${file}`,
      });
      expect(stateAssets[0].attributes.infra_hub_secrets).toEqual([
        {
          kind: 'tf-sensitive-output',
          severity: 'medium',
          attribute: 'output.admin_api_token',
          file,
          line: expect.any(Number),
          fingerprint: secretFingerprint(
            salt,
            'Zq7-correct-horse-battery-staple-91-token',
          ),
        },
      ]);
      // The secret rule (any type with the markers) fails for it.
      const rules = loadRuleSet([builtInPacksDirectory()]).rules.filter(
        r => r.rule.id === 'secret-in-terraform-state',
      );
      const [result] = evaluateResources(rules, [
        {
          type: 'terraform_state',
          address: stateAssets[0].id,
          attributes: stateAssets[0].attributes,
        },
      ]);
      expect(result).toMatchObject({ status: 'fail' });
      expect(result.message).toMatch(/output\.admin_api_token/);
      // A plain output is no secret; the value is in no message.
      expect(JSON.stringify(messages)).not.toContain(
        'Zq7-correct-horse-battery-staple-91-token',
      );
      // The demo's state keeps none outside its resources: no such asset.
      const demo = await discover(
        { type: 'file', path: cartwheelState },
        null,
        undefined,
        salt,
      );
      expect(
        demo.messages.some(
          m =>
            m.type === 'asset' && (m as any).asset.type === 'terraform_state',
        ),
      ).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('discovers from an HTTP URL with the bearer token from the vault, and fails clearly when unreachable', async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== 'Bearer state-reader-token') {
        res.statusCode = 401;
        res.end();
        return;
      }
      fs.createReadStream(cartwheelState).pipe(res);
    });
    try {
      const ok = await discover(
        { type: 'http', url: `${server.base}/states/storefront` },
        { token: 'state-reader-token', host: '127.0.0.1' },
      );
      expect(ok.outcome.status).toBe('succeeded');
      expect(seen).toEqual(['Bearer state-reader-token']);
      const denied = await discover({
        type: 'http',
        url: `${server.base}/states/storefront`,
      });
      expect(denied.outcome).toMatchObject({
        status: 'failed',
        reason: `${server.base}/states/storefront answered 401`,
      });
    } finally {
      await server.close();
    }
    // The server is closed now: nothing listens on its port.
    const gone = `${server.base}/state`;
    const unreachable = await discover({ type: 'http', url: gone });
    expect(unreachable.outcome).toMatchObject({
      status: 'failed',
      reason: `Cannot reach ${gone}: ECONNREFUSED`,
    });
  }, 120_000);

  it('keeps a source created through the API to the egress policy, and its credential to its host', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.url === '/redirect') {
        res.statusCode = 302;
        res.setHeader('Location', 'http://169.254.169.254/latest/meta-data/');
        res.end();
      } else if (req.url === '/error') {
        res.statusCode = 500;
        res.end('internal-detail-SECRET-BODY');
      } else if (req.url === '/garbage') {
        res.end('hello SECRET-BODY, this is not a state');
      } else fs.createReadStream(cartwheelState).pipe(res);
    });
    const port = new URL(server.base).port;
    const loopbackAllowed = {
      ...DEFAULT_EGRESS_POLICY,
      allowedNetworks: ['127.0.0.0/8'],
    };
    const token = { token: 'bound-token', host: '127.0.0.1' };
    try {
      // Public addresses only, by default: loopback by literal and by name, cloud metadata.
      const cases: Array<[string, RegExp]> = [
        [
          `${server.base}/state`,
          /127\.0\.0\.1 is a loopback address: refused by the egress policy/,
        ],
        [
          `http://localhost:${port}/state`,
          /localhost resolves to (127\.0\.0\.1|::1), a loopback address: refused/,
        ],
        [
          'http://169.254.169.254/latest/meta-data/',
          /link-local address \(cloud metadata\)/,
        ],
        // Loopback written as an IPv4-mapped IPv6 address (hex notation once parsed).
        ['http://[::ffff:127.0.0.2]/state', /a loopback address/],
      ];
      for (const [url, reason] of cases) {
        const r = await discover(
          { type: 'http', url },
          null,
          DEFAULT_EGRESS_POLICY,
        );
        expect({ url, status: r.outcome.status }).toEqual({
          url,
          status: 'failed',
        });
        expect(r.outcome.reason).toMatch(reason);
      }
      expect(seen).toEqual([]);

      // A network the operator allows is reached, with the credential bound to it.
      const ok = await discover(
        { type: 'http', url: `${server.base}/state` },
        token,
        loopbackAllowed,
      );
      expect(ok.outcome.status).toBe('succeeded');
      expect(seen).toEqual(['/state Bearer bound-token']);

      // A credential bound to another host, or to none, is never sent.
      for (const credentials of [
        { token: 'bound-token', host: 'state.example.com' },
        { token: 'bound-token' },
      ] as Array<Record<string, string>>) {
        const r = await discover(
          { type: 'http', url: `${server.base}/state` },
          credentials,
          loopbackAllowed,
        );
        expect(r.outcome.status).toBe('failed');
        expect(r.outcome.reason).toMatch(
          /credential (is bound to another host than 127\.0\.0\.1|names no host)/,
        );
      }
      expect(seen).toHaveLength(1);

      // Redirects are not followed; errors say what failed without quoting the server.
      const redirect = await discover(
        { type: 'http', url: `${server.base}/redirect` },
        null,
        loopbackAllowed,
      );
      expect(redirect.outcome.reason).toMatch(
        /answered 302 \(a redirect\): redirects are not followed/,
      );
      for (const pathname of ['/error', '/garbage']) {
        const r = await discover(
          { type: 'http', url: `${server.base}${pathname}` },
          null,
          loopbackAllowed,
        );
        expect(r.outcome.status).toBe('failed');
        expect(JSON.stringify(r)).not.toContain('SECRET-BODY');
      }
      expect(seen).toHaveLength(4);

      // S3 without a credential: no borrowing the backend host's cloud identity.
      const s3 = await discover(
        { type: 's3', bucket: 'b', key: 'k', region: 'eu-west-1' },
        null,
        DEFAULT_EGRESS_POLICY,
      );
      expect(s3.outcome.reason).toMatch(/allowHostIdentity/);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('discovers from an S3 backend through the AWS SDK, signing with the vault credentials', async () => {
    const requests: Array<{ method?: string; url?: string; auth?: string }> =
      [];
    // A local endpoint speaking S3's GetObject, path-style.
    const server = await serve((req, res) => {
      requests.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
      });
      if (req.url?.startsWith('/tf-state-prod/cartwheel/storefront.tfstate')) {
        const body = fs.readFileSync(cartwheelState);
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Content-Length', body.length);
        res.end(body);
      } else {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'application/xml');
        res.end(
          '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
        );
      }
    });
    try {
      const settings = {
        type: 's3',
        bucket: 'tf-state-prod',
        region: 'eu-west-1',
        endpoint: server.base,
        forcePathStyle: true,
      };
      const credentials = {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      };
      const ok = await discover(
        { ...settings, key: 'cartwheel/storefront.tfstate' },
        credentials,
      );
      expect(ok.outcome.status, ok.outcome.reason).toBe('succeeded');
      expect(requests[0]).toMatchObject({ method: 'GET' });
      expect(requests[0].auth).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/,
      );
      const missing = await discover(
        { ...settings, key: 'nope.tfstate' },
        credentials,
      );
      expect(missing.outcome.status).toBe('failed');
      expect(missing.outcome.reason).toMatch(
        /^Cannot read s3:\/\/tf-state-prod\/nope\.tfstate: NoSuchKey \(404\)/,
      );
      expect(JSON.stringify([ok.outcome, missing.outcome])).not.toContain(
        credentials.secretAccessKey,
      );
    } finally {
      await server.close();
    }
  }, 120_000);

  it('fails with the reason for a malformed, unknown-version, oversized or missing state, or bad settings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-tf-'));
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    try {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [
          {
            type: 'file',
            path: write(
              'truncated.tfstate',
              fs.readFileSync(cartwheelState, 'utf8').slice(0, 5000),
            ),
          },
          /not valid JSON/,
        ],
        [
          {
            type: 'file',
            path: write('v3.tfstate', '{"version":3,"modules":[]}'),
          },
          /version 3 is not supported/,
        ],
        [
          { type: 'file', path: cartwheelState, maxBytes: 1000 },
          /larger than the limit of 1000 bytes/,
        ],
        [
          { type: 'file', path: path.join(dir, 'absent.tfstate') },
          /Cannot read .*absent\.tfstate: ENOENT/,
        ],
        [{ type: 'ftp', path: 'x' }, /settings\.type must be file, http or s3/],
        [{ type: 'http' }, /settings\.url is required/],
      ];
      for (const [settings, reason] of cases) {
        const { outcome } = await discover(settings);
        expect({ settings, status: outcome.status }).toEqual({
          settings,
          status: 'failed',
        });
        expect(outcome.reason).toMatch(reason);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
