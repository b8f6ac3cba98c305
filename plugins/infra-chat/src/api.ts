import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import {
  AiPolicy,
  AiPolicyInput,
  AiUsageRecord,
  AiUsageSummary,
  ChatIndexStatus,
  ChatMessage,
  ChatSource,
  ChatStreamEvent,
  Conversation,
  ConversationDetail,
} from '@infra-hub/plugin-infra-chat-common';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';

export type {
  AiPolicy,
  AiPolicyInput,
  AiUsageRecord,
  AiUsageSummary,
  ChatIndexStatus,
  ChatMessage,
  ChatSource,
  ChatStreamEvent,
  Conversation,
  ConversationDetail,
};

/** A question and where it goes. @public */
export type ChatAsk = {
  tenantId: string;
  question: string;
  /** Continue this conversation; absent, a new one starts. */
  conversationId?: string;
  /** Ask about this catalog entity. */
  entityRef?: string;
};

/** The Infra Hub chat API (`/api/infra-chat`). @public */
export interface InfraChatApi {
  status(tenantId: string): Promise<ChatIndexStatus>;
  listConversations(
    tenantId: string,
    after?: string,
  ): Promise<{ items: Conversation[]; nextAfter?: string }>;
  getConversation(tenantId: string, id: string): Promise<ConversationDetail>;
  deleteConversation(tenantId: string, id: string): Promise<void>;
  /**
   * Asks, streaming the answer to `onEvent` as it is written; resolves with the stored answer,
   * rejects with the server's message when it is refused or fails.
   */
  ask(
    question: ChatAsk,
    onEvent: (event: ChatStreamEvent) => void,
  ): Promise<{ conversation: Conversation; message: ChatMessage }>;
  /** The usage log, newest first (tenant admins). */
  usage(
    tenantId: string,
    after?: string,
  ): Promise<{ items: AiUsageRecord[]; nextAfter?: string }>;
  /** Usage per team and month, twelve months (tenant admins). */
  usageSummary(tenantId: string): Promise<AiUsageSummary[]>;
  policies(tenantId: string): Promise<AiPolicy[]>;
  setPolicy(
    tenantId: string,
    team: string,
    policy: AiPolicyInput,
  ): Promise<AiPolicy>;
  deletePolicy(tenantId: string, team: string): Promise<void>;
}

/** @public */
export const infraChatApiRef = createApiRef<InfraChatApi>({
  id: 'plugin.infra-chat.api',
});

/** The chat API over the backend's REST API. @public */
export class InfraChatClient implements InfraChatApi {
  private readonly requests: InfraBackendRequests;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-chat', deps);
  }

  private tenant(tenantId: string) {
    return `/tenants/${encodeURIComponent(tenantId)}`;
  }

  status(tenantId: string) {
    return this.requests.json<ChatIndexStatus>(
      `${this.tenant(tenantId)}/status`,
    );
  }

  listConversations(tenantId: string, after?: string) {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    return this.requests.json<{ items: Conversation[]; nextAfter?: string }>(
      `${this.tenant(tenantId)}/conversations${query}`,
    );
  }

  getConversation(tenantId: string, id: string) {
    return this.requests.json<ConversationDetail>(
      `${this.tenant(tenantId)}/conversations/${encodeURIComponent(id)}`,
    );
  }

  async deleteConversation(tenantId: string, id: string) {
    await this.requests.json(
      `${this.tenant(tenantId)}/conversations/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
    );
  }

  usage(tenantId: string, after?: string) {
    const query = after ? `?after=${encodeURIComponent(after)}` : '';
    return this.requests.json<{ items: AiUsageRecord[]; nextAfter?: string }>(
      `${this.tenant(tenantId)}/ai/usage${query}`,
    );
  }

  async usageSummary(tenantId: string) {
    return (
      await this.requests.json<{ items: AiUsageSummary[] }>(
        `${this.tenant(tenantId)}/ai/usage/summary`,
      )
    ).items;
  }

  async policies(tenantId: string) {
    return (
      await this.requests.json<{ items: AiPolicy[] }>(
        `${this.tenant(tenantId)}/ai/policies`,
      )
    ).items;
  }

  setPolicy(tenantId: string, team: string, policy: AiPolicyInput) {
    return this.requests.json<AiPolicy>(
      `${this.tenant(tenantId)}/ai/policies/${encodeURIComponent(team)}`,
      { method: 'PUT', body: policy },
    );
  }

  async deletePolicy(tenantId: string, team: string) {
    await this.requests.json(
      `${this.tenant(tenantId)}/ai/policies/${encodeURIComponent(team)}`,
      { method: 'DELETE' },
    );
  }

  async ask(ask: ChatAsk, onEvent: (event: ChatStreamEvent) => void) {
    const path = ask.conversationId
      ? `${this.tenant(ask.tenantId)}/conversations/${encodeURIComponent(
          ask.conversationId,
        )}/messages`
      : `${this.tenant(ask.tenantId)}/conversations`;
    const res = await this.requests.response(path, {
      method: 'POST',
      body: {
        question: ask.question,
        ...(ask.entityRef ? { entityRef: ask.entityRef } : {}),
      },
      headers: { Accept: 'application/x-ndjson' },
    });
    let conversation: Conversation | undefined;
    let message: ChatMessage | undefined;
    const handle = (line: string) => {
      if (!line.trim()) return;
      const event = JSON.parse(line) as ChatStreamEvent;
      if (event.type === 'error') throw new Error(event.message);
      if (event.type === 'conversation') conversation = event.conversation;
      if (event.type === 'done') message = event.message;
      onEvent(event);
    };
    if (res.body) {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(handle);
      }
      handle(buffered);
    } else {
      (await res.text()).split('\n').forEach(handle);
    }
    if (!conversation || !message) {
      throw new Error('The answer ended before it was complete');
    }
    return { conversation, message };
  }
}
