import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ChangeRequest,
  PlanRecord,
} from '@infra-hub/plugin-infra-change-common';
import {
  CHAT_SOURCE_PERMISSIONS,
  ChatSourceKind,
} from '@infra-hub/plugin-infra-chat-common';
import {
  Finding,
  FINDING_ID_ANNOTATION,
  TerraformModuleInterface,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  AssetPage,
  AttackPath,
  DISCOVERY_ANNOTATIONS,
  DiscoveredAsset,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  INFRA_TENANT_ANNOTATION,
  redactSecrets,
} from '@infra-hub/plugin-infra-security-common';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';
import { IndexDocument } from '../database/ChatIndexStore';
import { scrubText } from '../retrieval/text';

/** The longest text of one item, in characters. */
const MAX_BODY = 6000;
/** The most items of one kind read for a tenant. */
const MAX_ITEMS = 200_000;

function doc(
  kind: ChatSourceKind,
  fields: Omit<IndexDocument, 'kind' | 'permission'>,
): IndexDocument {
  return {
    kind,
    permission: CHAT_SOURCE_PERMISSIONS[kind],
    ...fields,
    // Everything indexed is scrubbed: neither answers nor prompts can carry a secret.
    // Cut before scrubbing: the work is bounded whatever a tenant's item holds (a secret cut in
    // two is still caught: PEM blocks without their end, tokens by their prefix).
    title: scrubText(fields.title.slice(0, 500)),
    body: scrubText(fields.body.slice(0, MAX_BODY)),
  };
}

/** Flat `key: value` lines of a value (redacted first), for the searchable text. */
function flatten(value: unknown, prefix = '', out: string[] = [], depth = 0) {
  if (out.length > 200 || depth > 8) return out;
  if (value === null || value === undefined || value === '') return out;
  if (typeof value !== 'object') {
    out.push(`${prefix}: ${String(value)}`);
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  }
  return out;
}

const lines = (...parts: Array<string | undefined | false>) =>
  parts.filter(Boolean).join('\n');

function entityUrl(entity: Entity) {
  const ns = entity.metadata.namespace ?? 'default';
  return `/catalog/${encodeURIComponent(ns)}/${encodeURIComponent(
    entity.kind.toLowerCase(),
  )}/${encodeURIComponent(entity.metadata.name)}`;
}

function moduleText(tf: TerraformModuleInterface) {
  return lines(
    tf.inputs.length > 0 &&
      `Inputs: ${tf.inputs
        .map(
          i =>
            `${i.name}${i.type ? ` (${i.type})` : ''}${
              i.optional ? ' optional' : ' required'
            }${i.description ? `: ${i.description}` : ''}${
              i.validations.length ? ` [${i.validations.join('; ')}]` : ''
            }`,
        )
        .join('; ')}`,
    tf.outputs.length > 0 &&
      `Outputs: ${tf.outputs
        .map(o => `${o.name}${o.description ? `: ${o.description}` : ''}`)
        .join('; ')}`,
    tf.providers.length > 0 &&
      `Providers: ${tf.providers
        .map(p => `${p.name}${p.version ? ` ${p.version}` : ''}`)
        .join(', ')}`,
    tf.resourceTypes.length > 0 &&
      `Resource types: ${tf.resourceTypes.join(', ')}`,
    tf.modules.length > 0 &&
      `Calls modules: ${tf.modules
        .map(m => `${m.name} (${m.source})`)
        .join(', ')}`,
  );
}

/** The indexed item of a discovered asset (attributes and tags redacted, then scrubbed). */
export function assetDocument(asset: DiscoveredAsset): IndexDocument {
  const tags = Object.entries(asset.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return doc('asset', {
    sourceId: asset.id,
    title: `${asset.type} ${asset.name}`,
    body: lines(
      `Asset ${asset.id}`,
      `Type ${asset.type} on ${asset.provider}, account ${asset.account}, region ${asset.region}`,
      tags && `Tags: ${tags}`,
      asset.source?.address && `Terraform address: ${asset.source.address}`,
      ...flatten(redactSecrets(asset.attributes)),
    ),
    url: `/infra-discovery?asset=${encodeURIComponent(asset.id)}`,
  });
}

/** What the reads of one indexing run of a tenant share. */
export type IndexRun = {
  /** Asset names by id, from this run's read of the assets. */
  assetNames?: Map<string, string>;
};

/**
 * Reads what the chat indexes for a tenant from the suite's own services, as this plugin (a
 * backend service reads every tenant): the catalog, discovery, change control and compliance.
 * Each kind is read whole; the index store keeps only what changed.
 */
export class IndexSources {
  private readonly discoveryApi: InfraPluginClient;
  private readonly changeApi: InfraPluginClient;
  private readonly complianceApi: InfraPluginClient;
  private readonly securityApi: InfraPluginClient;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
    },
  ) {
    const client = (pluginId: string) =>
      new InfraPluginClient({
        discovery: deps.discovery,
        auth: deps.auth,
        pluginId,
      });
    this.discoveryApi = client('infra-discovery');
    this.changeApi = client('infra-change');
    this.complianceApi = client('infra-compliance');
    this.securityApi = client('infra-security');
  }

  /** Every tenant of the installation. */
  async tenants(): Promise<string[]> {
    const { items } = await this.securityApi.request<{
      items: Array<{ id: string }>;
    }>('/tenants');
    return items.map(t => t.id);
  }

  /** The kinds in the order they are read (attack paths name assets read before them). */
  readonly kinds: readonly ChatSourceKind[] = [
    'entity',
    'asset',
    'attack-path',
    'drift',
    'change-request',
    'finding',
  ];

  /**
   * The items of `kind` (`entity` also gives the `module` items). `run` is shared by the reads
   * of one indexing run: the asset names read for `asset` name the steps of `attack-path`
   * without reading every asset again.
   */
  async read(
    tenantId: string,
    kind: ChatSourceKind,
    run: IndexRun = {},
  ): Promise<Map<ChatSourceKind, IndexDocument[]>> {
    switch (kind) {
      case 'entity':
      case 'module':
        return this.catalogItems(tenantId);
      case 'asset': {
        const { docs, names } = await this.assets(tenantId);
        run.assetNames = names;
        return new Map([['asset', docs]]);
      }
      case 'attack-path':
        return new Map([
          [
            'attack-path',
            await this.attackPaths(
              tenantId,
              run.assetNames ?? (await this.assets(tenantId)).names,
            ),
          ],
        ]);
      case 'drift':
        return new Map([['drift', await this.drift(tenantId)]]);
      case 'change-request':
        return new Map([
          ['change-request', await this.changeRequests(tenantId)],
        ]);
      case 'finding':
        return new Map([['finding', await this.findings(tenantId)]]);
      default:
        return new Map();
    }
  }

  private async catalogItems(tenantId: string) {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${INFRA_TENANT_ANNOTATION}`]: tenantId,
        },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const entities: IndexDocument[] = [];
    const modules: IndexDocument[] = [];
    for (const entity of items) {
      const annotations = entity.metadata.annotations ?? {};
      // The tenant annotation is trusted as the catalog's permission policy trusts it.
      if (annotations[INFRA_TENANT_ANNOTATION] !== tenantId) continue;
      const spec = (entity.spec ?? {}) as Record<string, any>;
      const tf = spec.terraform as TerraformModuleInterface | undefined;
      // Discovered assets and findings are indexed from their own plugins, with their permission.
      if (!tf && annotations[DISCOVERY_ANNOTATIONS.assetId]) continue;
      if (annotations[FINDING_ID_ANNOTATION]) continue;
      const ref = stringifyEntityRef(entity);
      const name = entity.metadata.title ?? entity.metadata.name;
      const describe = lines(
        entity.metadata.description,
        `${entity.kind} ${ref}${spec.type ? `, type ${spec.type}` : ''}`,
        spec.owner && `Owner: ${spec.owner}`,
        spec.system && `System: ${spec.system}`,
        spec.lifecycle && `Lifecycle: ${spec.lifecycle}`,
        spec.domain && `Domain: ${spec.domain}`,
        (entity.metadata.tags?.length ?? 0) > 0 &&
          `Tags: ${entity.metadata.tags!.join(', ')}`,
        ...(entity.metadata.links ?? []).map(l => `Link: ${l.title ?? l.url}`),
        ...flatten(redactSecrets(annotations)).map(l => `Annotation ${l}`),
      );
      if (tf && Array.isArray(tf.inputs)) {
        modules.push(
          doc('module', {
            sourceId: ref,
            title: `Terraform module ${name}`,
            body: lines(describe, moduleText(tf)),
            url: entityUrl(entity),
            entityRef: ref,
          }),
        );
      } else {
        entities.push(
          doc('entity', {
            sourceId: ref,
            title: `${entity.kind} ${name}`,
            body: describe,
            url: entityUrl(entity),
            entityRef: ref,
          }),
        );
      }
    }
    return new Map<ChatSourceKind, IndexDocument[]>([
      ['entity', entities],
      ['module', modules],
    ]);
  }

  private async assets(tenantId: string) {
    const docs: IndexDocument[] = [];
    const names = new Map<string, string>();
    let after: string | undefined;
    do {
      const page: AssetPage = await this.discoveryApi.request(
        `/tenants/${encodeURIComponent(tenantId)}/assets`,
        { query: { limit: 500, after, include: 'attributes' } },
      );
      for (const asset of page.items) {
        names.set(asset.id, asset.name);
        docs.push(
          assetDocument({ ...asset, attributes: asset.attributes ?? {} }),
        );
      }
      after = page.nextAfter;
    } while (after && docs.length < MAX_ITEMS);
    return { docs, names };
  }

  private async attackPaths(tenantId: string, names: Map<string, string>) {
    const { items } = await this.discoveryApi.request<{ items: AttackPath[] }>(
      `/tenants/${encodeURIComponent(tenantId)}/attack-paths`,
      { query: { limit: 500 } },
    );
    const name = (id: string) => names.get(id) ?? id;
    return items.map(path => {
      const chain = [
        'the internet',
        ...path.steps.map(s => name(s.reversed ? s.edge.from : s.edge.to)),
      ];
      return doc('attack-path', {
        sourceId: path.id,
        title: `Attack path to ${name(path.target)} (${path.severity})`,
        body: lines(
          `Exposed to the internet: ${name(
            path.target,
          )} is reachable from the internet through ${name(path.entry)}, ${
            path.severity
          } severity, score ${path.score}.`,
          `Path: ${chain.join(' -> ')}`,
          `Edges: ${path.steps.map(s => s.edge.type).join(', ')}`,
          ...path.reasons.map(r => `Reason: ${r}`),
          `Target asset ${path.target}`,
        ),
        url: `/infra-discovery?asset=${encodeURIComponent(path.target)}`,
      });
    });
  }

  private async drift(tenantId: string) {
    const { items } = await this.changeApi.request<{ items: PlanRecord[] }>(
      `/tenants/${encodeURIComponent(tenantId)}/drift`,
    );
    return items.map(plan =>
      doc('drift', {
        sourceId: `${plan.moduleId}`,
        title: `Drift of module ${plan.moduleId}: ${plan.drifted} drifted, risk ${plan.risk}`,
        body: lines(
          `Module ${plan.moduleId}, latest ${plan.kind} ${plan.id} uploaded ${plan.uploadedAt} by ${plan.uploadedBy}.`,
          `${plan.drifted} resources drifted outside Terraform; risk ${plan.risk}.`,
          ...plan.summary.reasons.map(r => `Reason: ${r}`),
          plan.summary.text,
        ),
        url: `/infra-change?module=${encodeURIComponent(plan.moduleId)}`,
      }),
    );
  }

  private async changeRequests(tenantId: string) {
    const { items } = await this.changeApi.request<{ items: ChangeRequest[] }>(
      `/tenants/${encodeURIComponent(tenantId)}/change-requests`,
      { query: { limit: 200 } },
    );
    return items.map(cr =>
      doc('change-request', {
        sourceId: cr.id,
        title: `Change request for module ${cr.moduleId}: ${cr.state}, risk ${cr.risk}`,
        body: lines(
          `Change request ${cr.id} for module ${cr.moduleId}, requested by ${cr.requester} on ${cr.createdAt}; state ${cr.state}, risk ${cr.risk}, ${cr.requiredApprovals} approvals required.`,
          ...cr.decisions.map(
            d =>
              `${d.decision === 'approve' ? 'Approved' : 'Rejected'} by ${
                d.approver
              } on ${d.decidedAt}${d.signed ? ', signed with ML-DSA-65' : ''}${
                d.comment ? `: ${d.comment}` : ''
              }`,
          ),
          cr.decisions.length === 0 && 'No approvals or rejections yet.',
          cr.rollbackNote && `Rollback: ${cr.rollbackNote}`,
          ...cr.summary.reasons.map(r => `Reason: ${r}`),
          cr.summary.text,
        ),
        url: `/infra-change?change=${encodeURIComponent(cr.id)}`,
      }),
    );
  }

  private async findings(tenantId: string) {
    const docs: IndexDocument[] = [];
    let after: string | undefined;
    do {
      const page = await this.complianceApi.request<{
        items: Finding[];
        nextAfter?: string;
      }>(`/tenants/${encodeURIComponent(tenantId)}/findings`, {
        query: { limit: 500, after },
      });
      for (const f of page.items) {
        docs.push(
          doc('finding', {
            sourceId: f.id,
            title: `${f.severity} finding: ${f.title} on ${f.resourceName}`,
            body: lines(
              `Rule ${f.ruleId} fails on ${f.resourceType} ${f.resourceName} (${f.resourceId}); status ${f.status}, severity ${f.severity}.`,
              f.system && `System: ${f.system}`,
              f.owner && `Owner: ${f.owner}`,
              ...Object.entries(f.controls).map(
                ([fw, ids]) => `Controls of ${fw}: ${ids.join(', ')}`,
              ),
              f.message,
              `Remediation: ${f.remediation}`,
              `First seen ${f.firstSeenAt}, last seen ${f.lastSeenAt}.`,
            ),
            url: `/infra-compliance?finding=${encodeURIComponent(f.id)}`,
          }),
        );
      }
      after = page.nextAfter;
    } while (after && docs.length < MAX_ITEMS);
    return docs;
  }
}
