import { parse as parseHcl } from '@cdktn/hcl2json';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ScanResource } from '../engine/types';
import { FileLineError } from '../errors';

/** HCL that cannot be read, with the file and line. @public */
export class HclError extends FileLineError {
  name = 'HclError';
}

/** The largest `.tf` file read, in bytes, and the most files one scan reads. */
export const HCL_LIMITS = { maxFileBytes: 4 * 1024 * 1024, maxFiles: 20_000 };

/** Block attributes that are Terraform's, not the resource's. */
const META = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);
/** Reference roots that are not resources. */
const NOT_RESOURCES = new Set([
  'var',
  'local',
  'data',
  'module',
  'each',
  'count',
  'path',
  'terraform',
  'self',
]);

const isIdentChar = (c: string) =>
  (c >= 'a' && c <= 'z') ||
  (c >= 'A' && c <= 'Z') ||
  (c >= '0' && c <= '9') ||
  c === '_' ||
  c === '-';

/**
 * The resources (`type.name`) an interpolated string refers to, e.g. `${aws_s3_bucket.logs.id}`.
 * One pass over the text: words joined by dots inside `${…}`.
 */
export function resourceReferences(text: string): string[] {
  const out = new Set<string>();
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i += 2;
      continue;
    }
    if (depth > 0 && text[i] === '}') {
      depth--;
      i++;
      continue;
    }
    if (
      depth > 0 &&
      isIdentChar(text[i]) &&
      (i === 0 || (!isIdentChar(text[i - 1]) && text[i - 1] !== '.'))
    ) {
      const words: string[] = [];
      let j = i;
      while (words.length < 2) {
        let k = j;
        while (k < text.length && isIdentChar(text[k])) k++;
        words.push(text.slice(j, k));
        if (text[k] !== '.' || words.length === 2) {
          j = k;
          break;
        }
        j = k + 1;
      }
      if (
        words.length === 2 &&
        words[0].includes('_') &&
        !NOT_RESOURCES.has(words[0]) &&
        words[1] !== ''
      )
        out.add(`${words[0]}.${words[1]}`);
      i = Math.max(j, i + 1);
      continue;
    }
    i++;
  }
  return [...out];
}

/** Walks a value: whether it holds an expression, and the resources those refer to. */
function expressionsIn(value: unknown): { dynamic: boolean; refs: string[] } {
  let dynamic = false;
  const refs = new Set<string>();
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('${')) {
        dynamic = true;
        for (const r of resourceReferences(v)) refs.add(r);
      }
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return { dynamic, refs: [...refs] };
}

/**
 * The line of each `resource "type" "name"` block header in a file, by one pass over its lines.
 */
export function resourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== '\n') continue;
    const row = text.slice(start, i).trimStart();
    if (row.startsWith('resource')) {
      const quoted: string[] = [];
      let j = 'resource'.length;
      while (quoted.length < 2 && j < row.length) {
        const c = row[j];
        if (c === '"') {
          const end = row.indexOf('"', j + 1);
          if (end < 0) break;
          quoted.push(row.slice(j + 1, end));
          j = end + 1;
        } else if (c === ' ' || c === '\t') j++;
        else break;
      }
      if (quoted.length === 2) {
        const key = `${quoted[0]}.${quoted[1]}`;
        if (!lines.has(key)) lines.set(key, line);
      }
    }
    line++;
    start = i + 1;
  }
  return lines;
}

const HCL_ERROR = /^parse config: \[[^:\]]*:(\d+),\d+-[\d,]+: ([^\]]*)\]/;

/**
 * One Terraform file (HCL, or `.tf.json`) as hcl2json's JSON: the file refused with its file
 * and line when it is too large or does not parse.
 *
 * @public
 */
export async function parseHclDocument(
  text: string,
  file: string,
): Promise<any> {
  if (Buffer.byteLength(text) > HCL_LIMITS.maxFileBytes)
    throw new HclError(
      file,
      1,
      `a file may be at most ${HCL_LIMITS.maxFileBytes} bytes`,
    );
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new HclError(file, 1, `not JSON: ${(e as Error).message}`);
    }
  }
  try {
    return await parseHcl(file, text);
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    const m = HCL_ERROR.exec(message);
    if (m) throw new HclError(file, Number(m[1]), m[2]);
    throw new HclError(file, 1, message.split('\n')[0]);
  }
}

/**
 * The resources declared in one Terraform file (HCL, or `.tf.json`), as rules see them: attribute
 * values as written, attributes whose value is an expression (a variable, another resource's
 * attribute) marked unknown, references to other resources kept, and the line of each block.
 *
 * @public
 */
export async function hclResources(
  text: string,
  file: string,
): Promise<ScanResource[]> {
  const doc = await parseHclDocument(text, file);
  const lines = file.endsWith('.json') ? new Map() : resourceLines(text);
  const out: ScanResource[] = [];
  for (const [type, byName] of Object.entries<any>(doc?.resource ?? {})) {
    for (const [name, bodies] of Object.entries<any>(byName ?? {})) {
      const body = Array.isArray(bodies) ? bodies[0] : bodies;
      const attributes: Record<string, unknown> = {};
      const unknown = new Set<string>();
      const refs: Record<string, string[]> = {};
      for (const [key, value] of Object.entries<any>(body ?? {})) {
        if (META.has(key)) continue;
        if (key === 'dynamic') {
          // `dynamic "ingress" { … }`: the blocks exist only once the expression is evaluated.
          for (const block of Object.keys(value?.[0] ?? value ?? {})) {
            unknown.add(block);
            attributes[block] ??= null;
          }
          continue;
        }
        const found = expressionsIn(value);
        if (found.dynamic) unknown.add(key);
        if (found.refs.length) refs[key] = found.refs;
        attributes[key] = value;
      }
      const address = `${type}.${name}`;
      out.push({
        type,
        address,
        attributes,
        unknown,
        refs,
        location: { file, line: lines.get(address) ?? 1 },
      });
    }
  }
  // In the order they are written, as a reader of the file would list them.
  return out.sort((a, b) => a.location!.line - b.location!.line);
}

async function tfFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const dirs = [root];
  while (dirs.length) {
    const dir = dirs.pop()!;
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) dirs.push(full);
      else if (
        e.isFile() &&
        (e.name.endsWith('.tf') || e.name.endsWith('.tf.json'))
      ) {
        out.push(full);
        if (out.length > HCL_LIMITS.maxFiles)
          throw new HclError(
            full,
            1,
            `a scan reads at most ${HCL_LIMITS.maxFiles} files`,
          );
      }
    }
  }
  return out.sort();
}

/**
 * Every resource declared in the `.tf` / `.tf.json` files under a directory (hidden folders and
 * `.terraform` skipped). Each directory is its own module: references resolve within it, and a
 * resource's address carries its directory when it is not the root.
 *
 * @public
 */
export async function scanDirectory(
  root: string,
): Promise<{ files: number; resources: ScanResource[] }> {
  const files = await tfFiles(root);
  const resources: ScanResource[] = [];
  for (const full of files) {
    const rel = path.relative(root, full).split(path.sep).join('/');
    const dir = path.posix.dirname(rel);
    const prefix = dir === '.' ? '' : `${dir}/`;
    const text = await fs.readFile(full, 'utf8');
    for (const r of await hclResources(text, rel)) {
      resources.push({
        ...r,
        address: `${prefix}${r.address}`,
        refs: Object.fromEntries(
          Object.entries(r.refs ?? {}).map(([k, v]) => [
            k,
            v.map(a => `${prefix}${a}`),
          ]),
        ),
      });
    }
  }
  return { files: files.length, resources };
}
