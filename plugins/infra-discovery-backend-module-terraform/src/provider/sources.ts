import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  assertHostAllowed,
  EgressPolicy,
  egressAgents,
  egressGet,
  parseProviderSettings,
} from '@infra-hub/plugin-infra-discovery-node';
import fs from 'node:fs/promises';
import { z } from 'zod';

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

/** A required text setting of a source of `type`. */
const required = (type: string) =>
  z
    .string({ error: `is required for a ${type} source` })
    .min(1, { error: `is required for a ${type} source` });

const httpUrl = required('http')
  .refine(
    url => {
      try {
        const { protocol } = new URL(url);
        return protocol === 'http:' || protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: 'must be an http(s) URL', abort: true },
  )
  .refine(
    url => {
      const parsed = new URL(url);
      return !parsed.username && !parsed.password;
    },
    {
      error:
        'must not carry a user or password: store it as a vault credential',
    },
  );

/** Each kind of state source; settings other than these (maxBytes) are the module's. */
const SOURCE_SCHEMAS = {
  file: z.object({ type: z.literal('file'), path: required('file') }),
  http: z.object({ type: z.literal('http'), url: httpUrl }),
  s3: z.object({
    type: z.literal('s3'),
    bucket: required('s3'),
    key: required('s3'),
    region: required('s3'),
    endpoint: z.string({ error: 'must be a URL' }).optional(),
    forcePathStyle: z.boolean({ error: 'must be true or false' }).optional(),
  }),
};

/** Checks the settings a run was given and names what is missing or wrong. */
export function parseSource(settings: Record<string, unknown>): StateSource {
  const type = settings.type;
  if (type !== 'file' && type !== 'http' && type !== 's3') {
    throw new SourceError(
      `settings.type must be file, http or s3, got ${JSON.stringify(type)}`,
    );
  }
  const source = parseProviderSettings(SOURCE_SCHEMAS[type], settings, {
    kind: 'terraform',
    makeError: message => new SourceError(message),
  });
  // Only the source's own keys: the rest (maxBytes) belongs to the module's settings.
  if (source.type === 'file') return { type: 'file', path: source.path };
  if (source.type === 'http') return { type: 'http', url: source.url };
  return {
    type: 's3',
    bucket: source.bucket,
    key: source.key,
    region: source.region,
    ...(source.endpoint !== undefined ? { endpoint: source.endpoint } : {}),
    ...(source.forcePathStyle !== undefined
      ? { forcePathStyle: source.forcePathStyle }
      : {}),
  };
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
 * The bearer token for an HTTP source, when the credential is bound to the URL's host: a
 * credential is only ever sent to the host it names (`{"token": "...", "host": "..."}`).
 */
function bearerFor(url: string, credentials: Record<string, string> | null) {
  if (!credentials?.token) return undefined;
  const host = new URL(url).hostname;
  if (!credentials.host)
    throw new SourceError(
      `The credential names no host: store it as {"token": "...", "host": "${host}"} so that it is only ever sent there`,
    );
  if (credentials.host.toLowerCase() !== host.toLowerCase())
    throw new SourceError(
      `The credential is bound to another host than ${host}: it was not sent`,
    );
  return credentials.token;
}

/**
 * Reads the state text. Credentials (from the vault, through the protocol) are used as the
 * source needs them: `token` as a bearer token for HTTP (only to the credential's `host`),
 * `accessKeyId`/`secretAccessKey`/`sessionToken` for S3 (without them the AWS SDK's default
 * chain applies, unless the egress policy forbids the host's identity). With an egress policy
 * (a source created through the API) connections keep to it.
 */
export async function readSource(
  source: StateSource,
  credentials: Record<string, string> | null,
  maxBytes: number,
  egress?: EgressPolicy,
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
    // Refused hosts first: nothing about the credential is decided for a URL not reached.
    if (egress) {
      try {
        assertHostAllowed(new URL(source.url), egress);
      } catch (e) {
        throw new SourceError((e as Error).message);
      }
    }
    const token = bearerFor(source.url, credentials);
    try {
      return await egressGet(source.url, {
        policy: egress,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        timeoutMs: 60_000,
        maxBytes,
      });
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      // Our own messages say what failed; a network error is named by its code only.
      throw new SourceError(
        err.name === 'EgressError'
          ? String(err.message)
          : `Cannot reach ${where}: ${err.code ?? 'network error'}`,
      );
    }
  }
  const hasKeys = Boolean(
    credentials?.accessKeyId && credentials?.secretAccessKey,
  );
  if (egress && !hasKeys && !egress.allowHostIdentity) {
    throw new SourceError(
      "This source has no credential, and the backend host's own cloud identity is not lent to sources created through the API (infra.discovery.egress.allowHostIdentity)",
    );
  }
  if (egress && source.endpoint)
    assertHostAllowed(new URL(source.endpoint), egress);
  const agents = egress ? egressAgents(egress) : undefined;
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
    ...(agents
      ? { requestHandler: { httpAgent: agents.http, httpsAgent: agents.https } }
      : {}),
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
    // Awaited here, so that the body is read before `finally` destroys the client's sockets.
    return await readLimited(
      out.Body as AsyncIterable<Uint8Array>,
      maxBytes,
      where,
    );
  } catch (e) {
    if (e instanceof SourceError) throw e;
    const err = e as {
      name?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    // The error's name and status say what failed; its message may quote the server.
    throw new SourceError(
      err.name === 'EgressError'
        ? String(err.message)
        : `Cannot read ${where}: ${err.name ?? 'Error'}${
            err.$metadata?.httpStatusCode
              ? ` (${err.$metadata.httpStatusCode})`
              : ''
          }`,
    );
  } finally {
    client.destroy();
    agents?.http.destroy();
    agents?.https.destroy();
  }
}
