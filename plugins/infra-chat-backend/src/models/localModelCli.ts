/*
 * Serves the local model (OpenAI's chat completions with tool calls and streaming, and
 * embeddings) on loopback, for trying the chat's model path without a model:
 *
 *   yarn chat:local-model [--port 7080]
 *
 * then start the portal pointed at it (see the plugin's README). It narrates the sources it is
 * given and calls the tools a question names; it knows nothing else.
 */
import { startLocalModelServer } from './localModelServer';

const at = process.argv.indexOf('--port');
const port = at > 0 ? Number(process.argv[at + 1]) : 7080;

startLocalModelServer({ port }).then(server => {
  process.stdout.write(
    `The local model answers at ${server.url}; start the portal with\n` +
      `  APP_CONFIG_infra_chat_model_baseUrl=${server.url} APP_CONFIG_infra_chat_model_chatModel=local-model npm start\n`,
  );
});
