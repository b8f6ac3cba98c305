import { execFileSync } from 'node:child_process';
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
