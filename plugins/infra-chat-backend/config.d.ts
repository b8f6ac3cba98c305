export interface Config {
  infra?: {
    /**
     * Infra Hub chat (plugin infra-chat): answers about a tenant from its catalog, modules,
     * assets, attack paths, drift, change requests and findings, each cited, each built only from
     * what the asker may read.
     */
    chat?: {
      /**
       * Every tenant is indexed again this often, in minutes (default 30), which also picks up
       * catalog edits. Discovery, compliance and change control announce their changes, and the
       * kinds they name are indexed within `eventDelaySeconds`.
       */
      reindexMinutes?: number;
      /**
       * The catalog announces no changes: every tenant's catalog entities and modules are indexed
       * again this often, in minutes (default 5; unchanged entities cost a comparison only).
       */
      catalogReindexMinutes?: number;
      /**
       * How long to wait after a change is announced before indexing it, in seconds (default 5):
       * changes arriving together are indexed once.
       */
      eventDelaySeconds?: number;
      /** How long after start the first full indexing begins, in seconds (default 15). */
      initialIndexDelaySeconds?: number;
      /**
       * Whether similarity search (vectors of the deterministic local embedder, compared in
       * process) is fused with keyword search (default true). Off: keyword search only.
       */
      vectors?: boolean;
      /**
       * AI policies created at start where a tenant has none for the team (later edits through
       * the API are kept): `{ <tenant>: { <team>: { features, dataClasses, models?,
       * monthlyTokenBudget? } } }`, team `default` or a group entity ref. A bad policy stops the
       * start, naming it.
       */
      seedPolicies?: {
        [tenantId: string]: {
          [team: string]: {
            features: string[];
            dataClasses: string[];
            models?: string[];
            monthlyTokenBudget?: number;
          };
        };
      };
      /**
       * The chat model: any server that speaks OpenAI's chat completions API, reached with the
       * `openai` SDK. Absent, answers are extractive (the passages found and the suite's tables).
       * Every call is logged (`GET /tenants/{t}/ai/usage`) and allowed only by the asker's team
       * policy (`PUT /tenants/{t}/ai/policies/{team}`).
       */
      model?: {
        /**
         * The API's base URL: `https://api.openai.com/v1` (OpenAI), `https://api.scaleway.ai/v1`
         * (Scaleway), `http://<host>:8000/v1` (vLLM), `http://<host>:11434/v1` (Ollama), or the
         * resource endpoint `https://<resource>.openai.azure.com` with `azureApiVersion`.
         */
        baseUrl: string;
        /**
         * The API key (servers such as Ollama take none).
         * @visibility secret
         */
        apiKey?: string;
        /** The chat model (for Azure OpenAI: the deployment name), e.g. `gpt-4o-mini`. */
        chatModel: string;
        /** How long one model request may take, in seconds (default 60). */
        timeoutSeconds?: number;
        /** Azure OpenAI only: the API version, e.g. `2024-10-21`. */
        azureApiVersion?: string;
        /**
         * An embedding model for similarity search (for Azure OpenAI: its deployment), e.g.
         * `text-embedding-3-small`; absent, the deterministic local embedder. Items are embedded
         * under each tenant's `default` AI policy (feature `embeddings`, its data classes and
         * budget), questions under the asker's; changing the model embeds every item again.
         */
        embeddingModel?: string;
        /**
         * The size of the embedding model's vectors (required with `embeddingModel`), e.g. 1536
         * for `text-embedding-3-small`, 768 for Ollama's `nomic-embed-text`.
         */
        embeddingDimensions?: number;
        /**
         * Ask the server for vectors of `embeddingDimensions` (OpenAI's `dimensions` parameter;
         * `text-embedding-3-*` models shorten their vectors). Default false.
         */
        shortenEmbeddings?: boolean;
        /**
         * Prices per million tokens by model name, in your currency, for the usage log's cost:
         * `{ gpt-4o-mini: { input: 0.15, output: 0.6 } }`. A model without a price costs 0.
         */
        prices?: {
          [model: string]: { input: number; output: number };
        };
      };
    };
  };
}
