import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const FRONTEND_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';
const root = path.resolve(__dirname, '../../..');

function portInUse(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(url: string, deadline: number, child: ChildProcess) {
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `the portal exited with code ${child.exitCode} before ${url} answered`,
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within the start-up time`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/**
 * Starts the chat's local OpenAI-protocol model (`yarn chat:local-model`) on `port`; returns its
 * base URL and a function that stops it.
 */
export async function startLocalModel(
  port: number,
  logFile: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (await portInUse(port)) {
    throw new Error(`port ${port} is in use: stop what listens there`);
  }
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli-node/config/nodeTransform.cjs',
      path.join(root, 'plugins/infra-chat-backend/src/models/localModelCli.ts'),
      '--port',
      String(port),
    ],
    { cwd: root, stdio: ['ignore', log, log] },
  );
  const url = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + 60_000;
  while (!(await portInUse(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `the local model did not start; its output is in ${logFile}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      fs.closeSync(log);
    },
  };
}

/**
 * Starts the portal as the README's first command does (frontend dev server and backend), on a
 * fresh SQLite directory so that every run begins from the demo estate, and returns a function
 * that stops it.
 */
export async function startPortal(
  logFile: string,
  /** More environment for the portal, e.g. `APP_CONFIG_...` settings of this run. */
  env: Record<string, string> = {},
): Promise<() => Promise<void>> {
  for (const port of [3000, 7007]) {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is in use: stop the portal (or whatever listens there) before the end-to-end test`,
      );
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-e2e-'));
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      path.join(root, '.yarn/releases/yarn-4.13.0.cjs'),
      'backstage-cli',
      'repo',
      'start',
    ],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        APP_CONFIG_backend_database_connection_directory: dataDir,
        // The golden paths publish to a git folder of this run, not the repository's .data/git.
        APP_CONFIG_infra_scaffolder_gitRemotes: JSON.stringify([
          { name: 'demo', directory: path.join(dataDir, 'git') },
        ]),
        ...env,
        BROWSER: 'none',
        // vitest sets NODE_ENV=test, which the app's bundler and the guest provider do not accept.
        NODE_ENV: 'development',
      },
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      process.kill(-child.pid, 'SIGTERM');
      const exited = new Promise(r => child.once('exit', r));
      const timeout = new Promise(r => setTimeout(r, 15_000));
      await Promise.race([exited, timeout]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    fs.closeSync(log);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 300_000;
    await waitFor(
      `${BACKEND_URL}/.backstage/health/v1/readiness`,
      deadline,
      child,
    );
    await waitFor(FRONTEND_URL, deadline, child);
  } catch (error) {
    await stop();
    throw new Error(
      `${(error as Error).message}; the portal's output is in ${logFile}`,
    );
  }
  return stop;
}
