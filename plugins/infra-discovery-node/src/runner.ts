import { looksLikeSecret } from '@infra-hub/plugin-infra-security-common';
import { EgressPolicy } from './egress';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import {
  PROTOCOL_VERSION,
  ProviderMessage,
  providerMessageSchema,
  RunRequest,
} from './protocol';

/** How to start a provider program. */
export type ProviderCommand = {
  command: string;
  args?: string[];
  cwd?: string;
};

/** What a run may use before it is stopped. */
export type RunLimits = {
  /** Wall-clock time for the whole run. */
  timeoutMs: number;
  /** Resident memory of the provider process (checked on Linux through /proc). */
  maxRssMb: number;
  /** The longest line a provider may print. */
  maxLineBytes: number;
};

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: 15 * 60_000,
  maxRssMb: 1024,
  maxLineBytes: 4 * 1024 * 1024,
};

export type RunOutcome = {
  status: 'succeeded' | 'failed';
  /** Why a failed run failed, in words a user can act on. */
  reason?: string;
  counts: { assets: number; edges: number };
  /** The provider's warnings: partial errors of a run that went on. */
  warnings: string[];
  /** The end of what the provider wrote to stderr, credentials masked. */
  stderrTail: string;
  durationMs: number;
};

const STDERR_TAIL_BYTES = 4096;
const RSS_CHECK_MS = 200;

/** Only what a program needs to start: nothing of the backend's own environment (secrets). */
function providerEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    LANG: 'C.UTF-8',
    TZ: 'UTC',
  };
}

function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The text with every line that looks like it holds a secret left out. */
function scrubLines(text: string): string {
  return text
    .split('\n')
    .map(line =>
      looksLikeSecret(line)
        ? '(a line that looked like a secret was left out)'
        : line,
    )
    .join('\n');
}

/**
 * The last lines a provider wrote to stderr, for a failed job and the log: at most `count`
 * lines and 2,000 characters, already masked and scrubbed by the runner.
 *
 * @public
 */
export function lastStderrLines(outcome: RunOutcome, count = 10): string {
  const lines = outcome.stderrTail.trimEnd().split('\n');
  return lines.slice(-count).join('\n').slice(-2000);
}

function masker(credentials: Record<string, string> | null) {
  const secrets = Object.values(credentials ?? {}).filter(
    v => typeof v === 'string' && v.length >= 4,
  );
  return (text: string) =>
    secrets.reduce((t, s) => t.split(s).join('***'), text);
}

/**
 * Runs one provider in its own process and hands each of its messages to `onMessage`, in order,
 * waiting for each (so that storing them paces the provider). The provider gets the request,
 * credentials included, on stdin only: not in its arguments, not in its environment. It is
 * killed when it runs past the time limit, grows past the memory limit, or prints anything that
 * is not a protocol message; the outcome says which. The caller's process is never at risk.
 */
export async function runProvider(options: {
  provider: ProviderCommand;
  settings: Record<string, unknown>;
  credentials: Record<string, string> | null;
  /** Where the provider may connect (sources created through the API); none: unrestricted. */
  egress?: EgressPolicy;
  /** The tenant's salt for fingerprints of secrets the provider finds. */
  fingerprintSalt?: string;
  onMessage: (message: ProviderMessage) => void | Promise<void>;
  limits?: Partial<RunLimits>;
}): Promise<RunOutcome> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const mask = masker(options.credentials);
  const started = Date.now();
  const counts = { assets: 0, edges: 0 };
  const warnings: string[] = [];
  let failure: string | undefined;
  let sawDone = false;
  let stderrTail = '';

  const child = spawn(options.provider.command, options.provider.args ?? [], {
    cwd: options.provider.cwd,
    env: providerEnvironment(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }>(resolve =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const spawnError = new Promise<Error>(resolve =>
    child.once('error', resolve),
  );

  const fail = (reason: string) => {
    if (!failure) failure = reason;
    child.kill('SIGKILL');
  };

  const timer = setTimeout(
    () =>
      fail(
        `the provider ran longer than ${Number(
          (limits.timeoutMs / 1000).toFixed(1),
        )} s and was stopped`,
      ),
    limits.timeoutMs,
  );
  const memory = setInterval(() => {
    const rss = child.pid ? rssMb(child.pid) : undefined;
    if (rss !== undefined && rss > limits.maxRssMb) {
      fail(
        `the provider used more than ${limits.maxRssMb} MB of memory and was stopped`,
      );
    }
  }, RSS_CHECK_MS);

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  child.stdin.on('error', () => {
    // A provider that exits without reading its request; the exit status tells the rest.
  });
  const request: RunRequest = {
    type: 'run',
    protocol: PROTOCOL_VERSION,
    settings: options.settings,
    credentials: options.credentials,
    ...(options.egress ? { egress: options.egress } : {}),
    ...(options.fingerprintSalt
      ? { fingerprintSalt: options.fingerprintSalt }
      : {}),
  };
  child.stdin.end(`${JSON.stringify(request)}\n`);

  const lines = readline.createInterface({
    input: child.stdout,
    crlfDelay: Infinity,
  });
  const reading = (async () => {
    let lineNo = 0;
    for await (const line of lines) {
      lineNo += 1;
      if (failure) break;
      if (!line.trim()) continue;
      if (Buffer.byteLength(line) > limits.maxLineBytes) {
        fail(
          `line ${lineNo} of the provider's output is longer than ${limits.maxLineBytes} bytes`,
        );
        break;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // Said without quoting the line: it may hold anything the provider read.
        fail(`line ${lineNo} of the provider's output is not JSON`);
        break;
      }
      const message = providerMessageSchema.safeParse(parsed);
      if (!message.success) {
        // Names the field and what was expected, and which asset, never the value itself.
        const issue = message.error.issues[0];
        const assetOf = (parsed as { asset?: { id?: unknown } })?.asset?.id;
        const which =
          typeof assetOf === 'string' && assetOf.length <= 300
            ? ` in asset ${assetOf}`
            : '';
        fail(
          `line ${lineNo} is not a protocol message${which} (${
            issue.path.join('.') || 'type'
          }: ${issue.message})`,
        );
        break;
      }
      const m = message.data;
      if (sawDone) {
        fail(`line ${lineNo} came after "done"`);
        break;
      }
      if (m.type === 'asset') counts.assets += 1;
      if (m.type === 'edge') counts.edges += 1;
      if (m.type === 'warning') warnings.push(mask(m.message));
      if (m.type === 'error') {
        fail(mask(m.message));
        break;
      }
      if (m.type === 'done') sawDone = true;
      try {
        await options.onMessage(m);
      } catch (e) {
        fail(`storing the provider's output failed: ${(e as Error).message}`);
        break;
      }
    }
  })();

  const first = await Promise.race([exited.then(() => undefined), spawnError]);
  if (first instanceof Error) {
    failure ??= `the provider could not be started: ${first.message}`;
  }
  const { code, signal } = await Promise.race([
    exited,
    spawnError.then(() => ({ code: null, signal: null })),
  ]);
  await reading.catch(() => undefined);
  clearTimeout(timer);
  clearInterval(memory);

  if (!failure && code !== 0) {
    failure = signal
      ? `the provider was killed by ${signal}`
      : `the provider exited with code ${code}`;
  }
  if (!failure && !sawDone)
    failure = 'the provider ended without saying "done"';
  return {
    status: failure ? 'failed' : 'succeeded',
    ...(failure ? { reason: failure } : {}),
    counts,
    warnings,
    stderrTail: scrubLines(mask(stderrTail)),
    durationMs: Date.now() - started,
  };
}
