import http from 'node:http';
import { AddressInfo } from 'node:net';
import { localEmbedding } from '../retrieval/text';

/** How the local model server behaves: answering, or failing the way real servers do. */
export type LocalModelMode =
  | { kind: 'ok' }
  | { kind: 'garbage' }
  | { kind: 'error'; status: number }
  | { kind: 'slow'; delayMs: number };

/** One request the server received, as sent. */
export type LocalModelRequest = {
  path: string;
  body: any;
  headers: http.IncomingHttpHeaders;
};

/** The tools the local model calls for a question, by its words (the chat offers them). */
const TOOL_WORDS: Array<{ words: RegExp; tool: string }> = [
  { words: /\bdrift/i, tool: 'list_drift' },
  {
    words: /\b(approv|change request|cab\b|sign(ed|ature))/i,
    tool: 'list_change_requests',
  },
  { words: /\b(expos|internet|public|attack)/i, tool: 'attack_paths' },
  { words: /\b(finding|complian|control|violat)/i, tool: 'list_findings' },
];

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map(p => (typeof p?.text === 'string' ? p.text : ''))
      .join('');
  return '';
}

/** The module the local model drafts: a private, encrypted, versioned, logged bucket. */
const DRAFTED_MODULE: Record<string, string> = {
  'versions.tf': `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
`,
  'variables.tf': `variable "bucket_name" {
  description = "The bucket's name."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "kms_key_arn" {
  description = "The KMS key that encrypts the objects."
  type        = string
}

variable "access_log_bucket" {
  description = "The bucket that receives the access logs."
  type        = string
}
`,
  'main.tf': `resource "aws_s3_bucket" "this" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = "s3-access/"
}
`,
  'outputs.tf': `output "bucket_arn" {
  description = "The bucket's ARN."
  value       = aws_s3_bucket.this.arn
}
`,
  'README.md':
    '# Bucket\n\nA private, KMS-encrypted, versioned and access-logged S3 bucket.\n',
};

/**
 * The reply of the local model to a chat request: tool calls for the tools the last question
 * names (once), then a narration that cites the passages it was given, `[n]` by `[n]`.
 */
function reply(body: any): {
  content?: string;
  toolCalls?: Array<{ name: string; args: string }>;
} {
  const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
  // A module draft: the files as JSON (or, for a description asking for it, not JSON at all).
  if (textOf(messages[0]?.content).startsWith('Draft a Terraform module')) {
    const description = textOf(messages[messages.length - 1]?.content);
    return {
      content: description.includes('answer-garbage')
        ? 'Here is your module: resource "aws_s3_bucket" {}'
        : JSON.stringify({ files: DRAFTED_MODULE }),
    };
  }
  const lastUser = [...messages].reverse().find(m => m.role === 'user');
  // The chat sends the sources and then the question in one user message.
  const userText = textOf(lastUser?.content);
  const at = userText.lastIndexOf('Question: ');
  const question =
    at >= 0 ? userText.slice(at + 'Question: '.length) : userText;
  const offered = new Set(
    (Array.isArray(body.tools) ? body.tools : []).map(
      (t: any) => t?.function?.name,
    ),
  );
  const calledAlready = messages.some(m => m.role === 'tool');
  // `call <tool> <json>` in a question makes exactly that call (arguments as written).
  const explicit = /\bcall ([a-z_]+) (\{.*\})/.exec(question);
  if (!calledAlready && explicit) {
    return { toolCalls: [{ name: explicit[1], args: explicit[2] }] };
  }
  if (!calledAlready) {
    const calls = TOOL_WORDS.filter(
      t => t.words.test(question) && offered.has(t.tool),
    );
    if (calls.length)
      return { toolCalls: calls.map(c => ({ name: c.tool, args: '{}' })) };
  }
  const context = messages.map(m => textOf(m.content)).join('\n');
  const cited = [...context.matchAll(/^\[(\d+)\] ([^\n]{0,120})/gm)].slice(
    0,
    3,
  );
  const toolNames = messages.filter(m => m.role === 'tool').length;
  const parts = [
    cited.length
      ? `From the sources: ${cited
          .map(c => `${c[2].trim()} [${c[1]}]`)
          .join('; ')}.`
      : 'The sources I was given do not answer this.',
    toolNames ? `I looked at ${toolNames} table(s) of the suite's data.` : '',
  ].filter(Boolean);
  return { content: parts.join(' ') };
}

/**
 * A local server that speaks the OpenAI protocol (chat completions with tool calls and
 * streaming, embeddings): what the chat's tests and the demo point the `openai` client at. It
 * records every request, so a test can assert what was (never) sent to a model.
 */
export async function startLocalModelServer(options: { port?: number } = {}) {
  const requests: LocalModelRequest[] = [];
  let mode: LocalModelMode = { kind: 'ok' };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', async () => {
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: 'Invalid JSON', type: 'invalid_request_error' },
          }),
        );
        return;
      }
      const path = (req.url ?? '').replace(/\?.*$/, '');
      requests.push({ path, body, headers: req.headers });
      if (mode.kind === 'slow')
        await new Promise(r => setTimeout(r, (mode as any).delayMs));
      if (mode.kind === 'error') {
        res.writeHead(mode.status, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { message: 'The model is overloaded', type: 'server_error' },
          }),
        );
        return;
      }
      if (mode.kind === 'garbage') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('<html>not a model</html>');
        return;
      }
      if (path.endsWith('/embeddings')) {
        const inputs: string[] = Array.isArray(body.input)
          ? body.input
          : [body.input];
        // OpenAI's `dimensions`: vectors of that size (the local embedder's 256 otherwise).
        const size =
          Number.isInteger(body.dimensions) &&
          body.dimensions > 1 &&
          body.dimensions <= 4096
            ? body.dimensions
            : undefined;
        const data = inputs.map((text, index) => {
          const vector = localEmbedding(String(text), size);
          return {
            object: 'embedding',
            index,
            embedding:
              body.encoding_format === 'base64'
                ? Buffer.from(vector.buffer).toString('base64')
                : Array.from(vector),
          };
        });
        const used = inputs.reduce((a, t) => a + tokens(String(t)), 0);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            data,
            model: body.model,
            usage: { prompt_tokens: used, total_tokens: used },
          }),
        );
        return;
      }
      if (!path.endsWith('/chat/completions')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `No route ${path}` } }));
        return;
      }
      const answer = reply(body);
      const promptTokens = tokens(JSON.stringify(body.messages ?? []));
      const completionTokens = tokens(
        answer.content ?? JSON.stringify(answer.toolCalls ?? []),
      );
      const usage = {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      };
      const id = `chatcmpl-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const toolCalls = answer.toolCalls?.map((c, i) => ({
        id: `call_${requests.length}_${i}`,
        type: 'function',
        function: { name: c.name, arguments: c.args },
      }));
      const finish = toolCalls ? 'tool_calls' : 'stop';
      if (!body.stream) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created,
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: answer.content ?? null,
                  ...(toolCalls ? { tool_calls: toolCalls } : {}),
                },
                finish_reason: finish,
              },
            ],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
      });
      const send = (choices: unknown[], extra: object = {}) =>
        res.write(
          `data: ${JSON.stringify({
            id,
            object: 'chat.completion.chunk',
            created,
            model: body.model,
            choices,
            ...extra,
          })}\n\n`,
        );
      send([
        {
          index: 0,
          delta: { role: 'assistant', content: '' },
          finish_reason: null,
        },
      ]);
      if (toolCalls) {
        toolCalls.forEach((call, index) =>
          send([
            {
              index: 0,
              delta: { tool_calls: [{ index, ...call }] },
              finish_reason: null,
            },
          ]),
        );
      } else {
        for (const word of (answer.content ?? '').split(/(?<= )/)) {
          send([{ index: 0, delta: { content: word }, finish_reason: null }]);
        }
      }
      send([{ index: 0, delta: {}, finish_reason: finish }]);
      if (body.stream_options?.include_usage) send([], { usage });
      res.write('data: [DONE]\n\n');
      res.end();
    });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode(next: LocalModelMode) {
      mode = next;
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
