import { ServiceUnavailableError } from '@backstage/errors';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AzureOpenAI,
} from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

export type { ChatCompletionMessageParam, ChatCompletionTool };

/** Where the chat's model is and how to pay for it (`infra.chat.model`). */
export type ModelSettings = {
  baseUrl: string;
  apiKey: string;
  chatModel: string;
  timeoutMs: number;
  /** Azure OpenAI: the API version (the base URL is the resource's endpoint). */
  azureApiVersion?: string;
  /** Price per million tokens by model, in the installation's currency. */
  prices: Record<string, { input: number; output: number }>;
};

/** One model round: the text written, the tools it asks for, and what it used. */
export type ModelTurn = {
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  usage: { input: number; output: number };
};

/**
 * The chat's model, reached with the `openai` SDK at any OpenAI-compatible server (OpenAI, Azure
 * OpenAI, Scaleway, vLLM, Ollama). No retries: a failure is reported to the asker as it is.
 */
export class ModelProvider {
  private readonly client: OpenAI;

  constructor(readonly settings: ModelSettings) {
    const common = {
      apiKey: settings.apiKey,
      timeout: settings.timeoutMs,
      maxRetries: 0,
    };
    this.client = settings.azureApiVersion
      ? new AzureOpenAI({
          ...common,
          endpoint: settings.baseUrl,
          apiVersion: settings.azureApiVersion,
          deployment: settings.chatModel,
        })
      : new OpenAI({ ...common, baseURL: settings.baseUrl });
  }

  get model() {
    return this.settings.chatModel;
  }

  /** The cost of a call by the price table (0 for a model without a price). */
  cost(model: string, usage: { input: number; output: number }) {
    const price = this.settings.prices[model];
    if (!price) return 0;
    return (usage.input * price.input + usage.output * price.output) / 1e6;
  }

  /** The server as people may read it in an error: its host, never its key. */
  private where() {
    try {
      return new URL(this.settings.baseUrl).host;
    } catch {
      return 'the configured model server';
    }
  }

  private failure(error: unknown): ServiceUnavailableError {
    let why: string;
    if (error instanceof APIConnectionTimeoutError) {
      why = `did not answer within ${Math.round(
        this.settings.timeoutMs / 1000,
      )} s`;
    } else if (error instanceof APIConnectionError) {
      why = 'could not be reached';
    } else if (error instanceof APIError && typeof error.status === 'number') {
      why = `answered ${error.status}`;
    } else {
      why = 'answered with something that is not a chat completion';
    }
    return new ServiceUnavailableError(
      `The model server ${this.where()} ${why}; nothing was stored, ask again later`,
    );
  }

  /**
   * One streamed round: `onText` receives the text as it is written; resolves with the whole
   * turn. Anything but a well-formed stream is a ServiceUnavailableError naming the server.
   */
  async turn(
    messages: ChatCompletionMessageParam[],
    tools: ChatCompletionTool[],
    onText: (text: string) => void,
  ): Promise<ModelTurn> {
    const turn: ModelTurn = {
      content: '',
      toolCalls: [],
      usage: { input: 0, output: 0 },
    };
    let chunks = 0;
    try {
      const stream = await this.client.chat.completions.create({
        model: this.settings.chatModel,
        messages,
        ...(tools.length ? { tools, tool_choice: 'auto' as const } : {}),
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      });
      const calls = new Map<
        number,
        { id: string; name: string; arguments: string }
      >();
      for await (const chunk of stream) {
        if (
          !chunk ||
          typeof chunk !== 'object' ||
          !Array.isArray(chunk.choices)
        ) {
          throw new Error('not a chat completion chunk');
        }
        chunks++;
        if (chunk.usage) {
          turn.usage = {
            input: chunk.usage.prompt_tokens ?? 0,
            output: chunk.usage.completion_tokens ?? 0,
          };
        }
        const delta = chunk.choices[0]?.delta;
        if (typeof delta?.content === 'string' && delta.content) {
          turn.content += delta.content;
          onText(delta.content);
        }
        for (const call of delta?.tool_calls ?? []) {
          const seen = calls.get(call.index) ?? {
            id: '',
            name: '',
            arguments: '',
          };
          if (call.id) seen.id = call.id;
          if (call.function?.name) seen.name += call.function.name;
          if (call.function?.arguments)
            seen.arguments += call.function.arguments;
          calls.set(call.index, seen);
        }
      }
      turn.toolCalls = [...calls.values()].filter(c => c.name);
    } catch (error) {
      throw this.failure(error);
    }
    if (chunks === 0) throw this.failure(new Error('empty'));
    return turn;
  }
}
