import { describe, expect, it } from 'vitest';
import { ChatStreamEvent, InfraChatClient } from './api';

function client(chunks: string[], status = 201) {
  const calls: Array<{ url: string; init: any }> = [];
  const encoder = new TextEncoder();
  const api = new InfraChatClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/infra-chat' },
    fetchApi: {
      fetch: async (url: any, init: any) => {
        calls.push({ url, init });
        const body = new ReadableStream({
          start(controller) {
            chunks.forEach(c => controller.enqueue(encoder.encode(c)));
            controller.close();
          },
        });
        return new Response(body, {
          status,
          headers: { 'Content-Type': 'application/x-ndjson' },
        });
      },
    },
  });
  return { api, calls };
}

const conversation = {
  id: 'c1',
  tenantId: 't',
  title: 'q',
  createdAt: '',
  updatedAt: '',
};
const message = {
  id: 'm',
  role: 'assistant',
  content: 'a',
  sources: [],
  tables: [],
  machineWritten: true,
  createdAt: '',
};

describe('InfraChatClient.ask', () => {
  it('reads JSON lines split anywhere across chunks, in order', async () => {
    const lines = [
      { type: 'sources', sources: [] },
      { type: 'delta', text: 'Hello ' },
      { type: 'delta', text: 'world' },
      { type: 'conversation', conversation },
      { type: 'done', message },
    ].map(e => `${JSON.stringify(e)}\n`);
    const text = lines.join('');
    const { api, calls } = client([
      text.slice(0, 7),
      text.slice(7, 50),
      text.slice(50),
    ]);
    const events: ChatStreamEvent[] = [];
    const result = await api.ask(
      { tenantId: 't', question: 'q?', conversationId: 'c1' },
      e => events.push(e),
    );
    expect(events.map(e => e.type)).toEqual([
      'sources',
      'delta',
      'delta',
      'conversation',
      'done',
    ]);
    expect(result).toEqual({ conversation, message });
    expect(calls[0].url).toBe(
      'http://backend/api/infra-chat/tenants/t/conversations/c1/messages',
    );
    expect(calls[0].init.headers.Accept).toBe('application/x-ndjson');
    expect(JSON.parse(calls[0].init.body)).toEqual({ question: 'q?' });
  });

  it('rejects with the message of an error event, or an answer cut short', async () => {
    const failed = client([
      `${JSON.stringify({ type: 'sources', sources: [] })}\n`,
      `${JSON.stringify({
        type: 'error',
        message: 'The model server is down',
        status: 503,
      })}\n`,
    ]);
    await expect(
      failed.api.ask({ tenantId: 't', question: 'q' }, () => undefined),
    ).rejects.toThrow('The model server is down');
    const cut = client([`${JSON.stringify({ type: 'delta', text: 'x' })}\n`]);
    await expect(
      cut.api.ask({ tenantId: 't', question: 'q' }, () => undefined),
    ).rejects.toThrow('ended before it was complete');
  });
});
