import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ChatSourceKind,
  SOURCE_DATA_CLASS,
} from '@infra-hub/plugin-infra-chat-common';
import { Embedder } from '../retrieval/embedder';
import { scrubText } from '../retrieval/text';
import { GovernanceService } from './GovernanceService';

/** What the index records as the actor of its own embedding calls. */
export const INDEXER_ACTOR = 'plugin:infra-chat (indexing)';

/**
 * Makes texts of an indexing pass into vectors; `undefined` when they may not be embedded now
 * (the budget is used up, the server failed): the items are then stored without a vector and
 * embedded on a later pass.
 */
export type IndexEmbed = (
  texts: string[],
) => Promise<Float32Array[] | undefined>;

/**
 * Vectors under AI governance. The local embedder sends nothing anywhere, so it is used freely.
 * An embedding model is a model call like any other: the tenant's items are embedded under the
 * tenant's `default` policy (the feature `embeddings`, its models, budget and data classes; a
 * kind whose data class it does not allow gets no vectors and is found by keywords), a question
 * under the asker's team policy (refused: the question is answered by keywords). Every call and
 * refusal is in the usage log.
 */
export class Vectors {
  constructor(
    private readonly deps: {
      embedder: Embedder;
      governance: GovernanceService;
      logger: LoggerService;
    },
  ) {}

  get embedderId() {
    return this.deps.embedder.id;
  }

  get dimensions() {
    return this.deps.embedder.dimensions;
  }

  /** What is said at start about the vectors. */
  describe(): string {
    const { model } = this.deps.embedder;
    return model
      ? `embedding model ${model.model} (${this.dimensions} dimensions)`
      : 'local embedder';
  }

  /**
   * How one indexing pass of `kind` embeds: a function that embeds (refusing once the pass met a
   * refusal or a failure), or `undefined` when the tenant's policy lets no item of the kind's
   * data class reach the embedding model (its stored vectors are then dropped).
   */
  async forIndexing(
    tenantId: string,
    kind: ChatSourceKind,
  ): Promise<IndexEmbed | undefined> {
    const { embedder, governance, logger } = this.deps;
    const model = embedder.model;
    if (!model) {
      return async texts => (await embedder.embed(texts)).vectors;
    }
    const policy = await governance.tenantPolicy(tenantId);
    if (
      policy &&
      (!policy.features.includes('embeddings') ||
        !policy.dataClasses.includes(SOURCE_DATA_CLASS[kind]) ||
        (policy.models.length && !policy.models.includes(model.model)))
    ) {
      return undefined;
    }
    let stopped = false;
    return async texts => {
      if (stopped) return undefined;
      const call = await governance.openForTenant(
        tenantId,
        INDEXER_ACTOR,
        'embeddings',
        model,
      );
      if (!call.decision.allowed) {
        stopped = true;
        return undefined;
      }
      try {
        const { vectors, tokens } = await embedder.embed(texts);
        call.usage.input += tokens;
        await call.finish('ok', `${texts.length} ${kind} items`);
        return vectors;
      } catch (error) {
        stopped = true;
        const message = (error as Error).message;
        await call.finish('error', message);
        logger.warn('could not embed items for the chat', {
          tenantId,
          kind,
          error: message,
        });
        return undefined;
      }
    };
  }

  /**
   * The question's vector, or `undefined` when the asker's policy refuses the embedding model
   * (logged) or it fails: the question is then searched by keywords only.
   */
  async forQuestion(
    credentials: BackstageCredentials | undefined,
    tenantId: string,
    question: string,
  ): Promise<Float32Array | undefined> {
    const { embedder, governance } = this.deps;
    const model = embedder.model;
    if (!model) return (await embedder.embed([question])).vectors[0];
    if (!credentials) return undefined;
    const call = await governance.open(
      credentials,
      tenantId,
      'embeddings',
      model,
    );
    if (!call.decision.allowed) return undefined;
    try {
      // Secrets in a question never reach a model.
      const { vectors, tokens } = await embedder.embed([scrubText(question)]);
      call.usage.input += tokens;
      await call.finish('ok', 'a question');
      return vectors[0];
    } catch (error) {
      await call.finish('error', (error as Error).message);
      return undefined;
    }
  }
}
