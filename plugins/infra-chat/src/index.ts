/**
 * Infra Hub chat page: questions about a tenant answered with cited sources from what the asker
 * may read, conversation history, and "Ask about this" on entity pages. The default export serves
 * Backstage's current frontend system; `legacyInfraChatPlugin`, `InfraChatPage` and
 * `AskAboutEntityCard` serve the legacy one.
 *
 * @packageDocumentation
 */
export {
  infraChatPlugin as default,
  infraChatPlugin,
  infraChatApi,
  infraChatPage,
  infraChatEntityCard,
  isInfraChatAvailable,
  legacyInfraChatPlugin,
  InfraChatPage,
} from './plugin';
export { AskAboutEntityCard } from './components/AskAboutEntityCard';
export * from './api';
