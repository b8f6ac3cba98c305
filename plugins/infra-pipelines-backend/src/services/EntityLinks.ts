import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CHANGE_MODULE_ANNOTATION } from '@infra-hub/plugin-infra-change-common';
import {
  PIPELINE_ANNOTATION,
  PIPELINE_ENVIRONMENT_ANNOTATION,
  PIPELINE_PROVIDERS,
  PIPELINE_REPOSITORY_ANNOTATIONS,
  PipelineProvider,
} from '@infra-hub/plugin-infra-pipelines-common';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import { RunLinks } from '../database/PipelineStore';

/** An entity's claim on a repository (and, optionally, some of its pipelines). */
export type Claim = {
  entityRef: string;
  provider: PipelineProvider;
  repository: string;
  /** Workflow files, pipeline names or definition ids; empty: every run of the repository. */
  pipelines: string[];
  module?: string;
  environment?: string;
};

type TenantClaims = { at: number; claims: Claim[] };

const key = (provider: PipelineProvider, repository: string) =>
  `${provider}\u0000${repository.toLowerCase()}`;

/**
 * Which of a tenant's catalog entities claim a run: by the repository annotations
 * (`github.com/project-slug`, `gitlab.com/project-slug`, `dev.azure.com/project-repo`) and, when
 * set, `infra-hub.io/pipeline`. Read from the catalog as this plugin (only entities of the tenant,
 * by `infra-hub.io/tenant`) and kept for `ttlMs`; a repository nobody claims is looked up again
 * once the claims are older than a few seconds, so a new entity is seen at once.
 */
export class EntityLinks {
  private readonly cache = new Map<string, Promise<TenantClaims>>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      ttlMs?: number;
    },
  ) {}

  private async load(tenantId: string): Promise<TenantClaims> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${INFRA_TENANT_ANNOTATION}`]: tenantId,
        },
        fields: ['kind', 'metadata', 'spec.type', 'spec.lifecycle'],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    const claims: Claim[] = [];
    for (const entity of items) {
      const annotations = entity.metadata.annotations ?? {};
      for (const provider of PIPELINE_PROVIDERS) {
        const repository =
          annotations[PIPELINE_REPOSITORY_ANNOTATIONS[provider]];
        if (!repository || !repository.includes('/')) continue;
        const spec = (entity.spec ?? {}) as {
          type?: string;
          lifecycle?: string;
        };
        const module =
          annotations[CHANGE_MODULE_ANNOTATION] ??
          (spec.type === 'terraform-module' ? entity.metadata.name : undefined);
        const environment =
          annotations[PIPELINE_ENVIRONMENT_ANNOTATION] ?? spec.lifecycle;
        claims.push({
          entityRef: stringifyEntityRef(entity),
          provider,
          repository: repository.trim(),
          pipelines: (annotations[PIPELINE_ANNOTATION] ?? '')
            .split(',')
            .map(p => p.trim().toLowerCase())
            .filter(Boolean),
          ...(module ? { module } : {}),
          ...(environment ? { environment } : {}),
        });
      }
    }
    return { at: Date.now(), claims };
  }

  private claims(tenantId: string, maxAgeMs: number): Promise<TenantClaims> {
    const cached = this.cache.get(tenantId);
    const fresh = cached?.then(c =>
      Date.now() - c.at <= maxAgeMs ? c : undefined,
    );
    return (fresh ?? Promise.resolve(undefined)).then(c => {
      if (c) return c;
      const loading = this.load(tenantId);
      this.cache.set(tenantId, loading);
      loading.catch(() => this.cache.delete(tenantId));
      return loading;
    });
  }

  /** The entities of the tenant that claim this run; none when no entity does. */
  async linksOf(
    tenantId: string,
    provider: PipelineProvider,
    run: { repository: string; pipeline?: string; pipelineId?: string },
  ): Promise<RunLinks> {
    const match = (all: Claim[]) => {
      const wanted = key(provider, run.repository);
      const names = [run.pipelineId, run.pipeline]
        .filter((n): n is string => Boolean(n))
        .map(n => n.toLowerCase());
      return all.filter(
        c =>
          key(c.provider, c.repository) === wanted &&
          (!c.pipelines.length || c.pipelines.some(p => names.includes(p))),
      );
    };
    let matched = match(
      (await this.claims(tenantId, this.deps.ttlMs ?? 60_000)).claims,
    );
    if (!matched.length) {
      matched = match((await this.claims(tenantId, 5_000)).claims);
    }
    const module = matched.find(c => c.module)?.module;
    const environment = matched.find(c => c.environment)?.environment;
    return {
      entityRefs: [...new Set(matched.map(c => c.entityRef))].sort(),
      ...(module ? { module } : {}),
      ...(environment ? { environment } : {}),
    };
  }

  /** The repositories (and pipelines) the tenant's entities claim on a provider, for pulls. */
  async repositories(
    tenantId: string,
    provider: PipelineProvider,
  ): Promise<Array<{ repository: string; pipelines: string[] }>> {
    const { claims } = await this.claims(tenantId, this.deps.ttlMs ?? 60_000);
    const byRepo = new Map<
      string,
      { repository: string; pipelines: Set<string>; all: boolean }
    >();
    for (const c of claims.filter(x => x.provider === provider)) {
      const k = c.repository.toLowerCase();
      const entry = byRepo.get(k) ?? {
        repository: c.repository,
        pipelines: new Set(),
        all: false,
      };
      if (!c.pipelines.length) entry.all = true;
      c.pipelines.forEach(p => entry.pipelines.add(p));
      byRepo.set(k, entry);
    }
    return [...byRepo.values()].map(e => ({
      repository: e.repository,
      pipelines: e.all ? [] : [...e.pipelines],
    }));
  }

  /** The claim of one entity of the tenant, for triggers. */
  async claimOf(
    tenantId: string,
    entityRef: string,
  ): Promise<Claim | undefined> {
    const { claims } = await this.claims(tenantId, 5_000);
    return claims.find(
      c => c.entityRef === entityRef.toLowerCase() || c.entityRef === entityRef,
    );
  }
}
