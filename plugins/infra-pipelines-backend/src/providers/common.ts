import { AuthenticationError, InputError } from '@backstage/errors';
import crypto from 'node:crypto';

/** One header's value (the first, when repeated). */
export function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison of two strings of any length. */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && given.length === expected.length;
}

/** A delivery id header, required (the replay check keys on it). */
export function deliveryId(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string {
  const id = header(headers, name);
  if (!id || id.length > 200 || !/^[A-Za-z0-9._:-]+$/.test(id)) {
    throw new InputError(`The delivery has no valid ${name} header`);
  }
  return id;
}

export function refused(message: string): never {
  throw new AuthenticationError(message);
}

/**
 * A provider's time as ISO 8601, or undefined: ISO strings, GitLab's `2026-12-01 10:00:00 UTC`,
 * and Azure DevOps' `0001-01-01T00:00:00` (never) are read.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value || value.startsWith('0001-')) {
    return undefined;
  }
  const text = / UTC$/.test(value)
    ? `${value.slice(0, -4).replace(' ', 'T')}Z`
    : value.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2');
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A string field of a payload, or undefined (long values cut). */
export function str(value: unknown, max = 500): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || !value) return undefined;
  return value.slice(0, max);
}

/** A required id of a payload (a number or a string). */
export function idOf(value: unknown, what: string): string {
  const id = str(value, 100);
  if (!id) throw new InputError(`The event has no ${what}`);
  return id;
}

/** A branch name without `refs/heads/`. */
export function branchOf(ref: unknown): string | undefined {
  const name = str(ref);
  return name?.replace(/^refs\/heads\//, '');
}

/** Whole number or undefined. */
export function intOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value)
    ? value
    : undefined;
}
