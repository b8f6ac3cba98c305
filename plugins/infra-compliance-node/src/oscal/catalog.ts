import fs from 'node:fs';
import { FileLineError } from '../errors';

/** The largest OSCAL catalog read, in bytes (NIST's full SP 800-53 catalog with assessment objectives is about 10 MB). */
export const MAX_CATALOG_BYTES = 64 * 1024 * 1024;

/** What the suite takes from an OSCAL catalog: its name and every control's title. @public */
export type OscalCatalog = {
  title: string;
  version?: string;
  /** Control id (`sc-28`, `sc-28.1`) → title, enhancements included. */
  controls: Map<string, string>;
};

/**
 * Reads an OSCAL catalog (JSON, any 1.x version): the titles of its controls, in groups and
 * nested controls alike, in one pass over the document. Anything that is not an OSCAL catalog is
 * a FileLineError naming the file.
 *
 * @public
 */
export function parseOscalCatalog(text: string, file: string): OscalCatalog {
  if (text.length > MAX_CATALOG_BYTES)
    throw new FileLineError(file, 1, `larger than ${MAX_CATALOG_BYTES} bytes`);
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FileLineError(file, 1, `not JSON: ${(e as Error).message}`);
  }
  const catalog = doc?.catalog;
  if (!catalog || typeof catalog !== 'object' || !catalog.metadata)
    throw new FileLineError(
      file,
      1,
      'not an OSCAL catalog (no "catalog" with "metadata")',
    );
  const controls = new Map<string, string>();
  const stack: any[] = [catalog];
  while (stack.length) {
    const node = stack.pop();
    for (const key of ['groups', 'controls']) {
      const children = node?.[key];
      if (!Array.isArray(children)) continue;
      for (const child of children) {
        if (
          key === 'controls' &&
          typeof child?.id === 'string' &&
          typeof child?.title === 'string'
        )
          controls.set(child.id, child.title);
        stack.push(child);
      }
    }
  }
  if (controls.size === 0)
    throw new FileLineError(file, 1, 'an OSCAL catalog without controls');
  return {
    title: String(catalog.metadata.title ?? file),
    ...(catalog.metadata.version
      ? { version: String(catalog.metadata.version) }
      : {}),
    controls,
  };
}

/** Reads an OSCAL catalog file (see {@link parseOscalCatalog}). @public */
export function readOscalCatalog(file: string): OscalCatalog {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_CATALOG_BYTES)
      throw new FileLineError(
        file,
        1,
        `larger than ${MAX_CATALOG_BYTES} bytes`,
      );
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FileLineError) throw e;
    throw new FileLineError(file, 1, 'no such file');
  }
  return parseOscalCatalog(text, file);
}
