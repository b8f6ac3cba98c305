/**
 * A local server that speaks the OpenAI protocol (chat completions with tool calls and
 * streaming, embeddings), for trying the chat's model path and for tests of what uses it.
 *
 * @packageDocumentation
 */
export { startLocalModelServer } from './models/localModelServer';
export type {
  LocalModelMode,
  LocalModelRequest,
} from './models/localModelServer';
