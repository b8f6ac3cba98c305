import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ChatMessage,
  ChatQuestion,
  ChatSource,
  ChatStreamEvent,
  ChatTable,
  Conversation,
  MAX_QUESTION_CHARS,
} from '@infra-hub/plugin-infra-chat-common';
import { actorOf } from '@infra-hub/plugin-infra-security-node';
import { ConversationStore } from '../database/ConversationStore';
import { Retriever, toSource } from '../retrieval/Retriever';
import { ChatTools, ToolContext } from './ChatTools';

/** How many sources an answer cites. */
const SOURCES = 5;
/** The longest entity ref accepted with a question. */
const MAX_ENTITY_REF = 300;

/** A question checked and ready to answer. */
export type PreparedQuestion = {
  credentials: BackstageCredentials;
  tenantId: string;
  owner: string;
  question: string;
  entityRef?: string;
  conversation?: Conversation;
};

/** The tools a question calls when there is no model to choose: by the words it uses. */
const INTENTS: Array<{ words: RegExp; tool: string }> = [
  { words: /\bdrift/i, tool: 'list_drift' },
  {
    words: /\b(approv|change request|cab\b|sign(ed|ature))/i,
    tool: 'list_change_requests',
  },
  { words: /\b(expos|internet|public|attack)/i, tool: 'attack_paths' },
  { words: /\b(finding|complian|control|violat)/i, tool: 'list_findings' },
];

/** The checked form of a question body; InputError naming what is wrong otherwise. */
export function parseQuestion(body: unknown): ChatQuestion {
  const { question, entityRef } = (body ?? {}) as Record<string, unknown>;
  if (typeof question !== 'string' || !question.trim()) {
    throw new InputError("'question' must be a non-empty string");
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new InputError(
      `'question' is longer than ${MAX_QUESTION_CHARS} characters`,
    );
  }
  if (
    entityRef !== undefined &&
    (typeof entityRef !== 'string' ||
      !entityRef ||
      entityRef.length > MAX_ENTITY_REF)
  ) {
    throw new InputError(
      `'entityRef' must be an entity ref of at most ${MAX_ENTITY_REF} characters`,
    );
  }
  return { question: question.trim(), ...(entityRef ? { entityRef } : {}) };
}

/**
 * Answers questions about a tenant from what the asker may read: retrieves the passages, runs the
 * tools the question calls for with the asker's rights, writes the answer (extractive without a
 * model), and stores the question with its answer, both or neither.
 */
export class ChatService {
  constructor(
    private readonly deps: {
      retriever: Retriever;
      tools: ChatTools;
      conversations: ConversationStore;
    },
  ) {}

  /** Checks the question and the conversation before anything is answered or stored. */
  async prepare(
    credentials: BackstageCredentials,
    tenantId: string,
    body: unknown,
    conversationId?: string,
  ): Promise<PreparedQuestion> {
    const { question, entityRef } = parseQuestion(body);
    const owner = actorOf(credentials);
    const conversation = conversationId
      ? await this.deps.conversations.get(tenantId, owner, conversationId)
      : undefined;
    return {
      credentials,
      tenantId,
      owner,
      question,
      entityRef: entityRef ?? conversation?.entityRef,
      ...(conversation ? { conversation } : {}),
    };
  }

  /** Answers a prepared question, reporting progress to `emit`; returns what was stored. */
  async answer(
    prepared: PreparedQuestion,
    emit: (event: ChatStreamEvent) => void = () => undefined,
  ): Promise<{ conversation: Conversation; message: ChatMessage }> {
    const { credentials, tenantId, question, entityRef } = prepared;
    const hits = await this.deps.retriever.retrieve(
      credentials,
      tenantId,
      question,
      { limit: SOURCES, entityRef },
    );
    const sources = hits.map(toSource);
    emit({ type: 'sources', sources });

    const ctx: ToolContext = { credentials, tenantId };
    const tables: ChatTable[] = [];
    for (const intent of INTENTS) {
      if (!intent.words.test(question)) continue;
      const result = await this.deps.tools.run(ctx, intent.tool, {});
      tables.push(result.table);
      emit({ type: 'table', table: result.table });
    }

    const content = extractiveAnswer(sources, tables.length > 0);
    for (const paragraph of content.split('\n\n')) {
      emit({ type: 'delta', text: `${paragraph}\n\n` });
    }
    const stored = await this.deps.conversations.append(
      tenantId,
      prepared.owner,
      {
        id: prepared.conversation?.id,
        title: titleOf(question),
        entityRef,
      },
      {
        question,
        answer: { content, sources, tables, mode: 'extractive' },
      },
    );
    emit({ type: 'done', message: stored.message });
    return stored;
  }
}

function titleOf(question: string) {
  const line = question.split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The answer without a model: the passages found, numbered as the sources are. */
export function extractiveAnswer(sources: ChatSource[], withTables: boolean) {
  if (!sources.length) {
    return withTables
      ? 'No indexed passage matches the question; the tables below are what the suite holds on it.'
      : 'Nothing you may read in this tenant matches the question. Name a module, system, asset, control or change request, or ask about drift, approvals, exposure or findings.';
  }
  return [
    'Passages that answer the question, most relevant first:',
    ...sources.map(
      (s, i) =>
        `[${i + 1}] ${s.title}: ${s.snippet.replace(/\s*\n\s*/g, ' ').trim()}`,
    ),
  ].join('\n\n');
}
