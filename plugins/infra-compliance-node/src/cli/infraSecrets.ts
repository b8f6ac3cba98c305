/*
 * infra-secrets <dir|file>... [--format text|json|sarif] [--fail-on <severity>|none]
 *               [--salt <text>] [--max-megabytes <n>] [--output <file>]
 *
 * Finds secrets in Terraform code, tfvars, plans and state (and token formats in any text file),
 * offline, printing where and a salted fingerprint, never a value. Exit codes: 0 nothing at or
 * above --fail-on (default high), 1 something, 2 a usage error or unreadable input.
 */
import { atLeast, Severity } from '@infra-hub/plugin-infra-compliance-common';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { builtInPacksDirectory } from '../packs/load';
import {
  DEFAULT_MAX_SECRET_SCAN_BYTES,
  scanSecretsPath,
  secretDetector,
  SecretFinding,
  secretsToSarif,
} from '../secrets';
import type { ScanIo } from './infraScan';
import { optionValue, sharedOption, UsageError } from './options';

const USAGE = `usage: infra-secrets <dir|file>... [--format text|json|sarif]
                     [--fail-on critical|high|medium|low|info|none] [--salt <text>]
                     [--max-megabytes <n>] [--output <file>]
The salt (or INFRA_SECRETS_SALT) keys the fingerprints: keep it secret and the same across
runs to compare them; without one a random salt is used for this run.
`;

type Options = {
  targets: string[];
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
  salt: string;
  maxBytes: number;
  output?: string;
};

function parseArgs(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Options {
  const options: Options = {
    targets: [],
    format: 'text',
    failOn: 'high',
    salt: env.INFRA_SECRETS_SALT || crypto.randomBytes(16).toString('hex'),
    maxBytes: DEFAULT_MAX_SECRET_SCAN_BYTES,
  };
  const value = (i: number, flag: string) => optionValue(args, i, flag);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (sharedOption(args, i, options)) {
      i++;
    } else if (a === '--salt') {
      options.salt = value(i++, a);
    } else if (a === '--max-megabytes') {
      const n = Number(value(i++, a));
      if (!Number.isInteger(n) || n < 1 || n > 4096)
        throw new UsageError(
          '--max-megabytes must be a whole number from 1 to 4096',
        );
      options.maxBytes = n * 1024 * 1024;
    } else if (a === '--output') {
      options.output = path.resolve(cwd, value(i++, a));
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown option ${a}`);
    } else options.targets.push(path.resolve(cwd, a));
  }
  if (!options.targets.length)
    throw new UsageError('name a directory or a file');
  return options;
}

const packageVersion = (): string =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(builtInPacksDirectory(), '..', 'package.json'),
      'utf8',
    ),
  ).version;

function text(findings: SecretFinding[]): string {
  return findings
    .map(f => {
      const where = [f.address, f.attribute].filter(Boolean).join(' ');
      return `${f.severity.toUpperCase().padEnd(8)} ${f.ruleId}  ${f.file}:${
        f.line
      }${where ? ` ${where}` : ''}\n         ${
        secretDetector(f.ruleId)?.title ?? f.ruleId
      } (fingerprint ${f.fingerprint})`;
    })
    .join('\n');
}

async function run(options: Options, io: ScanIo): Promise<number> {
  const relative = (p: string) =>
    path.relative(io.cwd, p).split(path.sep).join('/') || '.';
  const findings: SecretFinding[] = [];
  const skipped: Array<{ file: string; reason: string }> = [];
  const warnings: Array<{ file: string; reason: string }> = [];
  let files = 0;
  for (const target of options.targets) {
    if (!fs.existsSync(target))
      throw new UsageError(`${relative(target)}: no such file or directory`);
    const report = await scanSecretsPath(target, options);
    const from = (f: string) => relative(path.join(report.root, f));
    files += report.files;
    findings.push(...report.findings.map(f => ({ ...f, file: from(f.file) })));
    skipped.push(...report.skipped.map(s => ({ ...s, file: from(s.file) })));
    warnings.push(...report.warnings.map(s => ({ ...s, file: from(s.file) })));
  }
  for (const s of skipped)
    io.stderr(`infra-secrets: skipped ${s.file}: ${s.reason}\n`);
  for (const w of warnings)
    io.stderr(`infra-secrets: ${w.file}: ${w.reason}\n`);
  let out: string;
  if (options.format === 'json') {
    out = `${JSON.stringify(
      { files, findings, skipped, warnings },
      null,
      2,
    )}\n`;
  } else if (options.format === 'sarif') {
    out = `${JSON.stringify(
      secretsToSarif(findings, { version: packageVersion() }),
      null,
      2,
    )}\n`;
  } else {
    const list = text(findings);
    out = `${list}${list ? '\n\n' : ''}infra-secrets: ${files} files read, ${
      findings.length
    } secrets found, ${skipped.length} skipped\n`;
  }
  if (options.output) fs.writeFileSync(options.output, out);
  else io.stdout(out);
  const threshold = options.failOn;
  return threshold !== 'none' &&
    findings.some(f => atLeast(f.severity, threshold))
    ? 1
    : 0;
}

/**
 * The `infra-secrets` command: `args` as typed after the command name. Resolves to the exit
 * code: 0 nothing at or above --fail-on, 1 something, 2 a usage error or unreadable input.
 *
 * @public
 */
export async function runInfraSecrets(
  args: string[],
  io: ScanIo = {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    cwd: process.env.INIT_CWD ?? process.cwd(),
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    return await run(parseArgs(args, io.cwd, env), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`infra-secrets: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
