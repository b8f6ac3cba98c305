import {
  Content,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ChatMessage,
  ChatSource,
  ChatTable,
  MAX_QUESTION_CHARS,
} from '@infra-hub/plugin-infra-chat-common';
import { TenantPicker } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { infraChatApiRef } from '../api';
import { DataTable } from './DataTable';
import { Governance } from './Governance';

const KIND_LABELS: Record<ChatSource['kind'], string> = {
  entity: 'catalog',
  module: 'module',
  asset: 'asset',
  'attack-path': 'attack path',
  drift: 'drift',
  'change-request': 'change request',
  finding: 'finding',
};

/** What the page was opened with: `?tenant=&entity=&q=` ("Ask about this" links). */
function linkParams() {
  const params = new URLSearchParams(
    typeof window === 'undefined' ? '' : window.location.search,
  );
  return {
    tenant: params.get('tenant') ?? undefined,
    entity: params.get('entity') ?? undefined,
    question: params.get('q') ?? undefined,
  };
}

function ToolTable({ table }: { table: ChatTable }) {
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">{table.title}</Typography>
      <DataTable
        label={table.title}
        columns={table.columns}
        rows={table.rows}
        empty="Nothing to show."
      />
    </Box>
  );
}

function Sources({ sources }: { sources: ChatSource[] }) {
  if (!sources.length) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Sources</Typography>
      <ol style={{ marginTop: 4, paddingLeft: 24 }}>
        {sources.map(s => (
          <li key={`${s.kind}:${s.id}`}>
            <Chip size="small" label={KIND_LABELS[s.kind]} />{' '}
            <Link to={s.url}>{s.title}</Link>
          </li>
        ))}
      </ol>
    </Box>
  );
}

/** One answer: its text, its tables, its cited sources, marked machine-written. */
export function Answer(props: {
  message: Pick<
    ChatMessage,
    'content' | 'sources' | 'tables' | 'mode' | 'model'
  >;
  writing?: boolean;
}) {
  const { message } = props;
  return (
    <Paper variant="outlined" style={{ padding: 16 }}>
      <Box mb={1}>
        <Chip
          size="small"
          color="secondary"
          label={
            message.mode === 'model'
              ? `Machine-written by ${message.model}`
              : 'Machine-written: passages found'
          }
        />
        {props.writing && (
          <Typography variant="caption" style={{ marginLeft: 8 }}>
            writing…
          </Typography>
        )}
      </Box>
      {message.content.split('\n\n').map((p, i) => (
        <Typography key={i} variant="body2" paragraph>
          {p}
        </Typography>
      ))}
      {message.tables.map(t => (
        <ToolTable key={t.title} table={t} />
      ))}
      <Sources sources={message.sources} />
    </Paper>
  );
}

type Draft = Pick<
  ChatMessage,
  'content' | 'sources' | 'tables' | 'mode' | 'model'
>;

/** The chat of one tenant: the person's conversations, one conversation, the question box. */
export function ChatWorkspace(props: {
  tenantId: string;
  entityRef?: string;
  initialQuestion?: string;
}) {
  const { tenantId } = props;
  const api = useApi(infraChatApiRef);
  const [selected, setSelected] = useState<string>();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [pending, setPending] = useState<{ question: string; draft: Draft }>();
  const [error, setError] = useState<Error>();
  const [question, setQuestion] = useState(props.initialQuestion ?? '');
  const [entityRef, setEntityRef] = useState(props.entityRef);
  const conversations = useAsyncRetry(
    () => api.listConversations(tenantId),
    [api, tenantId],
  );
  const status = useAsync(() => api.status(tenantId), [api, tenantId]);

  useEffect(() => {
    setSelected(undefined);
    setMessages([]);
    setError(undefined);
  }, [tenantId]);

  const open = async (id: string) => {
    setError(undefined);
    setSelected(id);
    try {
      const detail = await api.getConversation(tenantId, id);
      setMessages(detail.messages);
      setEntityRef(detail.entityRef);
    } catch (e) {
      setError(e as Error);
    }
  };

  const ask = async (e?: FormEvent) => {
    e?.preventDefault();
    const text = question.trim();
    if (!text || pending) return;
    setError(undefined);
    let draft: Draft = {
      content: '',
      sources: [],
      tables: [],
      mode: 'extractive',
    };
    setPending({ question: text, draft });
    try {
      const stored = await api.ask(
        { tenantId, question: text, conversationId: selected, entityRef },
        event => {
          if (event.type === 'sources')
            draft = { ...draft, sources: event.sources };
          if (event.type === 'table')
            draft = { ...draft, tables: [...draft.tables, event.table] };
          if (event.type === 'delta')
            draft = { ...draft, content: draft.content + event.text };
          setPending({ question: text, draft });
        },
      );
      const now = new Date().toISOString();
      setMessages(m => [
        ...m,
        {
          id: `${stored.message.id}-q`,
          role: 'user',
          content: text,
          sources: [],
          tables: [],
          machineWritten: false,
          createdAt: now,
        },
        stored.message,
      ]);
      setSelected(stored.conversation.id);
      setQuestion('');
      conversations.retry();
    } catch (err) {
      // Nothing was stored: the question stays in the box to try again.
      setError(err as Error);
    } finally {
      setPending(undefined);
    }
  };

  const remove = async (id: string) => {
    setError(undefined);
    try {
      await api.deleteConversation(tenantId, id);
      if (selected === id) {
        setSelected(undefined);
        setMessages([]);
      }
      conversations.retry();
    } catch (e) {
      setError(e as Error);
    }
  };

  const documents = Object.values(status.value?.documents ?? {}).reduce(
    (a, b) => a + (b ?? 0),
    0,
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={3}>
        <Button
          variant="outlined"
          color="primary"
          fullWidth
          onClick={() => {
            setSelected(undefined);
            setMessages([]);
            setEntityRef(props.entityRef);
            setError(undefined);
          }}
        >
          New conversation
        </Button>
        {conversations.loading && <Progress />}
        {conversations.error && (
          <ResponseErrorPanel error={conversations.error} />
        )}
        {conversations.value && conversations.value.items.length === 0 && (
          <Box mt={2}>
            <Typography variant="body2" color="textSecondary">
              No conversations yet.
            </Typography>
          </Box>
        )}
        <List dense aria-label="Conversations">
          {conversations.value?.items.map(c => (
            <ListItem
              key={c.id}
              button
              selected={c.id === selected}
              onClick={() => open(c.id)}
            >
              <ListItemText
                primary={c.title}
                secondary={new Date(c.updatedAt).toLocaleString()}
              />
              <ListItemSecondaryAction>
                <IconButton
                  edge="end"
                  aria-label={`Delete conversation ${c.title}`}
                  onClick={() => remove(c.id)}
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
      </Grid>
      <Grid item xs={12} md={9}>
        {status.value && (
          <Box mb={2}>
            <Typography variant="body2" color="textSecondary">
              {documents} items indexed
              {status.value.indexedAt
                ? `, last ${new Date(status.value.indexedAt).toLocaleString()}`
                : ''}
              ; search: {status.value.fullText}
              {status.value.vectors !== 'off'
                ? ` + vectors (${status.value.vectors})`
                : ''}
              ;{' '}
              {status.value.model
                ? `model ${status.value.model}`
                : 'no model configured: answers are the passages found and the tables of the suite'}
              .
            </Typography>
          </Box>
        )}
        {entityRef && (
          <Box mb={2}>
            <Chip
              label={`About ${entityRef}`}
              onDelete={() => setEntityRef(undefined)}
            />
          </Box>
        )}
        {messages.length === 0 && !pending && (
          <EmptyState
            missing="content"
            title="Ask about your infrastructure"
            description="For example: which modules drifted and who approved the last change to them? What is exposed to the internet? Which findings are open for PCI DSS? Answers cite their sources and come only from what you may read."
          />
        )}
        {messages.map(m =>
          m.role === 'user' ? (
            <Box key={m.id} mt={2} mb={1}>
              <Typography variant="subtitle1">
                <strong>You:</strong> {m.content}
              </Typography>
            </Box>
          ) : (
            <Answer key={m.id} message={m} />
          ),
        )}
        {pending && (
          <>
            <Box mt={2} mb={1}>
              <Typography variant="subtitle1">
                <strong>You:</strong> {pending.question}
              </Typography>
            </Box>
            <Answer message={pending.draft} writing />
          </>
        )}
        {error && (
          <Box mt={2}>
            <Alert severity="error">{error.message}</Alert>
          </Box>
        )}
        <Box mt={3} component="form" onSubmit={ask}>
          <TextField
            id="chat-question"
            label="Your question"
            fullWidth
            multiline
            minRows={2}
            variant="outlined"
            value={question}
            onChange={e => setQuestion(e.target.value)}
            onKeyDown={e => {
              if (e.key === 'Enter' && !e.shiftKey) ask();
            }}
            inputProps={{ maxLength: MAX_QUESTION_CHARS }}
            helperText={`${question.length}/${MAX_QUESTION_CHARS}; Enter asks, Shift+Enter adds a line`}
          />
          <Box mt={1}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={!question.trim() || Boolean(pending)}
            >
              Ask
            </Button>
          </Box>
        </Box>
      </Grid>
    </Grid>
  );
}

/**
 * The chat with its tenant picker, and the tenant's AI governance; a link's `?tenant=&entity=&q=`
 * opens the chat about an entity.
 */
export function ChatContent() {
  const [link] = useState(linkParams);
  const [tab, setTab] = useState<'chat' | 'governance'>('chat');
  return (
    <TenantPicker id="chat-tenant" initial={link.tenant}>
      {tenantId => (
        <>
          <Tabs
            value={tab}
            onChange={(_e, v) => setTab(v)}
            indicatorColor="primary"
          >
            <Tab value="chat" label="Chat" />
            <Tab value="governance" label="Governance" />
          </Tabs>
          <Box mt={2}>
            {tab === 'chat' ? (
              <ChatWorkspace
                key={tenantId}
                tenantId={tenantId}
                entityRef={tenantId === link.tenant ? link.entity : undefined}
                initialQuestion={
                  tenantId === link.tenant ? link.question : undefined
                }
              />
            ) : (
              <Governance key={tenantId} tenantId={tenantId} />
            )}
          </Box>
        </>
      )}
    </TenantPicker>
  );
}

/** @public */
export const ChatPage = () => (
  <Page themeId="tool">
    <Header
      title="Infra chat"
      subtitle="Questions about your infrastructure, answered with their sources, from what you may read"
    />
    <Content>
      <ChatContent />
    </Content>
  </Page>
);
