import { NotFoundError } from '@backstage/errors';
import {
  ChatMessage,
  Conversation,
  ConversationDetail,
} from '@infra-hub/plugin-infra-chat-common';
import {
  decodeCursor,
  encodeCursor,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { CHAT_MIGRATIONS } from './ChatIndexStore';

const CONVERSATIONS = 'infra_chat_conversations';
const MESSAGES = 'infra_chat_messages';

function toConversation(row: any): Conversation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    title: row.title,
    ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function toMessage(row: any): ChatMessage {
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    sources: JSON.parse(row.sources),
    tables: JSON.parse(row.tables),
    machineWritten: row.role === 'assistant',
    ...(row.mode ? { mode: row.mode } : {}),
    ...(row.model ? { model: row.model } : {}),
    createdAt: toIso(row.created_at),
  };
}

/** A question and its answer, stored together or not at all. */
export type Exchange = {
  question: string;
  answer: Omit<ChatMessage, 'id' | 'createdAt' | 'role' | 'machineWritten'>;
};

/** People's conversations: each readable, continued and deleted by its owner only. */
export class ConversationStore {
  static async create(options: StoreOptions): Promise<ConversationStore> {
    return new ConversationStore(
      await migratedClient({ ...options, ...CHAT_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  /** The owner's conversations, most recently updated first. */
  async list(
    tenantId: string,
    owner: string,
    options: { limit: number; after?: string },
  ): Promise<{ items: Conversation[]; nextAfter?: string }> {
    let query = TenantScope.of(this.knex, tenantId)
      .table(CONVERSATIONS)
      .where({ owner });
    if (options.after) {
      const [at, id] = decodeCursor(options.after, ['number', 'string']);
      const date = new Date(at);
      query = query.where(q =>
        q
          .where('updated_at', '<', date)
          .orWhere(q2 => q2.where('updated_at', date).andWhere('id', '>', id)),
      );
    }
    const rows = await query
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit + 1)
      .select();
    const items = rows.slice(0, options.limit).map(toConversation);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > options.limit && last
        ? { nextAfter: encodeCursor(Date.parse(last.updatedAt), last.id) }
        : {}),
    };
  }

  /** The owner's conversation; NotFoundError for anyone else's (it is not theirs to know of). */
  async get(
    tenantId: string,
    owner: string,
    id: string,
  ): Promise<ConversationDetail> {
    const scope = TenantScope.of(this.knex, tenantId);
    const row = await scope.table(CONVERSATIONS).where({ id, owner }).first();
    if (!row) throw new NotFoundError(`No conversation '${id}'`);
    const messages = await scope
      .table(MESSAGES)
      .where({ conversation_id: id })
      .orderBy('seq')
      .select();
    return { ...toConversation(row), messages: messages.map(toMessage) };
  }

  /**
   * Stores a question and its answer at the end of the conversation, creating the conversation
   * when `conversationId` is absent, in one transaction; returns the conversation and the answer.
   */
  async append(
    tenantId: string,
    owner: string,
    conversation: { id?: string; title: string; entityRef?: string },
    exchange: Exchange,
  ): Promise<{ conversation: Conversation; message: ChatMessage }> {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      const now = new Date();
      let id = conversation.id;
      let seq = 0;
      if (id) {
        const row = await scope
          .table(CONVERSATIONS)
          .where({ id, owner })
          .forUpdate()
          .first();
        if (!row) throw new NotFoundError(`No conversation '${id}'`);
        const last = await scope
          .table(MESSAGES)
          .where({ conversation_id: id })
          .max({ seq: 'seq' })
          .first();
        seq = Number(last?.seq ?? -1) + 1;
        await scope
          .table(CONVERSATIONS)
          .where({ id })
          .update({ updated_at: now });
      } else {
        id = crypto.randomUUID();
        await scope.insert(CONVERSATIONS, {
          id,
          owner,
          title: conversation.title,
          entity_ref: conversation.entityRef ?? null,
          created_at: now,
          updated_at: now,
        });
      }
      const question = {
        conversation_id: id,
        seq,
        id: crypto.randomUUID(),
        role: 'user',
        content: exchange.question,
        sources: '[]',
        tables: '[]',
        mode: null,
        model: null,
        created_at: now,
      };
      const answer = {
        conversation_id: id,
        seq: seq + 1,
        id: crypto.randomUUID(),
        role: 'assistant',
        content: exchange.answer.content,
        sources: JSON.stringify(exchange.answer.sources),
        tables: JSON.stringify(exchange.answer.tables),
        mode: exchange.answer.mode ?? null,
        model: exchange.answer.model ?? null,
        created_at: now,
      };
      await scope.insert(MESSAGES, [question, answer]);
      const row = await scope.table(CONVERSATIONS).where({ id }).first();
      return {
        conversation: toConversation(row),
        message: toMessage({ ...answer, tenant_id: tenantId }),
      };
    });
  }

  /** Deletes the owner's conversation and its messages; NotFoundError for anyone else's. */
  async delete(tenantId: string, owner: string, id: string): Promise<void> {
    await this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      const deleted = await scope
        .table(CONVERSATIONS)
        .where({ id, owner })
        .delete();
      if (!deleted) throw new NotFoundError(`No conversation '${id}'`);
      await scope.table(MESSAGES).where({ conversation_id: id }).delete();
    });
  }

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      return {
        chatMessages: await scope.table(MESSAGES).delete(),
        chatConversations: await scope.table(CONVERSATIONS).delete(),
      };
    });
  }
}
