import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  InfraSecurityApi,
  infraSecurityApiRef,
} from '@infra-hub/plugin-infra-security-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import {
  ChatMessage,
  Conversation,
  InfraChatApi,
  infraChatApiRef,
} from '../api';
import { AskAboutEntityCard } from './AskAboutEntityCard';
import { ChatPage } from './ChatPage';

const security = {
  listTenants: async () => [
    {
      id: 'cartwheel',
      title: 'Cartwheel Commerce',
      createdAt: '',
      createdBy: '',
    },
  ],
} as unknown as InfraSecurityApi;

const conversation: Conversation = {
  id: 'c1',
  tenantId: 'cartwheel',
  title: 'Which modules drifted?',
  createdAt: '2026-12-02T10:00:00Z',
  updatedAt: '2026-12-02T10:00:00Z',
};

const answer: ChatMessage = {
  id: 'm2',
  role: 'assistant',
  content:
    'Passages that answer the question, most relevant first:\n\n[1] Drift of module storefront-prod: 2 drifted, risk high: Module storefront-prod',
  sources: [
    {
      kind: 'drift',
      id: 'storefront-prod',
      title: 'Drift of module storefront-prod: 2 drifted, risk high',
      url: '/infra-change?module=storefront-prod',
      snippet: 'Module storefront-prod',
    },
  ],
  tables: [
    {
      title: 'Drift by module',
      columns: ['Module', 'Drifted'],
      rows: [['storefront-prod', '2']],
    },
  ],
  machineWritten: true,
  mode: 'extractive',
  createdAt: '2026-12-02T10:00:01Z',
};

function chatApi(overrides: Partial<InfraChatApi> = {}): InfraChatApi {
  let listed: Conversation[] = [];
  return {
    status: vi.fn(async () => ({
      tenantId: 'cartwheel',
      documents: { drift: 1, asset: 30 },
      fullText: 'fts5' as const,
      vectors: 'in-process' as const,
    })),
    listConversations: vi.fn(async () => ({ items: listed })),
    getConversation: vi.fn(async () => ({
      ...conversation,
      messages: [
        {
          ...answer,
          id: 'm1',
          role: 'user' as const,
          content: 'Which modules drifted?',
          sources: [],
          tables: [],
          machineWritten: false,
        },
        answer,
      ],
    })),
    deleteConversation: vi.fn(async () => {
      listed = [];
    }),
    ask: vi.fn(async (_q, onEvent) => {
      onEvent({ type: 'sources', sources: answer.sources });
      onEvent({ type: 'table', table: answer.tables[0] });
      onEvent({ type: 'delta', text: answer.content });
      listed = [conversation];
      return { conversation, message: answer };
    }),
    usageSummary: vi.fn(async () => [
      {
        month: '2026-12',
        team: 'default',
        calls: 3,
        refused: 1,
        errors: 0,
        tokensIn: 1200,
        tokensOut: 300,
        cost: 0.0042,
      },
    ]),
    usage: vi.fn(async () => ({
      items: [
        {
          id: '2',
          at: '2026-12-02T10:00:00Z',
          actor: 'user:default/maria.garcia',
          team: 'default',
          feature: 'chat' as const,
          model: 'gpt-4o-mini',
          tokensIn: 0,
          tokensOut: 0,
          cost: 0,
          latencyMs: 0,
          outcome: 'refused' as const,
          detail: "the AI policy of default does not allow the feature 'chat'",
        },
      ],
    })),
    policies: vi.fn(async () => [
      {
        team: 'default',
        features: ['plan-summary' as const],
        models: [],
        dataClasses: ['catalog' as const],
        updatedBy: 'user:default/priya.shah',
        updatedAt: '2026-12-02T09:00:00Z',
      },
    ]),
    setPolicy: vi.fn(async (_t, team, p) => ({
      team,
      ...p,
      monthlyTokenBudget: p.monthlyTokenBudget ?? undefined,
      updatedBy: 'me',
      updatedAt: '2026-12-02T10:00:00Z',
    })),
    deletePolicy: vi.fn(async () => undefined),
    ...overrides,
  };
}

function render(api: InfraChatApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [infraSecurityApiRef, security],
        [infraChatApiRef, api],
      ]}
    >
      <ChatPage />
    </TestApiProvider>,
  );
}

describe('ChatPage', () => {
  it('asks, streams a cited answer with its tables, and lists the conversation', async () => {
    const api = chatApi();
    await render(api);
    expect(
      await screen.findByText('Ask about your infrastructure'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/31 items indexed/)).toBeInTheDocument();
    expect(screen.getByText(/no model configured/)).toBeInTheDocument();
    expect(screen.getByText('No conversations yet.')).toBeInTheDocument();

    const ask = screen.getByRole('button', { name: 'Ask' });
    expect(ask).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Your question'), {
      target: { value: 'Which modules drifted?' },
    });
    fireEvent.click(ask);

    // Once stored, the conversation is listed and the box is cleared for the next question.
    expect(
      await screen.findByRole('button', {
        name: /Delete conversation Which modules drifted/,
      }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByLabelText('Your question')).toHaveValue(''),
    );
    expect(
      screen.getByText('Machine-written: passages found'),
    ).toBeInTheDocument();
    expect(api.ask).toHaveBeenCalledWith(
      {
        tenantId: 'cartwheel',
        question: 'Which modules drifted?',
        conversationId: undefined,
        entityRef: undefined,
      },
      expect.any(Function),
    );
    const link = screen.getByRole('link', {
      name: 'Drift of module storefront-prod: 2 drifted, risk high',
    });
    expect(link).toHaveAttribute(
      'href',
      '/infra-change?module=storefront-prod',
    );
    expect(
      screen.getByRole('table', { name: 'Drift by module' }),
    ).toHaveTextContent('storefront-prod');
    // A follow-up goes to the same conversation.
    fireEvent.change(screen.getByLabelText('Your question'), {
      target: { value: 'And exposure?' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
    await waitFor(() =>
      expect(api.ask).toHaveBeenLastCalledWith(
        expect.objectContaining({
          conversationId: 'c1',
          question: 'And exposure?',
        }),
        expect.any(Function),
      ),
    );
  });

  it('shows a refused question and keeps it to try again', async () => {
    const api = chatApi({
      ask: vi.fn(async () => {
        throw new Error("Not allowed to infra.chat.ask in tenant 'cartwheel'");
      }),
    });
    await render(api);
    fireEvent.change(await screen.findByLabelText('Your question'), {
      target: { value: 'What is exposed?' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
    expect(
      await screen.findByText(/Not allowed to infra.chat.ask/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Your question')).toHaveValue(
      'What is exposed?',
    );
  });

  it('opens and deletes a conversation', async () => {
    const api = chatApi({
      listConversations: vi.fn(async () => ({ items: [conversation] })),
    });
    await render(api);
    fireEvent.click(await screen.findByText('Which modules drifted?'));
    expect(await screen.findByText(/You:/)).toBeInTheDocument();
    expect(
      await screen.findByText('Machine-written: passages found'),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: /Delete conversation/ }),
    );
    await waitFor(() =>
      expect(api.deleteConversation).toHaveBeenCalledWith('cartwheel', 'c1'),
    );
    expect(
      await screen.findByText('Ask about your infrastructure'),
    ).toBeInTheDocument();
  });
});

describe('Governance', () => {
  it('shows usage per team and month, the log with its refusals, and edits a policy', async () => {
    const api = chatApi();
    await render(api);
    fireEvent.click(await screen.findByRole('tab', { name: 'Governance' }));
    expect(
      await screen.findByRole('table', { name: 'Usage per team and month' }),
    ).toHaveTextContent('2026-12default3101200300');
    expect(screen.getByRole('table', { name: 'Usage log' })).toHaveTextContent(
      "refused: the AI policy of default does not allow the feature 'chat'",
    );
    expect(
      screen.getByRole('table', { name: 'AI policies' }),
    ).toHaveTextContent('plan-summary');
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(screen.getByLabelText('chat'));
    fireEvent.change(
      screen.getByLabelText('Monthly token budget (empty: none)'),
      {
        target: { value: '50000' },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Save policy' }));
    await waitFor(() =>
      expect(api.setPolicy).toHaveBeenCalledWith('cartwheel', 'default', {
        features: ['plan-summary', 'chat'],
        dataClasses: ['catalog'],
        models: [],
        monthlyTokenBudget: 50000,
      }),
    );
  });

  it('tells people who are not the tenant admins that the page is theirs', async () => {
    const forbidden = Object.assign(new Error('Not allowed'), {
      response: { status: 403 },
    });
    const api = chatApi({
      usageSummary: vi.fn(async () => {
        throw forbidden;
      }),
    });
    await render(api);
    fireEvent.click(await screen.findByRole('tab', { name: 'Governance' }));
    expect(
      await screen.findByText(
        "Only the tenant's admins see AI usage and policies",
      ),
    ).toBeInTheDocument();
  });
});

describe('AskAboutEntityCard', () => {
  it('links to the chat about the entity, in its tenant', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'storefront-prod',
            annotations: { 'infra-hub.io/tenant': 'cartwheel' },
          },
          spec: {},
        }}
      >
        <AskAboutEntityCard />
      </EntityProvider>,
    );
    const link = screen.getByRole('link', { name: 'Ask about this' });
    const url = new URL(link.getAttribute('href')!, 'http://x');
    expect(url.pathname).toBe('/infra-chat');
    expect(url.searchParams.get('tenant')).toBe('cartwheel');
    expect(url.searchParams.get('entity')).toBe(
      'component:default/storefront-prod',
    );
    expect(url.searchParams.get('q')).toMatch(/storefront-prod/);
  });
});
