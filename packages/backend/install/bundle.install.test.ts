import {
  collectOutput,
  freePort,
  hasPostgres,
  POSTGRES_URL_VARIABLE,
  waitForBackend,
} from '@infra-hub/test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { exec, expectDiscoveryAndPlan, repo, yarn, yarnRelease } from './shell';

// The Docker path, as an adopter takes it: `yarn build:backend`, the skeleton's production
// dependencies installed with `yarn workspaces focus --all --production`, the bundle unpacked
// over it, and the backend started from dist with plain node (no TypeScript anywhere) against
// PostgreSQL. Discovery must run its provider programs from their compiled entry points, and a
// plan upload must be analysed.

const backendSource = path.join(repo, 'packages/backend');

const pg = hasPostgres();
if (!pg) {
  const line = '!'.repeat(100);
  process.stderr.write(
    `\n${line}\nSKIPPED: the bundled backend test (no PostgreSQL).\nTo enable: set ${POSTGRES_URL_VARIABLE} (npm test does, through scripts/with-postgres.sh).\n${line}\n`,
  );
}

describe.runIf(pg)('the backend bundle (the Docker path)', () => {
  let dir = '';
  let backend: ChildProcess | undefined;
  let output = () => '';
  const prefix = `bundle_${crypto.randomBytes(4).toString('hex')}_`;

  afterAll(async () => {
    if (backend && backend.exitCode === null) {
      const exited = new Promise(resolve => backend!.once('exit', resolve));
      backend.kill('SIGKILL');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    // The plugins' databases of this run.
    const admin = knexFactory({
      client: 'pg',
      connection: process.env[POSTGRES_URL_VARIABLE],
    });
    try {
      const { rows } = await admin.raw(
        'SELECT datname FROM pg_database WHERE datname LIKE ?',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await admin.raw('DROP DATABASE IF EXISTS ??', [datname]);
      }
    } finally {
      await admin.destroy();
    }
  });

  it('installs its production dependencies, runs from dist, discovers the demo state and analyses a plan', async () => {
    // Built as the adopter builds it (type declarations first, as build:all does).
    yarn(['tsc'], repo);
    yarn(['build:backend'], repo);
    const dist = path.join(backendSource, 'dist');

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-bundle-'));
    for (const file of ['package.json', 'yarn.lock', '.yarnrc.yml']) {
      fs.copyFileSync(path.join(repo, file), path.join(dir, file));
    }
    fs.mkdirSync(path.join(dir, '.yarn/releases'), { recursive: true });
    fs.copyFileSync(
      yarnRelease,
      path.join(dir, '.yarn/releases', path.basename(yarnRelease)),
    );
    exec('tar', ['-xzf', path.join(dist, 'skeleton.tar.gz')], dir);
    yarn(['workspaces', 'focus', '--all', '--production'], dir);
    exec('tar', ['-xzf', path.join(dist, 'bundle.tar.gz')], dir);
    // No TypeScript travels: the provider programs are compiled entry points.
    for (const module of ['terraform', 'aws']) {
      expect(
        fs.existsSync(
          path.join(
            dir,
            `plugins/infra-discovery-backend-module-${module}/dist/provider.cjs.js`,
          ),
        ),
      ).toBe(true);
    }

    const port = await freePort();
    const url = new URL(process.env[POSTGRES_URL_VARIABLE]!);
    // Started with plain node, from the repository's backend folder so that the demo estate's
    // relative paths in app-config.yaml resolve.
    backend = spawn(
      process.execPath,
      [path.join(dir, 'packages/backend'), '--config', '../../app-config.yaml'],
      {
        cwd: backendSource,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? os.tmpdir(),
          NODE_ENV: 'development',
          APP_CONFIG_backend_listen_port: String(port),
          APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
          APP_CONFIG_backend_database_client: 'pg',
          APP_CONFIG_backend_database_prefix: prefix,
          APP_CONFIG_backend_database_connection_host: url.hostname,
          APP_CONFIG_backend_database_connection_port: url.port || '5432',
          APP_CONFIG_backend_database_connection_user: decodeURIComponent(
            url.username,
          ),
          APP_CONFIG_backend_database_connection_password:
            decodeURIComponent(url.password) || 'unused-with-trust-auth',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    output = collectOutput(backend);
    const base = `http://localhost:${port}`;
    await waitForBackend(backend, base, output, 180_000);

    // The demo estate's storefront state is discovered shortly after start; a plan is analysed
    // in the plan worker, compiled too.
    const stored = await expectDiscoveryAndPlan({
      baseUrl: base,
      tenantId: 'cartwheel',
      sourceId: 'storefront-prod',
      moduleId: 'bundle-check',
      output,
    });
    expect(stored).toMatchObject({ moduleId: 'bundle-check', kind: 'plan' });
    expect(output()).not.toContain('plans are analysed on the event loop');
  });
});
