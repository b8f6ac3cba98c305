import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { POSTGRES_URL_VARIABLE } from './databases';

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** What a backend started as a child process printed, kept for failure messages. */
export function collectOutput(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', d => (output += d));
  child.stderr?.on('data', d => (output += d));
  return () => output;
}

/**
 * Waits until the backend at `baseUrl` is ready; throws with the end of its output when it
 * exits first or is not ready within `timeoutMs`.
 */
export async function waitForBackend(
  child: ChildProcess,
  baseUrl: string,
  output: () => string,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the backend exited:\n${output().slice(-4000)}`);
    const ready = await fetch(
      `${baseUrl}/.backstage/health/v1/readiness`,
    ).catch(() => undefined);
    if (ready?.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`the backend is not ready:\n${output().slice(-4000)}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** A guest's Backstage token from a backend in development mode. */
export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (res.status !== 200)
    throw new Error(`guest sign-in answered ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/**
 * The first finished job of a discovery source, waiting while it runs (up to `seconds`).
 * Undefined when none finished in time.
 */
export async function finishedJob(
  baseUrl: string,
  token: string,
  tenantId: string,
  sourceId: string,
  seconds = 120,
): Promise<any | undefined> {
  for (let i = 0; i < seconds; i++) {
    const res = await fetch(
      `${baseUrl}/api/infra-discovery/tenants/${tenantId}/jobs?sourceId=${sourceId}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (res.status === 200) {
      const { items } = await res.json();
      const job = items.find((j: { status: string }) => j.status !== 'running');
      if (job) return job;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return undefined;
}

/** Where the portal's backend package is, for tests and benchmarks that start it. */
const PORTAL_BACKEND_DIR = path.resolve(
  resolvePackagePath('@infra-hub/test-utils'),
  '../backend',
);

/**
 * The settings (as `APP_CONFIG_` variables) that put the portal's backend on the test PostgreSQL
 * server (`BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`), its plugins' databases named
 * with `prefix` so that concurrent tests do not share them.
 */
export function postgresBackendEnv(prefix: string): Record<string, string> {
  const url = process.env[POSTGRES_URL_VARIABLE];
  if (!url)
    throw new Error(`PostgreSQL needs ${POSTGRES_URL_VARIABLE} to be set`);
  const u = new URL(url);
  return {
    APP_CONFIG_backend_database_client: 'pg',
    APP_CONFIG_backend_database_prefix: prefix,
    APP_CONFIG_backend_database_connection_host: u.hostname,
    APP_CONFIG_backend_database_connection_port: u.port,
    APP_CONFIG_backend_database_connection_user: decodeURIComponent(u.username),
    APP_CONFIG_backend_database_connection_password: decodeURIComponent(
      u.password,
    ),
  };
}

/**
 * Starts the portal's backend as `npm start` runs it (NODE_ENV=development, app-config.yaml
 * alone) on `port`: its SQLite files in `dataDir`, unless `env` puts it on PostgreSQL
 * (`postgresBackendEnv`). Output is piped (see `collectOutput`).
 */
export function spawnDevelopmentBackend(options: {
  port: number;
  dataDir?: string;
  env?: Record<string, string>;
}): ChildProcess {
  const base = `http://localhost:${options.port}`;
  return spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
    ],
    {
      cwd: PORTAL_BACKEND_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(options.port),
        APP_CONFIG_backend_baseUrl: base,
        ...(options.dataDir
          ? {
              APP_CONFIG_backend_database_connection_directory: options.dataDir,
            }
          : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/**
 * A demo user's Backstage token (`user` is the name: `priya.shah`) from a backend in development
 * mode, waiting while the catalog has not ingested the demo users yet (a minute at most).
 */
export async function demoToken(
  baseUrl: string,
  user: string,
): Promise<string> {
  const ref = `user:default/${user}`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(
      `${baseUrl}/api/auth/demo/refresh?user=${encodeURIComponent(ref)}`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    if (res.status === 200) return (await res.json()).backstageIdentity.token;
    if (res.status !== 404)
      throw new Error(`demo sign-in of ${user} answered ${res.status}`);
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${user} could not sign in at ${baseUrl}`);
}
