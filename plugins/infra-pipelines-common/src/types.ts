/** The CI systems the suite reads runs from. @public */
export const PIPELINE_PROVIDERS = ['github', 'gitlab', 'azure-devops'] as const;

/** @public */
export type PipelineProvider = (typeof PIPELINE_PROVIDERS)[number];

/** What each provider is called on the pages. @public */
export const PIPELINE_PROVIDER_TITLES: Record<PipelineProvider, string> = {
  github: 'GitHub Actions',
  gitlab: 'GitLab CI',
  'azure-devops': 'Azure DevOps',
};

/**
 * The annotation of an entity naming its repository on each provider (Backstage's usual ones):
 * `owner/repo` on GitHub, `group/project` on GitLab, `project/repo` on Azure DevOps.
 *
 * @public
 */
export const PIPELINE_REPOSITORY_ANNOTATIONS: Record<PipelineProvider, string> =
  {
    github: 'github.com/project-slug',
    gitlab: 'gitlab.com/project-slug',
    'azure-devops': 'dev.azure.com/project-repo',
  };

/**
 * Ours: the workflow (file name, e.g. `terraform.yml`) or pipeline (GitLab: its `.gitlab-ci.yml`
 * path is implied, so a ref or pipeline name; Azure DevOps: the definition id or name) of the
 * entity, when its repository holds several; without it every run of the repository is the
 * entity's. Several are separated by commas.
 *
 * @public
 */
export const PIPELINE_ANNOTATION = 'infra-hub.io/pipeline';

/** Ours: the environment an entity's runs deploy to (default: its `spec.lifecycle`). @public */
export const PIPELINE_ENVIRONMENT_ANNOTATION = 'infra-hub.io/environment';

/** The states of a run and of a job, the same for every provider. @public */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'skipped',
] as const;

/** @public */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One job of a run. @public */
export type PipelineJob = {
  /** The provider's job id. */
  id: string;
  name: string;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  url?: string;
  /** The end of a failed job's log, secrets redacted (read from the provider's API). */
  logExcerpt?: string;
  /** True when the log was longer than the excerpt kept. */
  logTruncated?: boolean;
};

/** One run of a pipeline, as the suite stores it. @public */
export type PipelineRun = {
  id: string;
  provider: PipelineProvider;
  connectionId: string;
  /** `owner/repo`, `group/project` or `project/repo`, as the entity annotations name it. */
  repository: string;
  /** The workflow's or pipeline's name. */
  pipeline: string;
  /** The workflow file, GitLab ref or Azure DevOps definition id the run belongs to. */
  pipelineId?: string;
  /** The provider's run id (GitHub run id, GitLab pipeline id, Azure DevOps build id). */
  externalId: string;
  number?: number;
  attempt?: number;
  status: RunStatus;
  branch?: string;
  commitSha?: string;
  actor?: string;
  /** What started it (push, pull_request, workflow_dispatch, schedule, ...). */
  event?: string;
  url?: string;
  /** The tenant's entities that claim the run's repository (and pipeline). */
  entityRefs: string[];
  /** The change-control module of those entities, when one is. */
  module?: string;
  environment?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** When the provider last changed it. */
  updatedAt: string;
  receivedVia: 'webhook' | 'pull' | 'trigger';
};

/** A run with its jobs (the run detail). @public */
export type PipelineRunDetail = PipelineRun & { jobs: PipelineJob[] };

/** A tenant's connection to one CI system, never with its secrets. @public */
export type PipelineConnection = {
  id: string;
  provider: PipelineProvider;
  name: string;
  /** The API's base URL (GitHub Enterprise, self-managed GitLab, Azure DevOps Server). */
  baseUrl: string;
  /** The vault credential holding the API token (pull and trigger); none: webhooks only. */
  tokenCredentialId?: string;
  /** The vault credential holding the webhook secret; none: every delivery is refused. */
  webhookSecretCredentialId?: string;
  /** Whether a webhook secret is set (from the vault or from config). */
  webhookSecret: boolean;
  /** Whether an API token is set (from the vault or from config). */
  token: boolean;
  /** Where deliveries go, relative to the backend's base URL. */
  webhookPath: string;
  /** `config` connections follow app-config at every start; `api` ones are the tenant's own. */
  origin: 'config' | 'api';
  /** How often runs are pulled from the API, in minutes (0: never). */
  pullMinutes: number;
  lastPulledAt?: string;
  lastPullError?: string;
};

/** Durations and outcomes of one day. @public */
export type PipelineDayStats = {
  day: string;
  runs: number;
  failed: number;
  /** Median duration of finished runs, milliseconds. */
  p50DurationMs?: number;
  p95DurationMs?: number;
};

/** Published on the events bus when a tenant's runs change (signals reach the pages). @public */
export const PIPELINES_CHANGED_TOPIC = 'infra-pipelines.changed';

/** The signals channel of a tenant's runs. @public */
export const pipelinesSignalChannel = (tenantId: string) =>
  `infra-pipelines:${tenantId}`;
