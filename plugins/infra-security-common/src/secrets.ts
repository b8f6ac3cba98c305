import { RE2JS } from 're2js';

/** What a secret is replaced with wherever the suite shows a value. @public */
export const REDACTED = '(sensitive)';

/** The most levels of nesting a value is walked into; deeper values are redacted whole. */
const MAX_DEPTH = 64;

/** Words that make an attribute name a secret's, as whole `_`-separated parts of the name. */
const SECRET_NAME_WORDS = [
  'password',
  'passwd',
  'secret',
  'private_key',
  'token',
  'access_key',
  'secret_key',
  'api_key',
  'credential',
  'credentials',
  'connection_string',
  'auth',
];
// Linear-time engine (RE2): this runs on values tenants control (plans, states).
const SECRET_VALUE = RE2JS.compile(
  [
    '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
    '\\bgh[pousr]_[A-Za-z0-9]{30,}\\b',
    '\\bxox[abprs]-[A-Za-z0-9-]{10,}',
    '\\bsk_(?:live|test)_[A-Za-z0-9]{16,}',
    '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.',
    '://[^/\\s:@]+:[^/\\s@]+@',
  ].join('|'),
);
/** Cheap tests one of which every SECRET_VALUE match passes: most strings skip the engine. */
const VALUE_HINTS: Array<(value: string) => boolean> = [
  v => v.includes('AKIA') || v.includes('ASIA'),
  v => v.includes('-----BEGIN'),
  v => /gh[pousr]_/.test(v),
  v => v.includes('xox'),
  v => v.includes('sk_live_') || v.includes('sk_test_'),
  v => v.includes('eyJ'),
  v => v.includes('://') && v.includes('@'),
];

/** Attributes whose whole value is a script or settings that commonly carry secrets. */
const WHOLE_VALUE_NAMES = new Set([
  'user_data',
  'user_data_base64',
  'custom_data',
  'metadata_startup_script',
  'startup_script',
]);

/** Stands for "the parent is an environment's variables map" (no attribute has this name). */
const ENVIRONMENT_VARIABLES = '\u0000environment.variables';

/** True when an attribute's name says it holds a secret (password, token, api_key, ...). @public */
export function isSecretName(name: string): boolean {
  // `_part_` search instead of a pattern: linear, and fast on the many names of a plan.
  const parts = `_${name.toLowerCase()}_`;
  return SECRET_NAME_WORDS.some(word => parts.includes(`_${word}_`));
}

/**
 * True when a string looks like a secret whatever it is called: cloud access keys, private keys,
 * GitHub/Slack/Stripe tokens, JWTs, URLs with a password. Linear in the string's length.
 *
 * @public
 */
export function looksLikeSecret(value: string): boolean {
  return (
    value.length >= 16 &&
    VALUE_HINTS.some(hint => hint(value)) &&
    SECRET_VALUE.matcher(value).find()
  );
}

/**
 * A copy of `value` with secrets replaced by {@link REDACTED}, at any depth: values under a
 * secret-looking name, scripts (`user_data` and the like), environment variables (the values of
 * a `variables` map inside `environment`), and strings that look like secrets. `name` is the
 * attribute holding `value`. Linear in the size of the value.
 *
 * @public
 */
export function redactSecrets(value: unknown, name = ''): unknown {
  return redact(value, name, '', 0);
}

function redact(
  value: unknown,
  name: string,
  parent: string,
  depth: number,
): unknown {
  if (value === null || value === undefined || value === '') return value;
  if (
    name &&
    (isSecretName(name) ||
      WHOLE_VALUE_NAMES.has(name) ||
      parent === ENVIRONMENT_VARIABLES)
  ) {
    return REDACTED;
  }
  if (typeof value === 'string') {
    return looksLikeSecret(value) ? REDACTED : value;
  }
  if (typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  // Inside `environment`, the `variables` map holds the values of environment variables.
  const childParent =
    name === 'variables' && parent === 'environment'
      ? ENVIRONMENT_VARIABLES
      : name;
  if (Array.isArray(value)) {
    return value.map(v => redact(v, name, parent, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = redact(v, k, childParent, depth + 1);
  }
  return out;
}
