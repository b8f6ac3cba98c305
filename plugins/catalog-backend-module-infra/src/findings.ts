import {
  Entity,
  entityKindSchemaValidator,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_HAS_PART,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  Finding,
  FINDING_ENTITY_API_VERSION,
  FINDING_ENTITY_KIND,
  FINDING_ENTITY_SCHEMA,
  FINDING_ID_ANNOTATION,
  FindingEntitySpec,
  RELATION_FINDING_OF,
  RELATION_HAS_FINDING,
} from '@infra-hub/plugin-infra-compliance-common';
import { parseAssetId } from '@infra-hub/plugin-infra-discovery-common';
import {
  ANNOTATION_ASSET_ID,
  ANNOTATION_TENANT,
  entityRefOf,
  TenantMapping,
} from './entities';

const slug = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A finding's entity name: its rule, readable, and the first 12 hex digits of its id. */
export function findingEntityName(finding: Pick<Finding, 'id' | 'ruleId'>) {
  const readable = slug(finding.ruleId).slice(0, 48).replace(/-+$/, '');
  return `${readable || 'finding'}-${finding.id.slice(0, 12)}`;
}

/**
 * The `Finding` entity of an open or suppressed finding, in its tenant's namespace: owned by the
 * asset's tagged owner (or the tenant's), in its tagged system, pointing at the asset's entity
 * unless that kind of asset is kept out of the catalog.
 */
export function findingToEntity(
  finding: Finding,
  mapping: TenantMapping,
  excluded: ReadonlySet<string>,
  locationRef: string,
  foreign: ReadonlySet<string> = new Set(),
): Entity {
  const owner = finding.owner ? `group:default/${finding.owner}` : undefined;
  const system = finding.system
    ? `system:${mapping.systemNamespace}/${finding.system}`
    : undefined;
  let resource: string | undefined;
  try {
    if (!excluded.has(parseAssetId(finding.resourceId).type))
      resource = entityRefOf(finding.resourceId, mapping.namespace);
  } catch {
    resource = undefined;
  }
  const spec: FindingEntitySpec = {
    severity: finding.severity,
    status: finding.status === 'suppressed' ? 'suppressed' : 'open',
    rule: finding.ruleId,
    ...(resource ? { resource } : {}),
    owner: owner && !foreign.has(owner) ? owner : mapping.owner,
    ...(system && !foreign.has(system) ? { system } : {}),
    controls: Object.entries(finding.controls).flatMap(([framework, ids]) =>
      ids.map(id => `${framework}:${id}`),
    ),
    remediation: finding.remediation,
    firstSeen: finding.firstSeenAt,
    lastSeen: finding.lastSeenAt,
  };
  return {
    apiVersion: FINDING_ENTITY_API_VERSION,
    kind: FINDING_ENTITY_KIND,
    metadata: {
      name: findingEntityName(finding),
      namespace: mapping.namespace,
      title: `${finding.title}: ${finding.resourceName}`.slice(0, 200),
      description: `${finding.severity} compliance finding: rule ${finding.ruleId} fails on ${finding.resourceType} ${finding.resourceName}.`,
      annotations: {
        [ANNOTATION_TENANT]: mapping.tenantId,
        [FINDING_ID_ANNOTATION]: finding.id,
        [ANNOTATION_ASSET_ID]: finding.resourceId,
        'backstage.io/managed-by-location': locationRef,
        'backstage.io/managed-by-origin-location': locationRef,
      },
      tags: ['infra-hub', 'finding', finding.severity],
    },
    spec,
  };
}

/** Reads a page of a tenant's findings of one status. */
export type FindingsFeed = (
  tenantId: string,
  options: { status: 'open' | 'suppressed'; after?: string; limit: number },
) => Promise<{ items: Finding[]; nextAfter?: string }>;

/**
 * Open and suppressed compliance findings as `Finding` entities, a full set per sync. Groups and
 * systems the findings name are checked like the assets' (those of another tenant are ignored).
 */
export class InfraFindingEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly deps: {
      tenants: TenantMapping[];
      excludedTypes: ReadonlySet<string>;
      feed: FindingsFeed;
      foreignRefs: (
        refs: string[],
        tenantId: string,
      ) => Promise<ReadonlySet<string>>;
      logger: LoggerService;
    },
  ) {}

  getProviderName() {
    return 'infra-compliance-findings';
  }

  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }

  private async findingsOf(tenantId: string) {
    const out: Finding[] = [];
    for (const status of ['open', 'suppressed'] as const) {
      let after: string | undefined;
      do {
        const page = await this.deps.feed(tenantId, {
          status,
          after,
          limit: 500,
        });
        out.push(...page.items);
        after = page.nextAfter;
      } while (after);
    }
    return out;
  }

  /** Replaces every Finding entity with the findings open or suppressed now. */
  async fullSync() {
    if (!this.connection) return;
    const entities: DeferredEntity[] = [];
    for (const mapping of this.deps.tenants) {
      let findings: Finding[];
      try {
        findings = await this.findingsOf(mapping.tenantId);
      } catch (error) {
        // A tenant the compliance plugin cannot answer for keeps nothing stale: it is skipped
        // this time, and said so.
        this.deps.logger.warn('could not read compliance findings', {
          tenantId: mapping.tenantId,
          error: String(error),
        });
        continue;
      }
      const refs = new Set<string>();
      for (const f of findings) {
        if (f.owner) refs.add(`group:default/${f.owner}`);
        if (f.system) refs.add(`system:${mapping.systemNamespace}/${f.system}`);
      }
      const foreign = await this.deps.foreignRefs([...refs], mapping.tenantId);
      const location = `infra-compliance:tenants/${mapping.tenantId}`;
      for (const f of findings)
        entities.push({
          entity: findingToEntity(
            f,
            mapping,
            this.deps.excludedTypes,
            location,
            foreign,
          ),
          locationKey: location,
        });
    }
    await this.connection.applyMutation({ type: 'full', entities });
  }
}

const validateFinding = entityKindSchemaValidator(FINDING_ENTITY_SCHEMA);

/** Validates `Finding` entities and relates them to their resource, owner and system. */
export class InfraFindingEntityProcessor implements CatalogProcessor {
  getProcessorName() {
    return 'InfraFindingEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    return validateFinding(entity) !== false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (
      entity.apiVersion !== FINDING_ENTITY_API_VERSION ||
      entity.kind !== FINDING_ENTITY_KIND
    )
      return entity;
    const self = {
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    };
    const spec = entity.spec as FindingEntitySpec;
    const relate = (
      target: string,
      outgoing: string,
      incoming: string,
      defaultKind: string,
    ) => {
      const ref = parseEntityRef(target, {
        defaultKind,
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: outgoing,
          target: ref,
        }),
      );
      emit(
        processingResult.relation({
          source: ref,
          type: incoming,
          target: self,
        }),
      );
    };
    relate(spec.owner, RELATION_OWNED_BY, RELATION_OWNER_OF, 'group');
    if (spec.resource)
      relate(
        spec.resource,
        RELATION_FINDING_OF,
        RELATION_HAS_FINDING,
        'resource',
      );
    if (spec.system)
      relate(spec.system, RELATION_PART_OF, RELATION_HAS_PART, 'system');
    return entity;
  }
}
