import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A file of the reference corpora (real data from other projects: OSCAL catalogs and schemas, the
 * SARIF schema, compliance mappings) that tests and benchmarks read. They are kept outside the
 * repository, beside its checkout (`../shared/corpora`); `INFRA_HUB_CORPORA` names another place.
 * A missing corpus fails the test that needs it, naming where it was looked for.
 */
export function corpusPath(...parts: string[]): string {
  const root =
    process.env.INFRA_HUB_CORPORA ??
    path.resolve(
      resolvePackagePath('@infra-hub/test-utils'),
      '../../../shared/corpora',
    );
  const file = path.join(root, ...parts);
  if (!fs.existsSync(file))
    throw new Error(
      `The corpus file ${file} is missing (set INFRA_HUB_CORPORA to the corpora folder)`,
    );
  return file;
}

/** A corpus file parsed as JSON. */
export function readCorpusJson<T = any>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(corpusPath(...parts), 'utf8'));
}
