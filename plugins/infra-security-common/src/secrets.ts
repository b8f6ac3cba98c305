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

const SECRET_NAME_PARTS = SECRET_NAME_WORDS.map(word => `_${word}_`);
/** Names already judged (short ones, at most this many, then forgotten all at once). */
const SECRET_NAMES_REMEMBERED = 10_000;
const SECRET_NAMES_SEEN = new Map<string, boolean>();

/** True when an attribute's name says it holds a secret (password, token, api_key, ...). @public */
export function isSecretName(name: string): boolean {
  // Attribute names repeat across the resources of a plan or state: remember the answers.
  const known = SECRET_NAMES_SEEN.get(name);
  if (known !== undefined) return known;
  // `_part_` search instead of a pattern: linear, and fast on the many names of a plan.
  const parts = `_${name.toLowerCase()}_`;
  const secret = SECRET_NAME_PARTS.some(part => parts.includes(part));
  if (name.length <= 64) {
    if (SECRET_NAMES_SEEN.size >= SECRET_NAMES_REMEMBERED)
      SECRET_NAMES_SEEN.clear();
    SECRET_NAMES_SEEN.set(name, secret);
  }
  return secret;
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

/** Names whose value is a secret wherever they appear as `name: value` or `name=value`. */
const SECRET_KEY =
  /(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?$/i;

/**
 * `text` without the characters of `lead` at its start and of `trail` at its end; linear (an
 * anchored regex such as `/["']+$/` backtracks quadratically on a long run of quotes).
 */
function trim(text: string, lead: string, trail: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && lead.includes(text[start])) start++;
  while (end > start && trail.includes(text[end - 1])) end--;
  return text.slice(start, end);
}

/** Replaces PEM blocks (`-----BEGIN ... -----END ...-----`) by REDACTED; linear. */
function withoutPemBlocks(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN', at);
    if (begin < 0) break;
    const endMarker = text.indexOf('-----END', begin);
    if (endMarker < 0) {
      out += `${text.slice(at, begin)}${REDACTED}`;
      return out;
    }
    const close = text.indexOf('-----', endMarker + 8);
    out += `${text.slice(at, begin)}${REDACTED}`;
    at = close < 0 ? text.length : close + 5;
  }
  return out + text.slice(at);
}

/**
 * Text with what looks like a secret replaced by REDACTED: PEM private keys, tokens and keys the
 * suite's detector knows (cloud keys, GitHub/Slack/Stripe tokens, JWTs, URLs with a password), and
 * the value after a secret's name (`password=...`, `api_key: ...`). Linear in the text's length:
 * for text tenants control (what the chat indexes, CI logs).
 *
 * @public
 */
export function redactSecretsInText(text: string): string {
  const parts = withoutPemBlocks(text).split(/(\s+)/);
  // The indexes of the words (the odd parts are whitespace).
  const words: number[] = [];
  for (let i = 0; i < parts.length; i += 2) if (parts[i]) words.push(i);
  const keyOf = (word: string) => trim(word, `"'{(`, `"'`);
  for (let w = 0; w < words.length; w++) {
    const i = words[w];
    const part = parts[i];
    const sep = part.search(/[=:]/);
    if (sep > 0 && SECRET_KEY.test(keyOf(part.slice(0, sep)))) {
      if (sep < part.length - 1) {
        parts[i] = `${part.slice(0, sep + 1)}${REDACTED}`;
      } else if (w + 1 < words.length) {
        // `password: value`
        parts[words[++w]] = REDACTED;
      }
      continue;
    }
    if (
      SECRET_KEY.test(keyOf(part)) &&
      w + 2 < words.length &&
      /^[=:]$/.test(parts[words[w + 1]])
    ) {
      // `password = value`
      parts[words[w + 2]] = REDACTED;
      w += 2;
      continue;
    }
    const bare = trim(part, `"'(<[{`, `"')>]},;.`);
    if (looksLikeSecret(bare) || looksLikeSecret(part)) parts[i] = REDACTED;
  }
  return parts.join('');
}
