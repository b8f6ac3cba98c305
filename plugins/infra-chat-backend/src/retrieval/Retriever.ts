import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CHAT_SOURCE_PERMISSIONS,
  ChatSource,
} from '@infra-hub/plugin-infra-chat-common';
import { infraSecurityPermissions } from '@infra-hub/plugin-infra-security-common';
import { InfraAuthorizer } from '@infra-hub/plugin-infra-security-node';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { ChatIndexStore, RankedDocument } from '../database/ChatIndexStore';
import { searchTerms, snippetOf } from './text';

/** The constant of reciprocal rank fusion (the usual 60). */
const RRF_K = 60;
/** How many hits of each method are fused. */
const CANDIDATES = 50;

const permissionByName = new Map(
  infraSecurityPermissions.map(p => [p.name, p as ResourcePermission]),
);

/** The distinct permissions the index's kinds need. */
const SOURCE_PERMISSIONS = [...new Set(Object.values(CHAT_SOURCE_PERMISSIONS))];

/** A retrieved item with the passage that answers. */
export type Retrieved = RankedDocument & { snippet: string; score: number };

/**
 * Hybrid retrieval over the chat index: keyword search and vector similarity, fused by reciprocal
 * rank, each computed over the items the asker may read only (the permissions they hold in the
 * tenant are part of every query, so top-k never includes what they may not read).
 */
export class Retriever {
  constructor(
    private readonly deps: {
      store: ChatIndexStore;
      /** The question's vector (absent or undefined: keywords only). */
      vectors?: {
        forQuestion(
          credentials: BackstageCredentials | undefined,
          tenantId: string,
          question: string,
        ): Promise<Float32Array | undefined>;
      };
      authorizer: InfraAuthorizer;
    },
  ) {}

  get vectors(): 'pgvector' | 'in-process' | 'off' {
    return this.deps.vectors ? this.deps.store.vectors : 'off';
  }

  /** The index permissions `credentials` hold in the tenant. */
  async readablePermissions(
    credentials: BackstageCredentials,
    tenantId: string,
  ): Promise<string[]> {
    const held = await Promise.all(
      SOURCE_PERMISSIONS.map(async name =>
        (await this.deps.authorizer.isAllowed(
          credentials,
          permissionByName.get(name)!,
          tenantId,
        ))
          ? name
          : undefined,
      ),
    );
    return held.filter((p): p is string => Boolean(p));
  }

  async retrieve(
    credentials: BackstageCredentials,
    tenantId: string,
    question: string,
    options: { limit: number; entityRef?: string },
  ): Promise<Retrieved[]> {
    const permissions = await this.readablePermissions(credentials, tenantId);
    if (!permissions.length) return [];
    return this.retrieveWith(tenantId, permissions, question, {
      ...options,
      credentials,
    });
  }

  /**
   * Retrieval for an asker already known to hold `permissions` in the tenant (their credentials
   * decide whether the question may be sent to an embedding model).
   */
  async retrieveWith(
    tenantId: string,
    permissions: readonly string[],
    question: string,
    options: {
      limit: number;
      entityRef?: string;
      credentials?: BackstageCredentials;
    },
  ): Promise<Retrieved[]> {
    const { store, vectors } = this.deps;
    const terms = searchTerms(question);
    const lists: Array<{ weight: number; hits: RankedDocument[] }> = [
      {
        weight: 1,
        hits: await store.searchText(tenantId, permissions, terms, CANDIDATES),
      },
    ];
    const vector =
      vectors && terms.length && store.vectors !== 'off'
        ? await vectors.forQuestion(options.credentials, tenantId, question)
        : undefined;
    if (vector) {
      lists.push({
        weight: 1,
        hits: await store.searchVector(
          tenantId,
          permissions,
          vector,
          CANDIDATES,
        ),
      });
    }
    if (options.entityRef) {
      lists.push({
        weight: 2,
        hits: await store.ofEntity(
          tenantId,
          permissions,
          options.entityRef,
          CANDIDATES,
        ),
      });
    }
    const fused = new Map<number, Retrieved>();
    for (const { weight, hits } of lists) {
      for (const hit of hits) {
        const add = weight / (RRF_K + hit.rank);
        const seen = fused.get(hit.id);
        if (seen) seen.score += add;
        else fused.set(hit.id, { ...hit, score: add, snippet: '' });
      }
    }
    return [...fused.values()]
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, options.limit)
      .map(hit => ({ ...hit, snippet: snippetOf(hit.body, terms) }));
  }
}

/** A retrieved item as an answer cites it. */
export function toSource(hit: Retrieved): ChatSource {
  return {
    kind: hit.kind,
    id: hit.sourceId,
    title: hit.title,
    url: hit.url,
    snippet: hit.snippet,
  };
}
