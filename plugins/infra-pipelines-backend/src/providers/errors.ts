import { ServiceUnavailableError } from '@backstage/errors';

/** The provider asked to wait (429, or 403 with its rate limit used up) until `retryAt`. */
export class RateLimitedError extends ServiceUnavailableError {
  constructor(message: string, readonly retryAt: Date) {
    super(message);
  }
}

/** When a rate-limited response says to try again (Retry-After, X-RateLimit-Reset, RateLimit-Reset). */
export function retryAtOf(
  headers: Record<string, unknown> | undefined,
  now = Date.now(),
): Date | undefined {
  const get = (name: string) => {
    const value = headers?.[name] ?? headers?.[name.toLowerCase()];
    return typeof value === 'string' || typeof value === 'number'
      ? String(value)
      : undefined;
  };
  const after = Number(get('retry-after'));
  if (Number.isFinite(after) && after >= 0) return new Date(now + after * 1000);
  const reset = Number(get('x-ratelimit-reset') ?? get('ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    // Epoch seconds (GitHub, GitLab) or seconds from now (small numbers).
    return new Date(reset > 1e9 ? reset * 1000 : now + reset * 1000);
  }
  return undefined;
}

/**
 * A provider API failure as people may read it: the host and what happened, never the token;
 * rate limits become RateLimitedError.
 */
export function apiFailure(
  provider: string,
  baseUrl: string,
  error: any,
): Error {
  let host = baseUrl;
  try {
    host = new URL(baseUrl).host;
  } catch {
    // keep what was configured
  }
  // Gitbeaker retries 429 and 502 itself (briefly) and then reports only the last status.
  const retried = String(error?.message ?? '').match(
    /after \d+ retries, last status code: (\d+)/,
  );
  const status: number | undefined =
    error?.status ??
    error?.statusCode ??
    error?.cause?.response?.status ??
    (retried ? Number(retried[1]) : undefined);
  const headers =
    error?.response?.headers ??
    error?.cause?.response?.headers ??
    error?.headers;
  const plain =
    headers && typeof headers.get === 'function'
      ? Object.fromEntries(headers.entries())
      : headers;
  if (
    status === 429 ||
    (status === 403 &&
      (plain?.['x-ratelimit-remaining'] === '0' || plain?.['retry-after']))
  ) {
    const retryAt = retryAtOf(plain) ?? new Date(Date.now() + 60_000);
    return new RateLimitedError(
      `${provider} at ${host} is rate limiting; trying again after ${retryAt.toISOString()}`,
      retryAt,
    );
  }
  let why = 'could not be reached';
  if (status) why = `answered ${status}`;
  else if (error?.name === 'TimeoutError' || error?.name === 'AbortError') {
    why = 'did not answer in time';
  }
  return new ServiceUnavailableError(`${provider} at ${host} ${why}`);
}
