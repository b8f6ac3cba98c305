import {
  PipelineProvider,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';

/** A run as a provider reports it (a webhook or its API), before it is linked and stored. */
export type RunUpdate = {
  /** As the entity annotations name it: `owner/repo`, `group/project`, `project/repo`. */
  repository: string;
  pipeline: string;
  pipelineId?: string;
  externalId: string;
  number?: number;
  attempt?: number;
  status: RunStatus;
  branch?: string;
  commitSha?: string;
  actor?: string;
  event?: string;
  url?: string;
  queuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** When the provider last changed the run. */
  updatedAt: string;
  /** The run's jobs when the report carries them (all of them). */
  jobs?: JobUpdate[];
};

/** A job as a provider reports it. */
export type JobUpdate = {
  externalId: string;
  name: string;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  url?: string;
  /** Provider-specific handle to read its log (Azure DevOps: the timeline's log id). */
  logId?: string;
};

/** What a webhook delivery says. */
export type WebhookEvent =
  | { kind: 'run'; run: RunUpdate }
  | {
      kind: 'job';
      /** The run the job belongs to; what the job event knows of it. */
      run: Pick<RunUpdate, 'repository' | 'externalId'> & Partial<RunUpdate>;
      job: JobUpdate;
    }
  | { kind: 'ignored'; reason: string };

/** A verified delivery: its id (for replays) and event name. */
export type Delivery = { id: string; event: string };

/** Where a provider's API is and how it is reached. */
export type ProviderApiOptions = {
  baseUrl: string;
  token?: string;
  /** Milliseconds one request may take. */
  timeoutMs: number;
};

/** Start a pipeline. */
export type TriggerRequest = {
  repository: string;
  /** GitHub: the workflow file; Azure DevOps: the definition id; GitLab: unused. */
  pipelineId?: string;
  ref: string;
  inputs: Record<string, string>;
};

/** A provider's REST API, as the suite uses it (read runs and jobs, read a log, start a run). */
export interface ProviderApi {
  /** Runs of the repository changed since `since` (ISO), newest first, at most `limit`. */
  listRuns(
    repository: string,
    options: { since?: string; limit: number; pipelineIds?: string[] },
  ): Promise<RunUpdate[]>;
  listJobs(repository: string, runExternalId: string): Promise<JobUpdate[]>;
  /** A job's whole log as text. */
  jobLog(
    repository: string,
    runExternalId: string,
    job: JobUpdate,
  ): Promise<string>;
  trigger(
    request: TriggerRequest,
  ): Promise<{ externalId?: string; url?: string; message: string }>;
}

/** One CI system: its webhooks (verification, payloads) and its API. */
export interface ProviderAdapter {
  readonly provider: PipelineProvider;
  readonly defaultBaseUrl: string;
  /**
   * Checks that a delivery was sent by the provider with the tenant's secret (AuthenticationError
   * otherwise) and names it; `rawBody` is exactly the bytes received.
   */
  verify(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
    secret: string,
  ): Delivery;
  /** The headers a delivery of `rawBody` carries when the provider sends it with `secret`. */
  sign(
    secret: string,
    rawBody: Buffer,
    delivery: Delivery,
  ): Record<string, string>;
  /** What a verified delivery says; `ignored` with the reason for events the suite does not use. */
  parse(event: string, body: any): WebhookEvent;
  api(options: ProviderApiOptions): ProviderApi;
}
