/*
 * infra-scan <dir|file.tf|plan.json> [--format text|json|sarif] [--fail-on <severity>|none]
 *            [--pack <file|dir>]... [--no-builtin] [--output <file>]
 *
 * Evaluates the rule packs over Terraform/OpenTofu code or a plan, offline. Exit codes: 0 no
 * failing rule at or above --fail-on (default high), 1 some, 2 a usage error, unreadable input or
 * a pack that does not load (each named with file and line).
 */
import {
  atLeast,
  RuleResult,
  Severity,
  SEVERITIES,
} from '@infra-hub/plugin-infra-compliance-common';
import { PlanFormatError } from '@infra-hub/plugin-infra-change-common';
import fs from 'node:fs';
import path from 'node:path';
import { builtInPacksDirectory, loadRuleSet } from '../packs/load';
import { FileLineError } from '../errors';
import { RuleSet } from '../packs/ruleSet';
import { toSarif } from '../sarif';
import { scanPath, ScanReport } from '../scan';
import { optionValue, sharedOption, UsageError } from './options';

const USAGE = `usage: infra-scan <dir|file.tf|plan.json> [--format text|json|sarif]
                  [--fail-on critical|high|medium|low|info|none] [--pack <file|dir>]...
                  [--no-builtin] [--output <file>]
`;

/** Where the CLI writes, and where relative paths start. @public */
export type ScanIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
};

type Options = {
  target: string;
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
  packs: string[];
  builtin: boolean;
  output?: string;
};

function parseArgs(args: string[], cwd: string): Options {
  const options: Partial<Options> & { packs: string[] } = {
    format: 'text',
    failOn: 'high',
    packs: [],
    builtin: true,
  };
  const value = (i: number, flag: string) => optionValue(args, i, flag);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (sharedOption(args, i, options as Options)) {
      i++;
    } else if (a === '--pack') {
      options.packs.push(path.resolve(cwd, value(i++, a)));
    } else if (a === '--no-builtin') {
      options.builtin = false;
    } else if (a === '--output') {
      options.output = path.resolve(cwd, value(i++, a));
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown option ${a}`);
    } else if (options.target) {
      throw new UsageError('scan one directory or plan at a time');
    } else options.target = path.resolve(cwd, a);
  }
  if (!options.target) throw new UsageError('name a directory or a plan');
  return options as Options;
}

const packageVersion = (): string =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(builtInPacksDirectory(), '..', 'package.json'),
      'utf8',
    ),
  ).version;

function text(report: ScanReport, ruleSet: RuleSet, target: string): string {
  const titles = new Map(ruleSet.rules.map(r => [r.rule.id, r.rule]));
  const failing = report.results.filter(r => r.status !== 'pass');
  const order = (r: RuleResult) => SEVERITIES.indexOf(r.severity);
  failing.sort(
    (a, b) => order(a) - order(b) || a.address.localeCompare(b.address),
  );
  const lines = failing.map(r => {
    const where = r.location ? `${r.location.file}:${r.location.line} ` : '';
    const rule = titles.get(r.ruleId);
    const status =
      r.status === 'fail' ? r.severity.toUpperCase() : r.status.toUpperCase();
    const detail = r.status === 'fail' ? rule?.remediation : r.message;
    return `${status.padEnd(8)} ${r.ruleId}  ${where}${r.address}\n         ${
      rule?.title ?? ''
    }${detail ? `: ${detail}` : ''}`;
  });
  const count = (s: RuleResult['status']) =>
    report.results.filter(r => r.status === s).length;
  return `${lines.join('\n')}${lines.length ? '\n\n' : ''}infra-scan: ${
    target || '.'
  }: ${report.resources} resources in ${report.files} ${
    report.input === 'plan' ? 'plan' : 'files'
  }, ${ruleSet.rules.length} rules: ${count('fail')} failed, ${count(
    'unknown',
  )} unknown, ${count('error')} errors, ${count('pass')} passed\n`;
}

async function scan(options: Options, io: ScanIo): Promise<number> {
  const locations = [
    ...(options.builtin ? [builtInPacksDirectory()] : []),
    ...options.packs,
  ];
  if (!locations.length)
    throw new UsageError('--no-builtin needs at least one --pack');
  const ruleSet = loadRuleSet(locations);
  const scanned = await scanPath(ruleSet, options.target);
  // Paths are shown relative to where the command was typed, as a CI log or code scanning wants.
  const relative = (p: string) =>
    path.relative(io.cwd, p).split(path.sep).join('/');
  const root = scanned.root;
  const report: ScanReport = {
    ...scanned,
    results: root
      ? scanned.results.map(r =>
          r.location
            ? {
                ...r,
                location: {
                  ...r.location,
                  file: relative(path.join(root, r.location.file)),
                },
              }
            : r,
        )
      : scanned.results,
  };
  const target = relative(options.target);
  let out: string;
  if (options.format === 'json') {
    const { root: _root, ...rest } = report;
    out = `${JSON.stringify(
      { ...rest, results: report.results.filter(r => r.status !== 'pass') },
      null,
      2,
    )}\n`;
  } else if (options.format === 'sarif') {
    const sarif = toSarif(ruleSet, report.results, {
      version: packageVersion(),
      defaultFile: target,
    });
    out = `${JSON.stringify(sarif, null, 2)}\n`;
  } else out = text(report, ruleSet, target);
  if (options.output) fs.writeFileSync(options.output, out);
  else io.stdout(out);
  const threshold = options.failOn;
  const failed =
    threshold !== 'none' &&
    report.results.some(
      r => r.status === 'fail' && atLeast(r.severity, threshold),
    );
  return failed ? 1 : 0;
}

/**
 * The `infra-scan` command: `args` as typed after the command name. Resolves to the exit code:
 * 0 nothing at or above --fail-on failed, 1 something did, 2 a usage error, unreadable input or
 * a pack that does not load.
 *
 * @public
 */
export async function runInfraScan(
  args: string[],
  io: ScanIo = {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    // Yarn runs scripts from the repository root; a relative path is relative to where it was typed.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  },
): Promise<number> {
  try {
    return await scan(parseArgs(args, io.cwd), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`infra-scan: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof FileLineError || e instanceof PlanFormatError) {
      io.stderr(`infra-scan: ${e.message}\n`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') {
      io.stderr(
        `infra-scan: ${
          (e as NodeJS.ErrnoException).path
        }: no such file or directory\n`,
      );
      return 2;
    }
    throw e;
  }
}
