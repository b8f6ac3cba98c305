import { createInfraTestDatabases } from '@infra-hub/test-utils';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from './ConversationStore';

const databases = createInfraTestDatabases();

const answer = (content: string) => ({
  content,
  sources: [
    {
      kind: 'drift' as const,
      id: 'm',
      title: 'Drift of m',
      url: '/x',
      snippet: 's',
    },
  ],
  tables: [],
  mode: 'extractive' as const,
});

describe.each(databases.eachSupportedId())('ConversationStore on %s', id => {
  it('appends exchanges in order, pages per owner, hides others, deletes, purges', async () => {
    const knex = await databases.init(id);
    const store = await ConversationStore.create({
      database: { getClient: async () => knex } as any,
    });
    const first = await store.append(
      'cartwheel',
      'user:default/a',
      { title: 'Q1' },
      {
        question: 'Q1',
        answer: answer('A1'),
      },
    );
    expect(first.message).toMatchObject({
      role: 'assistant',
      content: 'A1',
      machineWritten: true,
    });
    await store.append(
      'cartwheel',
      'user:default/a',
      { id: first.conversation.id, title: 'x' },
      {
        question: 'Q2',
        answer: answer('A2'),
      },
    );
    const detail = await store.get(
      'cartwheel',
      'user:default/a',
      first.conversation.id,
    );
    expect(detail.title).toBe('Q1');
    expect(detail.messages.map(m => m.content)).toEqual([
      'Q1',
      'A1',
      'Q2',
      'A2',
    ]);
    expect(detail.messages[1].sources[0].kind).toBe('drift');

    // Another person, another tenant: not found, nothing appended.
    await expect(
      store.get('cartwheel', 'user:default/b', first.conversation.id),
    ).rejects.toThrow(/No conversation/);
    await expect(
      store.get('harbor-bank', 'user:default/a', first.conversation.id),
    ).rejects.toThrow(/No conversation/);
    await expect(
      store.append(
        'cartwheel',
        'user:default/b',
        { id: first.conversation.id, title: 'x' },
        {
          question: 'Q3',
          answer: answer('A3'),
        },
      ),
    ).rejects.toThrow(/No conversation/);
    expect(
      (await store.get('cartwheel', 'user:default/a', first.conversation.id))
        .messages,
    ).toHaveLength(4);

    for (let i = 0; i < 3; i++) {
      await store.append(
        'cartwheel',
        'user:default/a',
        { title: `more ${i}` },
        {
          question: `more ${i}`,
          answer: answer('x'),
        },
      );
    }
    const page1 = await store.list('cartwheel', 'user:default/a', { limit: 3 });
    expect(page1.items).toHaveLength(3);
    const page2 = await store.list('cartwheel', 'user:default/a', {
      limit: 3,
      after: page1.nextAfter,
    });
    expect(page2.nextAfter).toBeUndefined();
    expect([...page1.items, ...page2.items].map(c => c.id).sort()).toHaveLength(
      4,
    );
    expect(
      (await store.list('cartwheel', 'user:default/b', { limit: 10 })).items,
    ).toEqual([]);

    await expect(
      store.delete('cartwheel', 'user:default/b', first.conversation.id),
    ).rejects.toThrow(/No conversation/);
    await store.delete('cartwheel', 'user:default/a', first.conversation.id);
    await expect(
      store.get('cartwheel', 'user:default/a', first.conversation.id),
    ).rejects.toThrow(/No conversation/);

    expect(await store.purgeTenant('cartwheel')).toEqual({
      chatMessages: 6,
      chatConversations: 3,
    });
  });
});
