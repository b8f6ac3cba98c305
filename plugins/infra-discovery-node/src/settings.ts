import { z } from 'zod';

/** `regions[2]`, `accounts[0].roleArn`: where in a source's settings an issue is. */
function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      return i === 0 ? String(p) : `.${String(p)}`;
    })
    .join('');
}

/**
 * A provider's settings checked against its zod schema; the first problem is thrown as
 * `makeError("settings.<key> <what is wrong>")`, so that the API answers 400 naming the key. The
 * messages are the schema's own (`{ error: 'must be …' }`); a key the schema does not know is
 * "settings.<key> is not a <kind> setting (known: …)" for a strict object.
 *
 * @public
 */
export function parseProviderSettings<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  options: { kind: string; makeError?: (message: string) => Error },
): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const makeError = options.makeError ?? (message => new Error(message));
  if (issue.code === 'unrecognized_keys') {
    const known =
      schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '';
    const key = pathOf([...issue.path, issue.keys[0]]);
    throw makeError(
      `settings.${key} is not a${/^[aeiou]/.test(options.kind) ? 'n' : ''} ${
        options.kind
      } setting${known ? ` (known: ${known})` : ''}`,
    );
  }
  const where = pathOf(issue.path);
  throw makeError(`settings${where ? `.${where}` : ''} ${issue.message}`);
}
