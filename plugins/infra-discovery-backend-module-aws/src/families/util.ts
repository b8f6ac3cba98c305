import { Tag as Ec2Tag } from '@aws-sdk/client-ec2';

/** EC2 tags as a plain map. */
export const tagsOf = (tags: Ec2Tag[] | undefined) =>
  Object.fromEntries(
    (tags ?? [])
      .filter(t => t.Key !== undefined)
      .map(t => [t.Key!, t.Value ?? '']),
  );

/** A policy document as IAM returns it (URL-encoded), decoded. */
export const decodeDocument = (doc: string | undefined) => {
  if (!doc) return undefined;
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
};

/** An AWS error in one line, without request ids. */
export function describeError(error: unknown): string {
  const e = error as { name?: string; Code?: string; message?: string };
  const code = e.Code ?? e.name ?? 'Error';
  const message = (e.message ?? String(error)).split('\n')[0].slice(0, 300);
  return message && message !== code ? `${code}: ${message}` : code;
}

const NOT_CONFIGURED =
  /NoSuch|NotFound|ServerSideEncryptionConfigurationNotFoundError/;

/** Runs a call whose "not configured" error means "none". */
export async function optional<T>(
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (NOT_CONFIGURED.test(name)) return undefined;
    throw error;
  }
}
