import {
  Severity,
  SEVERITIES,
} from '@infra-hub/plugin-infra-compliance-common';

/** A command line that cannot be used; the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** The output formats of the scanning commands. */
export type OutputFormat = 'text' | 'json' | 'sarif';

/**
 * Reads the options the scanning commands share from `args[i]` (`--format`, `--fail-on`):
 * true when it was one (and `i` is moved past its value by the caller's `next`).
 */
export function sharedOption(
  args: string[],
  i: number,
  into: { format: OutputFormat; failOn: Severity | 'none' },
): boolean {
  const a = args[i];
  if (a === '--format') {
    const v = optionValue(args, i, a);
    if (v !== 'text' && v !== 'json' && v !== 'sarif')
      throw new UsageError(`--format must be text, json or sarif, not ${v}`);
    into.format = v;
    return true;
  }
  if (a === '--fail-on') {
    const v = optionValue(args, i, a);
    if (v !== 'none' && !(SEVERITIES as readonly string[]).includes(v))
      throw new UsageError(
        `--fail-on must be one of ${SEVERITIES.join(', ')} or none, not ${v}`,
      );
    into.failOn = v as Severity | 'none';
    return true;
  }
  return false;
}

/** The value after option `flag` at `args[i]`; a usage error when there is none. */
export function optionValue(args: string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--'))
    throw new UsageError(`${flag} needs a value`);
  return v;
}
