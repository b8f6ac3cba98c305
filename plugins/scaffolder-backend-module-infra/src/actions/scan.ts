import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  atLeast,
  SEVERITIES,
  Severity,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  builtInPacksDirectory,
  loadRuleSet,
  RuleSet,
  scanPath,
  scanSecretsPath,
} from '@infra-hub/plugin-infra-compliance-node';
import crypto from 'node:crypto';
import fs from 'node:fs';

/** One thing the scan found, as the task log and the action's output show it (never a value). */
type Problem = {
  kind: 'finding' | 'secret';
  ruleId: string;
  severity: Severity;
  where: string;
};

/** The largest file the secret scan reads in a generated workspace. */
const MAX_WORKSPACE_FILE_BYTES = 8 * 1024 * 1024;

function describeProblem(p: Problem): string {
  return `${p.severity} ${p.kind} ${p.ruleId} at ${p.where}`;
}

/**
 * `infra:scan`: the suite's compliance rules and secret scanner over the generated files. The task
 * fails when anything is at or above `failOn`; every problem is logged with rule, severity and
 * place (file:line, resource address, attribute), never a secret's value. It only reads, so it
 * runs in dry runs too.
 *
 * @public
 */
export function createInfraScanAction(options?: {
  /** The rule set (default: the built-in packs). */
  ruleSet?: () => RuleSet;
}) {
  let ruleSet: RuleSet | undefined;
  const rules = () => {
    ruleSet ??= options?.ruleSet?.() ?? loadRuleSet([builtInPacksDirectory()]);
    return ruleSet;
  };
  return createTemplateAction({
    id: 'infra:scan',
    description:
      "Scans the workspace's Terraform code with Infra Hub's compliance rules and every file for secrets; fails at or above a severity.",
    supportsDryRun: true,
    examples: [
      {
        description: 'Fail the task on any high or critical finding or secret',
        example: `steps:
  - id: scan
    action: infra:scan
    input:
      failOn: high`,
      },
    ],
    schema: {
      input: {
        path: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe(
              'The folder to scan, relative to the workspace (default: the workspace).',
            ),
        failOn: z =>
          z
            .enum([...SEVERITIES, 'none'] as [string, ...string[]])
            .optional()
            .describe(
              'The lowest severity that fails the task (critical, high, medium, low, info, none).',
            ),
        secrets: z =>
          z
            .boolean()
            .optional()
            .describe('Scan for secrets as well (default true).'),
      },
      output: {
        findings: z =>
          z.number().describe('Failing compliance rules, any severity.'),
        secrets: z => z.number().describe('Secrets found, any severity.'),
        blocking: z =>
          z.number().describe('Findings and secrets at or above failOn.'),
        summary: z => z.string().describe('One line for the task output.'),
      },
    },
    async handler(ctx) {
      const target = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.path ?? '.',
      );
      if (!fs.existsSync(target)) {
        throw new InputError(
          `infra:scan: ${
            ctx.input.path ?? '.'
          } does not exist in the workspace`,
        );
      }
      const failOn = (ctx.input.failOn ?? 'high') as Severity | 'none';
      const problems: Problem[] = [];

      const code = await scanPath(rules(), target);
      for (const r of code.results) {
        if (r.status !== 'fail') continue;
        const at = r.location ? `${r.location.file}:${r.location.line}` : '';
        problems.push({
          kind: 'finding',
          ruleId: r.ruleId,
          severity: r.severity,
          where: [at, r.address].filter(Boolean).join(' '),
        });
      }

      let secretCount = 0;
      if (ctx.input.secrets !== false) {
        // Fingerprints only tell findings apart within this log: a salt of this run alone.
        const report = await scanSecretsPath(target, {
          salt: crypto.randomBytes(16).toString('hex'),
          maxBytes: MAX_WORKSPACE_FILE_BYTES,
        });
        secretCount = report.findings.length;
        for (const s of report.findings) {
          const address = [s.address, s.attribute].filter(Boolean).join('.');
          problems.push({
            kind: 'secret',
            ruleId: s.ruleId,
            severity: s.severity,
            where: [
              `${s.file}:${s.line}`,
              address,
              `fingerprint ${s.fingerprint}`,
            ]
              .filter(Boolean)
              .join(' '),
          });
        }
        for (const skipped of [...report.skipped, ...report.warnings]) {
          ctx.logger.warn(
            `infra:scan: ${skipped.file} not fully scanned: ${skipped.reason}`,
          );
        }
      }

      const blocking =
        failOn === 'none'
          ? []
          : problems.filter(p => atLeast(p.severity, failOn));
      for (const p of problems) {
        const line = describeProblem(p);
        if (blocking.includes(p)) ctx.logger.error(line);
        else ctx.logger.warn(line);
      }
      const findings = problems.length - secretCount;
      const summary = `${code.files} Terraform files, ${
        code.resources
      } resources: ${findings} failing rules, ${secretCount} secrets${
        failOn === 'none' ? '' : `, ${blocking.length} at or above ${failOn}`
      }`;
      ctx.logger.info(`infra:scan: ${summary}`);
      ctx.output('findings', findings);
      ctx.output('secrets', secretCount);
      ctx.output('blocking', blocking.length);
      ctx.output('summary', summary);
      if (blocking.length > 0) {
        throw new InputError(
          `infra:scan: ${
            blocking.length
          } findings or secrets at or above ${failOn}: ${blocking
            .slice(0, 5)
            .map(describeProblem)
            .join('; ')}${blocking.length > 5 ? '; …' : ''}`,
        );
      }
    },
  });
}
