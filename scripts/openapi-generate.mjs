#!/usr/bin/env node
/*
 * Turns a backend plugin's OpenAPI document (src/schema/openapi.yaml) into
 * src/schema/openapi.generated.ts: the document as a typed constant and a `createOpenApiRouter`
 * that builds Backstage's validating, typed router from it (@backstage/backend-openapi-utils).
 *
 *   node scripts/openapi-generate.mjs [--check] [package dir ...]
 *
 * Without package dirs it handles every workspace under plugins/ that has the YAML file.
 * --check writes nothing and fails when a generated file is missing or out of date, so the test
 * command catches a YAML edit that was not regenerated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
let dirs = args.filter(a => a !== '--check').map(d => path.resolve(d));
if (dirs.length === 0) {
  dirs = fs
    .readdirSync(path.join(root, 'plugins'))
    .map(d => path.join(root, 'plugins', d))
    .filter(d => fs.existsSync(path.join(d, 'src/schema/openapi.yaml')));
}

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/**
 * Path-level `parameters` apply to every operation of the path (OpenAPI 3); the typed router
 * only reads them from operations, so they are copied into each operation (an operation's own
 * parameter of the same name and location wins).
 */
function normalise(doc) {
  for (const item of Object.values(doc.paths ?? {})) {
    const shared = item.parameters;
    if (!shared) continue;
    delete item.parameters;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const own = op.parameters ?? [];
      const key = p => (p.$ref ? p.$ref : `${p.in}:${p.name}`);
      const ownKeys = new Set(own.map(key));
      op.parameters = [...shared.filter(p => !ownKeys.has(key(p))), ...own];
    }
  }
  return doc;
}

function render(doc) {
  return `// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run \`yarn openapi:generate\`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(doc, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

let stale = 0;
for (const dir of dirs) {
  const source = path.join(dir, 'src/schema/openapi.yaml');
  const target = path.join(dir, 'src/schema/openapi.generated.ts');
  let doc;
  try {
    doc = yaml.load(fs.readFileSync(source, 'utf8'));
  } catch (e) {
    process.stderr.write(`${path.relative(root, source)}: ${e.message}\n`);
    process.exit(1);
  }
  if (
    !doc ||
    typeof doc !== 'object' ||
    !String(doc.openapi ?? '').startsWith('3.')
  ) {
    process.stderr.write(
      `${path.relative(root, source)}: not an OpenAPI 3 document\n`,
    );
    process.exit(1);
  }
  const text = render(normalise(doc));
  const current = fs.existsSync(target)
    ? fs.readFileSync(target, 'utf8')
    : undefined;
  if (current === text) continue;
  if (check) {
    stale += 1;
    process.stderr.write(
      `${path.relative(
        root,
        target,
      )} is out of date with openapi.yaml: run \`yarn openapi:generate\`\n`,
    );
  } else {
    fs.writeFileSync(target, text);
    process.stdout.write(`generated ${path.relative(root, target)}\n`);
  }
}
process.exit(stale ? 1 : 0);
