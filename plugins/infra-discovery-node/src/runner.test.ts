import path from 'node:path';
import { ProviderMessage } from './protocol';
import { lastStderrLines, runProvider } from './runner';

const fixture = (name: string) => ({
  command: process.execPath,
  args: [path.join(__dirname, '__fixtures__', `${name}.mjs`)],
});
const credentials = {
  accessKeyId: 'AKIAEXAMPLE',
  secretKey: 'wJalrXUtnFEMI-secret',
};

async function run(name: string, limits = {}) {
  const messages: ProviderMessage[] = [];
  const outcome = await runProvider({
    provider: fixture(name),
    settings: { path: '/states/prod.tfstate' },
    credentials,
    onMessage: m => {
      messages.push(m);
    },
    limits,
  });
  return { outcome, messages };
}

const programOnTheHelper = {
  command: process.execPath,
  args: [
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    path.join(__dirname, '__fixtures__', 'chatty.ts'),
  ],
};

describe('runProvider', () => {
  it('receives every message of a program on the shared helper, past the pipe buffer, however slowly it reads', async () => {
    // About 12 MB of messages, read by a parent that stalls now and then.
    for (let attempt = 0; attempt < 3; attempt++) {
      let received = 0;
      const outcome = await runProvider({
        provider: programOnTheHelper,
        settings: { count: 12_000 },
        credentials: null,
        onMessage: async m => {
          if (m.type === 'asset') received += 1;
          if (received % 2_000 === 0) await new Promise(r => setTimeout(r, 30));
        },
      });
      expect({
        attempt,
        status: outcome.status,
        reason: outcome.reason,
      }).toEqual({ attempt, status: 'succeeded', reason: undefined });
      expect(received).toBe(12_000);
    }
  }, 120_000);

  it('keeps the last stderr lines of a program that dies without "done", with secrets left out', async () => {
    const outcome = await runProvider({
      provider: programOnTheHelper,
      settings: { count: 10, failAfter: true },
      credentials: null,
      onMessage: () => {},
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'the provider exited with code 7',
    });
    expect(lastStderrLines(outcome)).toBe(
      [
        'reading page 3 of the inventory',
        '(a line that looked like a secret was left out)',
        'giving up after 3 retries',
      ].join('\n'),
    );
  }, 60_000);

  it('runs a provider to the end, in order, and gives it its request on stdin only', async () => {
    process.env.INFRA_TEST_BACKEND_SECRET = 'must-not-leak';
    const { outcome, messages } = await run('good');
    expect(outcome).toMatchObject({
      status: 'succeeded',
      counts: { assets: 2, edges: 1 },
    });
    expect(messages.map(m => m.type)).toEqual([
      'progress',
      'asset',
      'asset',
      'edge',
      'warning',
      'done',
    ]);
    const seen = JSON.parse(outcome.warnings[0]);
    expect(seen.credentialReceived).toBe(true);
    expect(seen.settings).toEqual({ path: '/states/prod.tfstate' });
    expect(seen.argv).toEqual([]);
    expect(seen.env).not.toContain('INFRA_TEST_BACKEND_SECRET');
    expect(seen.env).toEqual(expect.arrayContaining(['PATH']));
    expect(JSON.stringify(seen.env)).not.toMatch(/POSTGRES|BACKSTAGE|SECRET/);
  });

  it('fails a provider that crashes, keeping what it said on stderr', async () => {
    const { outcome } = await run('crash');
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('the provider exited with code 3');
    expect(outcome.stderrTail).toContain(
      'lost connection to the state backend',
    );
    expect(outcome.counts.assets).toBe(1);
  });

  it('stops a provider that hangs', async () => {
    const { outcome } = await run('hang', { timeoutMs: 1500 });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'the provider ran longer than 1.5 s and was stopped',
    });
  });

  it('stops a provider that prints anything but protocol messages', async () => {
    const garbage = await run('garbage');
    expect(garbage.outcome.status).toBe('failed');
    expect(garbage.outcome.reason).toMatch(
      /^line 1 of the provider's output is not JSON$/,
    );
    const badAsset = await run('badasset');
    expect(badAsset.outcome.reason).toMatch(
      /line 1 is not a protocol message in asset x \(asset\.provider: Invalid input: expected string/,
    );
  });

  it('stops a provider that grows past its memory limit', async () => {
    const { outcome } = await run('hog', { maxRssMb: 200 });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'the provider used more than 200 MB of memory and was stopped',
    });
  });

  it("fails on the provider's own error, and when it never says done", async () => {
    const failed = await run('fails');
    expect(failed.outcome).toMatchObject({
      status: 'failed',
      reason: 'AccessDenied: not authorized to perform s3:ListAllMyBuckets',
      counts: { assets: 1, edges: 0 },
    });
    const quiet = await run('nodone');
    expect(quiet.outcome.reason).toBe(
      'the provider ended without saying "done"',
    );
  });

  it('masks credentials that a provider prints', async () => {
    const { outcome } = await run('leaky');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.stderrTail).toContain('using secret key ***');
    expect(outcome.warnings[0]).toBe('could not list buckets with key ***');
    expect(JSON.stringify(outcome)).not.toContain(credentials.secretKey);
  });

  it('fails cleanly when the program does not exist', async () => {
    const outcome = await runProvider({
      provider: { command: '/nonexistent/provider' },
      settings: {},
      credentials: null,
      onMessage: () => {},
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(
      /could not be started: spawn \/nonexistent\/provider ENOENT/,
    );
  });

  it('fails the run when storing a message fails, and stops the provider', async () => {
    const outcome = await runProvider({
      provider: fixture('good'),
      settings: {},
      credentials: null,
      onMessage: m => {
        if (m.type === 'edge') throw new Error('database is read-only');
      },
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: "storing the provider's output failed: database is read-only",
    });
  });
});
