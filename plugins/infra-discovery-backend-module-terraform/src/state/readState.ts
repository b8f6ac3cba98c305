/** A state file that cannot be read, with what is wrong with it. */
export class StateFormatError extends Error {
  name = 'StateFormatError';
}

/** The parts of a Terraform/OpenTofu state file (format version 4) that discovery reads. */
export type StateV4 = {
  version: 4;
  terraform_version?: string;
  serial?: number;
  lineage?: string;
  resources: Array<{
    module?: string;
    mode: 'managed' | 'data';
    type: string;
    name: string;
    provider: string;
    instances: Array<{
      index_key?: string | number;
      schema_version?: number;
      attributes?: Record<string, unknown>;
      sensitive_attributes?: unknown[];
      dependencies?: string[];
    }>;
  }>;
};

/** The largest state file read by default. */
export const DEFAULT_MAX_STATE_BYTES = 256 * 1024 * 1024;

/**
 * Parses and checks a state file. Refuses, naming the problem: a file over the size limit, text
 * that is not JSON, `terraform show -json` output (which is not a state file), and any state
 * format version but 4.
 */
export function readState(
  text: string,
  options: { maxBytes?: number } = {},
): StateV4 {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STATE_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) {
    throw new StateFormatError(
      `The state file is ${size} bytes, over the limit of ${maxBytes}`,
    );
  }
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // The parser's message quotes the text: say where, not what (it came from a server).
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new StateFormatError(
      `The state file is not valid JSON${at ? ` (at position ${at})` : ''}`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StateFormatError('The state file is not a JSON object');
  }
  if (doc.version === undefined && doc.format_version !== undefined) {
    throw new StateFormatError(
      `This is \`terraform show -json\` output (format_version ${doc.format_version}), not a state file: give the state itself (terraform.tfstate, or \`terraform state pull\`)`,
    );
  }
  if (doc.version !== 4) {
    throw new StateFormatError(
      `State format version ${JSON.stringify(
        doc.version,
      )} is not supported: only version 4 (Terraform 0.12 and later, OpenTofu) is`,
    );
  }
  if (!Array.isArray(doc.resources)) {
    throw new StateFormatError('The state file has no "resources" array');
  }
  doc.resources.forEach((r: any, i: number) => {
    if (
      !r ||
      typeof r.type !== 'string' ||
      typeof r.name !== 'string' ||
      !Array.isArray(r.instances)
    ) {
      throw new StateFormatError(
        `resources[${i}] lacks a type, a name or instances`,
      );
    }
  });
  return doc as StateV4;
}
