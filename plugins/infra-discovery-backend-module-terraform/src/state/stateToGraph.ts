import {
  InferredGraph,
  ResourceRecord,
  resourcesToGraph,
} from '@infra-hub/plugin-infra-discovery-node';
import { StateV4 } from './readState';

type Resource = StateV4['resources'][number];
type Instance = Resource['instances'][number];

/** `provider["registry.terraform.io/hashicorp/aws"]`, `provider.aws`, with aliases → `aws`. */
export function providerName(provider: string): string {
  const quoted = /provider\["([^"]+)"\]/.exec(provider);
  if (quoted) return quoted[1].split('/').pop()!;
  const legacy = /provider\.([a-z0-9_-]+)/.exec(provider);
  return legacy ? legacy[1] : 'unknown';
}

function sensitiveNames(instance: Instance): Set<string> {
  const names = new Set<string>();
  for (const path of instance.sensitive_attributes ?? []) {
    const first = Array.isArray(path) ? path[0] : undefined;
    if (
      first &&
      typeof first === 'object' &&
      typeof (first as any).value === 'string'
    ) {
      names.add((first as any).value);
    }
  }
  return names;
}

/** What a state describes. */
export type StateGraph = InferredGraph;

/**
 * Turns a state file into assets and the relationships that matter for security: each managed
 * resource instance (data sources are not the estate) becomes a record with its address, module,
 * recorded dependencies and sensitive attributes, and `resourcesToGraph` of the discovery node
 * library does the rest, the same way it does for the live AWS provider.
 */
export function stateToGraph(
  state: StateV4,
  options: {
    /** The account of resources whose ARN names none (S3); by default the most common one. */
    defaultAccount?: string;
  } = {},
): StateGraph {
  const records: ResourceRecord[] = [];
  // Managed resources are the estate; data sources only read it.
  for (const resource of state.resources.filter(r => r.mode !== 'data')) {
    const base = `${resource.module ? `${resource.module}.` : ''}${
      resource.type
    }.${resource.name}`;
    for (const instance of resource.instances) {
      const key = instance.index_key;
      records.push({
        provider: providerName(resource.provider),
        type: resource.type,
        attributes: instance.attributes ?? {},
        address:
          key === undefined
            ? base
            : `${base}[${typeof key === 'number' ? key : JSON.stringify(key)}]`,
        ...(resource.module ? { module: resource.module } : {}),
        addressBase: base,
        dependsOn: instance.dependencies ?? [],
        sensitive: [...sensitiveNames(instance)],
      });
    }
  }
  return resourcesToGraph(records, options);
}
