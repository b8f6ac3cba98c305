import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a test reads back from an action run: its outputs and every log line. */
export type ActionRun = {
  outputs: Record<string, unknown>;
  logs: string[];
};

/** A fresh temporary folder, removed by `cleanup`. */
export function tempDir(prefix: string, cleanups: Array<() => void>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs a scaffolder action's handler as the task engine does: a workspace, a logger that keeps
 * every line, outputs collected, checkpoints run once, and the initiator's credentials.
 */
export async function runAction(
  action: TemplateAction<any, any, any>,
  options: {
    input: JsonObject;
    workspacePath: string;
    isDryRun?: boolean;
    credentials?: BackstageCredentials;
    templateBaseUrl?: string;
    userRef?: string;
  },
): Promise<ActionRun> {
  const outputs: Record<string, unknown> = {};
  const logs: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    (logger[level] as any).mockImplementation((message: string) => {
      logs.push(`${level}: ${message}`);
    });
  }
  const ctx: ActionContext<any, any> = {
    logger,
    workspacePath: options.workspacePath,
    input: options.input,
    checkpoint: async ({ fn }: any) => fn(),
    output: (name: string, value: unknown) => {
      outputs[name] = value;
    },
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'infra-action-')),
    getInitiatorCredentials: async () =>
      options.credentials ??
      mockCredentials.user(options.userRef ?? 'user:default/priya.shah'),
    task: { id: 'task-1' },
    isDryRun: options.isDryRun ?? false,
    user: { ref: options.userRef ?? 'user:default/priya.shah' },
    ...(options.templateBaseUrl
      ? {
          templateInfo: {
            entityRef: 'template:default/test',
            baseUrl: options.templateBaseUrl,
          },
        }
      : {}),
  };
  try {
    await action.handler(ctx);
  } catch (e) {
    Object.assign(e as object, { logs, outputs });
    throw e;
  }
  return { outputs, logs };
}
