import {
  Rule,
  RulePack,
  SEVERITIES,
} from '@infra-hub/plugin-infra-compliance-common';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FileLineError } from '../errors';

/** A pack that cannot be used, with the file, line and reason. @public */
export class PackError extends FileLineError {
  name = 'PackError';
}

/** The largest pack file read, in bytes. */
export const MAX_PACK_BYTES = 2 * 1024 * 1024;

const id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:()-]{0,127}$/,
    'letters, digits and . _ : ( ) - only',
  );
const attributes = z.record(z.string(), z.unknown());

const ruleSchema = z.strictObject({
  id: id,
  title: z.string().min(1),
  description: z.string().optional(),
  severity: z.enum(SEVERITIES),
  resourceTypes: z.array(z.string().regex(/^(\*|[a-z][a-z0-9_]*)$/)).min(1),
  condition: z.string().min(1).max(4000),
  when: z.string().min(1).max(4000).optional(),
  related: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/),
      z.strictObject({ type: z.string().min(1), via: z.string().min(1) }),
    )
    .optional(),
  remediation: z.string().min(1),
  controls: z.record(id, z.array(id).min(1)),
  equivalents: z
    .strictObject({
      checkov: z.array(z.string()).optional(),
      prowler: z.array(z.string()).optional(),
    })
    .optional(),
  examples: z
    .strictObject({
      pass: z.array(attributes).optional(),
      fail: z.array(attributes).optional(),
    })
    .optional(),
});

const frameworkSchema = z.strictObject({
  id: id,
  title: z.string().min(1),
  version: z.string().optional(),
  catalog: z.string().optional(),
  controls: z
    .array(z.strictObject({ id: id, title: z.string().optional() }))
    .min(1),
});

const packSchema = z.strictObject({
  apiVersion: z.literal('infra-hub.io/v1alpha1'),
  kind: z.literal('RulePack'),
  metadata: z.strictObject({
    name: id,
    title: z.string().optional(),
    description: z.string().optional(),
  }),
  frameworks: z.array(frameworkSchema).optional(),
  rules: z.array(ruleSchema).optional(),
});

/** A parsed pack and how to find the line of any part of it. @public */
export type ParsedPack = {
  file: string;
  pack: RulePack;
  /** The line (1-based) of the value at a path, e.g. `['rules', 3, 'condition']`. */
  lineOf(path: ReadonlyArray<string | number>): number;
};

/**
 * Reads a rule pack (YAML). Refuses, with a {@link PackError} naming the file, line and reason,
 * text that is not YAML, more than one document, and any field the pack format does not allow.
 *
 * @public
 */
export function parsePack(text: string, file: string): ParsedPack {
  if (Buffer.byteLength(text) > MAX_PACK_BYTES)
    throw new PackError(
      file,
      1,
      `a pack may be at most ${MAX_PACK_BYTES} bytes`,
    );
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const problem = doc.errors[0];
  if (problem) {
    throw new PackError(
      file,
      lineAt(problem.pos[0]),
      `not valid YAML: ${problem.message.split('\n')[0]}`,
    );
  }
  const lineOf = (path: ReadonlyArray<string | number>) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return 1;
  };
  const parsed = packSchema.safeParse(doc.toJS({ maxAliasCount: 0 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter(
      (p): p is string | number => typeof p !== 'symbol',
    );
    // A field the format does not have: point at the field itself.
    const at =
      issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]] : path;
    const where = path.length ? `${path.join('.')}: ` : '';
    throw new PackError(file, lineOf(at), `${where}${issue.message}`);
  }
  return { file, pack: parsed.data as RulePack, lineOf };
}

/** The rules of a pack with their index, for error lines. */
export function rulesOf(parsed: ParsedPack): Array<[Rule, number]> {
  return (parsed.pack.rules ?? []).map((r, i) => [r, i]);
}
