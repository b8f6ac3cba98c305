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
  /** The embedding model for similarity search; absent, the deterministic local embedder. */
  embedding?: {
    model: string;
    /** The size of its vectors. */
    dimensions: number;
    /** Ask the server for vectors of `dimensions` (OpenAI's `dimensions` parameter). */
    shorten: boolean;
  };
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
          // The deployment is each request's model: the chat's, or the embedding model's.
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

  private failure(
    error: unknown,
    api: 'chat completion' | 'embeddings' = 'chat completion',
  ): ServiceUnavailableError {
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
      why = `answered with something that is not ${
        api === 'embeddings' ? 'a list of embeddings' : 'a chat completion'
      }`;
    }
    return new ServiceUnavailableError(
      `The model server ${this.where()} ${why}; nothing was stored, ask again later`,
    );
  }

  /**
   * Vectors of `texts` from the embedding model (unit length, so a dot product is the cosine),
   * with the tokens it counted. Anything but one vector of the configured size per text is a
   * ServiceUnavailableError naming the server.
   */
  async embed(
    texts: string[],
  ): Promise<{ vectors: Float32Array[]; tokens: number }> {
    const embedding = this.settings.embedding;
    if (!embedding) throw new Error('No embedding model is configured');
    let response;
    try {
      response = await this.client.embeddings.create({
        model: embedding.model,
        input: texts,
        encoding_format: 'float',
        ...(embedding.shorten ? { dimensions: embedding.dimensions } : {}),
      });
    } catch (error) {
      throw this.failure(error, 'embeddings');
    }
    const data = Array.isArray(response?.data) ? response.data : [];
    const vectors: Float32Array[] = new Array(texts.length);
    for (const item of data) {
      const index = item?.index;
      const values = item?.embedding as unknown;
      if (
        !Number.isInteger(index) ||
        index < 0 ||
        index >= texts.length ||
        !Array.isArray(values)
      ) {
        continue;
      }
      if (values.length !== embedding.dimensions) {
        throw new ServiceUnavailableError(
          `The model server ${this.where()} returned vectors of ${
            values.length
          } dimensions from '${
            embedding.model
          }'; infra.chat.model.embeddingDimensions says ${
            embedding.dimensions
          }`,
        );
      }
      vectors[index] = unit(values);
    }
    for (let i = 0; i < texts.length; i++) {
      if (!vectors[i]) throw this.failure(new Error('missing'), 'embeddings');
    }
    return { vectors, tokens: Number(response.usage?.prompt_tokens) || 0 };
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

/** `values` scaled to unit length (a zero vector stays zero); non-numbers count as 0. */
function unit(values: unknown[]): Float32Array {
  const vector = new Float32Array(values.length);
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    vector[i] = Number.isFinite(v) ? v : 0;
    norm += vector[i] * vector[i];
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}
