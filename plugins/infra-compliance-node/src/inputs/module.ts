import { TerraformModuleInterface } from '@infra-hub/plugin-infra-compliance-common';
import { parseHclDocument } from './hcl';

/** `${string}` → `string`: an expression as hcl2json writes it, as it was written. */
const expression = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return m ? m[1] : value;
};

/** A value without expressions in it (a literal default), or undefined. */
function literal(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('${') ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(literal);
    return items.some(i => i === undefined) ? undefined : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const l = literal(v);
      if (l === undefined) return undefined;
      out[k] = l;
    }
    return out;
  }
  return value;
}

const first = (blocks: unknown) =>
  (Array.isArray(blocks) ? blocks[0] : blocks) as
    | Record<string, any>
    | undefined;

/**
 * The interface of a Terraform module from its `.tf` files, each parsed with `@cdktn/hcl2json`
 * (the first that does not parse throws an `HclError` with its file and line): inputs with type,
 * default, sensitivity and validations; outputs; required Terraform version and providers; the
 * modules it calls; the resource types it manages.
 *
 * @public
 */
export async function terraformModuleInterface(
  files: ReadonlyArray<{ file: string; text: string }>,
): Promise<TerraformModuleInterface> {
  const inputs: TerraformModuleInterface['inputs'] = [];
  const outputs: TerraformModuleInterface['outputs'] = [];
  const providers = new Map<
    string,
    TerraformModuleInterface['providers'][number]
  >();
  const modules: TerraformModuleInterface['modules'] = [];
  const types = new Set<string>();
  let requiredVersion: string | undefined;
  const sorted = [...files].sort((a, b) => a.file.localeCompare(b.file));
  for (const { file, text } of sorted) {
    const doc = await parseHclDocument(text, file);
    for (const [name, blocks] of Object.entries(doc.variable ?? {})) {
      const v = first(blocks) ?? {};
      const sensitive = v.sensitive === true;
      const hasDefault = 'default' in v;
      const value = hasDefault && !sensitive ? literal(v.default) : undefined;
      inputs.push({
        name,
        ...(v.type !== undefined ? { type: expression(v.type) } : {}),
        ...(typeof v.description === 'string'
          ? { description: v.description }
          : {}),
        optional: hasDefault,
        ...(value !== undefined ? { default: value } : {}),
        sensitive,
        ...(typeof v.nullable === 'boolean' ? { nullable: v.nullable } : {}),
        validations: (Array.isArray(v.validation) ? v.validation : [])
          .map((x: any) => x?.error_message)
          .filter((m: unknown): m is string => typeof m === 'string'),
      });
    }
    for (const [name, blocks] of Object.entries(doc.output ?? {})) {
      const o = first(blocks) ?? {};
      outputs.push({
        name,
        ...(typeof o.description === 'string'
          ? { description: o.description }
          : {}),
        sensitive: o.sensitive === true,
      });
    }
    for (const block of Array.isArray(doc.terraform) ? doc.terraform : []) {
      if (typeof block?.required_version === 'string')
        requiredVersion = block.required_version;
      for (const required of Array.isArray(block?.required_providers)
        ? block.required_providers
        : []) {
        for (const [name, spec] of Object.entries(required ?? {})) {
          const s = spec as { source?: unknown; version?: unknown } | string;
          // `aws = "~> 5.0"` (Terraform 0.12) or `aws = { source, version }`.
          const version = typeof s === 'string' ? s : s?.version;
          const source = typeof s === 'object' ? s?.source : undefined;
          providers.set(name, {
            name,
            ...(typeof source === 'string' ? { source } : {}),
            ...(typeof version === 'string' ? { version } : {}),
          });
        }
      }
    }
    for (const name of Object.keys(doc.provider ?? {}))
      if (!providers.has(name)) providers.set(name, { name });
    for (const [name, blocks] of Object.entries(doc.module ?? {})) {
      const m = first(blocks) ?? {};
      if (typeof m.source !== 'string') continue;
      modules.push({
        name,
        source: m.source,
        ...(typeof m.version === 'string' ? { version: m.version } : {}),
      });
    }
    for (const type of Object.keys(doc.resource ?? {})) types.add(type);
  }
  const byName = <T extends { name: string }>(list: T[]) =>
    list.sort((a, b) => a.name.localeCompare(b.name));
  return {
    inputs: byName(inputs),
    outputs: byName(outputs),
    ...(requiredVersion ? { requiredVersion } : {}),
    providers: byName([...providers.values()]),
    modules: byName(modules),
    resourceTypes: [...types].sort(),
    files: sorted.map(f => f.file),
  };
}
