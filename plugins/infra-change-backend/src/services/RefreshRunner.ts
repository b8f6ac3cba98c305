import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { RefreshTarget } from '../config';
import { StoredPlan } from '../database/ChangeStore';
import { ChangeService } from './ChangeService';

/**
 * What a failed run of the binary said, for an error message: from its first `Error:` line (at
 * most 8 lines), else its last lines. Never the environment.
 */
function tail(text: string) {
  const lines = text
    .trim()
    .split('\n')
    .map(l => l.replace(/^[│╷╵ ]+/, '').trimEnd())
    .filter(Boolean);
  const at = lines.findIndex(l => l.startsWith('Error:'));
  return (at >= 0 ? lines.slice(at, at + 8) : lines.slice(-6)).join('\n');
}

function run(
  target: RefreshTarget,
  args: string[],
  env: Record<string, string>,
  maxBuffer = 1024 * 1024 * 1024,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      target.binary,
      args,
      {
        cwd: target.workingDirectory,
        env,
        timeout: target.timeoutMs,
        maxBuffer,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        if (error) {
          const why =
            (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? `${target.binary} is not installed or not on PATH`
              : tail(stderr || stdout) || error.message;
          reject(
            new Error(
              `${path.basename(target.binary)} ${args[0]} failed: ${why}`,
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/**
 * Runs `plan -refresh-only` in a module's working directory and ingests the result like an
 * uploaded plan (kind `refresh-only`): init, plan to a temporary file, `show -json`. The binary
 * gets a minimal environment (PATH, HOME, the TF_ variables and the ones named in `passEnv`),
 * never the backend's own secrets.
 */
export class RefreshRunner {
  constructor(
    private readonly service: ChangeService,
    private readonly logger?: LoggerService,
  ) {}

  /** A scheduled run: its outcome logged, a failure logged rather than thrown. */
  async runScheduled(target: RefreshTarget): Promise<void> {
    const where = { tenantId: target.tenantId, moduleId: target.moduleId };
    try {
      const plan = await this.run(target);
      this.logger?.info('refresh-only plan ingested', {
        ...where,
        drifted: plan.drifted,
        risk: plan.risk,
      });
    } catch (error) {
      this.logger?.warn('refresh-only plan failed', {
        ...where,
        error: String(error).slice(0, 2000),
      });
    }
  }

  async run(target: RefreshTarget): Promise<StoredPlan> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? os.tmpdir(),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    };
    for (const [k, v] of Object.entries(process.env)) {
      if (
        v !== undefined &&
        (k.startsWith('TF_') || target.passEnv.includes(k))
      )
        env[k] = v;
    }
    const dir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'infra-change-refresh-'),
    );
    const planFile = path.join(dir, 'refresh.tfplan');
    try {
      await run(target, ['init', '-input=false', '-no-color'], env);
      await run(
        target,
        [
          'plan',
          '-refresh-only',
          '-input=false',
          '-no-color',
          '-lock=false',
          `-out=${planFile}`,
        ],
        env,
      );
      const json = await run(target, ['show', '-json', planFile], env);
      return await this.service.uploadPlan(
        target.tenantId,
        { moduleId: target.moduleId, kind: 'refresh-only', text: json },
        'plugin:infra-change',
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
}
