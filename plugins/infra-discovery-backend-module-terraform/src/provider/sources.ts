import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fs from 'node:fs/promises';

/** Where a state file is read from: a local path, an HTTP(S) URL, or an S3 backend. */
export type StateSource =
  | { type: 'file'; path: string }
  | { type: 'http'; url: string }
  | {
      type: 's3';
      bucket: string;
      key: string;
      region: string;
      endpoint?: string;
      forcePathStyle?: boolean;
    };

export class SourceError extends Error {
  name = 'SourceError';
}

/** Checks the settings a run was given and names what is missing or wrong. */
export function parseSource(settings: Record<string, unknown>): StateSource {
  const s = settings as Record<string, any>;
  const need = (key: string) => {
    if (typeof s[key] !== 'string' || !s[key]) {
      throw new SourceError(
        `settings.${key} is required for a ${s.type} source`,
      );
    }
    return s[key] as string;
  };
  switch (s.type) {
    case 'file':
      return { type: 'file', path: need('path') };
    case 'http': {
      const url = need('url');
      if (!/^https?:\/\//.test(url))
        throw new SourceError(
          `settings.url must be an http(s) URL, got '${url}'`,
        );
      return { type: 'http', url };
    }
    case 's3':
      return {
        type: 's3',
        bucket: need('bucket'),
        key: need('key'),
        region: need('region'),
        ...(typeof s.endpoint === 'string' ? { endpoint: s.endpoint } : {}),
        ...(typeof s.forcePathStyle === 'boolean'
          ? { forcePathStyle: s.forcePathStyle }
          : {}),
      };
    default:
      throw new SourceError(
        `settings.type must be file, http or s3, got ${JSON.stringify(s.type)}`,
      );
  }
}

export function describeSource(source: StateSource): string {
  if (source.type === 'file') return source.path;
  if (source.type === 'http') return source.url;
  return `s3://${source.bucket}/${source.key}`;
}

async function readLimited(
  stream: AsyncIterable<Uint8Array>,
  maxBytes: number,
  where: string,
) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes)
      throw new SourceError(
        `${where} is larger than the limit of ${maxBytes} bytes`,
      );
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads the state text. Credentials (from the vault, through the protocol) are used as the
 * source needs them: `token` as a bearer token for HTTP, `accessKeyId`/`secretAccessKey`/
 * `sessionToken` for S3 (without them the AWS SDK's default chain applies).
 */
export async function readSource(
  source: StateSource,
  credentials: Record<string, string> | null,
  maxBytes: number,
): Promise<string> {
  const where = describeSource(source);
  if (source.type === 'file') {
    const stat = await fs.stat(source.path).catch(e => {
      throw new SourceError(`Cannot read ${where}: ${e.code ?? e.message}`);
    });
    if (stat.size > maxBytes)
      throw new SourceError(
        `${where} is larger than the limit of ${maxBytes} bytes`,
      );
    return fs.readFile(source.path, 'utf8');
  }
  if (source.type === 'http') {
    let res: Response;
    try {
      res = await fetch(source.url, {
        headers: credentials?.token
          ? { Authorization: `Bearer ${credentials.token}` }
          : {},
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      const c = (
        e as {
          cause?: {
            code?: string;
            message?: string;
            errors?: Array<{ code?: string }>;
          };
        }
      ).cause;
      const cause =
        c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).message;
      throw new SourceError(`Cannot reach ${where}: ${cause}`);
    }
    if (!res.ok)
      throw new SourceError(
        `${where} answered ${res.status} ${res.statusText}`,
      );
    return readLimited(
      res.body as unknown as AsyncIterable<Uint8Array>,
      maxBytes,
      where,
    );
  }
  const client = new S3Client({
    region: source.region,
    ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    ...(source.forcePathStyle !== undefined
      ? { forcePathStyle: source.forcePathStyle }
      : {}),
    ...(credentials?.accessKeyId && credentials?.secretAccessKey
      ? {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken
              ? { sessionToken: credentials.sessionToken }
              : {}),
          },
        }
      : {}),
    maxAttempts: 3,
  });
  try {
    const out = await client.send(
      new GetObjectCommand({ Bucket: source.bucket, Key: source.key }),
    );
    if ((out.ContentLength ?? 0) > maxBytes) {
      throw new SourceError(
        `${where} is larger than the limit of ${maxBytes} bytes`,
      );
    }
    return readLimited(out.Body as AsyncIterable<Uint8Array>, maxBytes, where);
  } catch (e) {
    if (e instanceof SourceError) throw e;
    const err = e as {
      name?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    throw new SourceError(
      `Cannot read ${where}: ${err.name ?? 'Error'}${
        err.$metadata?.httpStatusCode
          ? ` (${err.$metadata.httpStatusCode})`
          : ''
      }: ${err.message}`,
    );
  } finally {
    client.destroy();
  }
}
