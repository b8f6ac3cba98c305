import { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';

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
