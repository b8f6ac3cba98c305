import { Octokit } from '@octokit/rest';
import crypto from 'node:crypto';
import { RunStatus } from '@infra-hub/plugin-infra-pipelines-common';
import { apiFailure } from './errors';
import {
  deliveryId,
  header,
  idOf,
  intOf,
  isoTime,
  refused,
  sameSecret,
  str,
} from './common';
import {
  JobUpdate,
  ProviderAdapter,
  ProviderApi,
  ProviderApiOptions,
  RunUpdate,
  WebhookEvent,
} from './types';

/** GitHub's run and job states and conclusions, as the suite's. */
export function githubStatus(status: unknown, conclusion: unknown): RunStatus {
  if (status !== 'completed') {
    return status === 'in_progress' ? 'running' : 'queued';
  }
  switch (conclusion) {
    case 'success':
      return 'succeeded';
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
    case 'neutral':
    case 'stale':
      return 'skipped';
    default:
      // failure, timed_out, startup_failure, action_required
      return 'failed';
  }
}

const hmac = (secret: string, body: Buffer) =>
  `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

function workflowFile(path: unknown): string | undefined {
  const p = str(path);
  return p ? p.split('/').pop() : undefined;
}

function runOf(run: any, repository: string): RunUpdate {
  return {
    repository,
    pipeline: str(run.name) ?? workflowFile(run.path) ?? 'workflow',
    ...(workflowFile(run.path) ? { pipelineId: workflowFile(run.path) } : {}),
    externalId: idOf(run.id, 'workflow_run.id'),
    ...(intOf(run.run_number) ? { number: intOf(run.run_number) } : {}),
    ...(intOf(run.run_attempt) ? { attempt: intOf(run.run_attempt) } : {}),
    status: githubStatus(run.status, run.conclusion),
    ...(str(run.head_branch) ? { branch: str(run.head_branch) } : {}),
    ...(str(run.head_sha) ? { commitSha: str(run.head_sha, 64) } : {}),
    ...(str(run.triggering_actor?.login ?? run.actor?.login)
      ? { actor: str(run.triggering_actor?.login ?? run.actor?.login) }
      : {}),
    ...(str(run.event) ? { event: str(run.event) } : {}),
    ...(str(run.html_url, 2000) ? { url: str(run.html_url, 2000) } : {}),
    ...(isoTime(run.created_at) ? { queuedAt: isoTime(run.created_at) } : {}),
    ...(isoTime(run.run_started_at)
      ? { startedAt: isoTime(run.run_started_at) }
      : {}),
    ...(run.status === 'completed' && isoTime(run.updated_at)
      ? { finishedAt: isoTime(run.updated_at) }
      : {}),
    updatedAt:
      isoTime(run.updated_at) ??
      isoTime(run.created_at) ??
      new Date().toISOString(),
  };
}

function jobOf(job: any): JobUpdate {
  return {
    externalId: idOf(job.id, 'workflow_job.id'),
    name: str(job.name) ?? 'job',
    status: githubStatus(job.status, job.conclusion),
    ...(isoTime(job.started_at) ? { startedAt: isoTime(job.started_at) } : {}),
    ...(isoTime(job.completed_at)
      ? { finishedAt: isoTime(job.completed_at) }
      : {}),
    ...(str(job.html_url, 2000) ? { url: str(job.html_url, 2000) } : {}),
  };
}

function split(repository: string) {
  const [owner, repo] = repository.split('/');
  return { owner, repo };
}

class GitHubApi implements ProviderApi {
  private readonly octokit: Octokit;

  constructor(private readonly options: ProviderApiOptions) {
    this.octokit = new Octokit({
      baseUrl: options.baseUrl,
      ...(options.token ? { auth: options.token } : {}),
      userAgent: 'infra-hub-pipelines',
      // One attempt: the scheduler retries, after the rate limit's reset when there is one.
      request: { retries: 0 },
    });
  }

  private async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await fn(AbortSignal.timeout(this.options.timeoutMs));
    } catch (error) {
      throw apiFailure('GitHub', this.options.baseUrl, error);
    }
  }

  async listRuns(
    repository: string,
    options: { since?: string; limit: number },
  ): Promise<RunUpdate[]> {
    const { data } = await this.call(signal =>
      this.octokit.rest.actions.listWorkflowRunsForRepo({
        ...split(repository),
        per_page: Math.min(options.limit, 100),
        ...(options.since
          ? { created: `>=${options.since.slice(0, 19)}Z` }
          : {}),
        request: { signal },
      }),
    );
    return (data.workflow_runs ?? []).map(run => runOf(run, repository));
  }

  async listJobs(repository: string, runId: string): Promise<JobUpdate[]> {
    const { data } = await this.call(signal =>
      this.octokit.rest.actions.listJobsForWorkflowRun({
        ...split(repository),
        run_id: Number(runId),
        per_page: 100,
        request: { signal },
      }),
    );
    return (data.jobs ?? []).map(jobOf);
  }

  async jobLog(
    repository: string,
    _runId: string,
    job: JobUpdate,
  ): Promise<string> {
    const { data } = await this.call(signal =>
      this.octokit.rest.actions.downloadJobLogsForWorkflowRun({
        ...split(repository),
        job_id: Number(job.externalId),
        request: { signal },
      }),
    );
    return typeof data === 'string'
      ? data
      : Buffer.from(data as ArrayBuffer).toString('utf8');
  }

  async trigger(request: {
    repository: string;
    pipelineId?: string;
    ref: string;
    inputs: Record<string, string>;
  }) {
    if (!request.pipelineId) {
      throw new Error(
        'A GitHub run is started by its workflow file: annotate the entity with infra-hub.io/pipeline',
      );
    }
    await this.call(signal =>
      this.octokit.rest.actions.createWorkflowDispatch({
        ...split(request.repository),
        workflow_id: request.pipelineId!,
        ref: request.ref,
        inputs: request.inputs,
        request: { signal },
      }),
    );
    return {
      message: `GitHub started ${request.pipelineId} on ${request.ref} of ${request.repository} (workflow_dispatch); the run arrives by webhook or the next pull`,
    };
  }
}

/**
 * GitHub Actions: `workflow_run` and `workflow_job` webhooks signed with HMAC-SHA256 of the body
 * (`X-Hub-Signature-256`), delivery ids in `X-GitHub-Delivery`; the REST API through Octokit
 * (`https://api.github.com`, or GitHub Enterprise Server's `https://<host>/api/v3`).
 */
export const githubAdapter: ProviderAdapter = {
  provider: 'github',
  defaultBaseUrl: 'https://api.github.com',

  sign: (secret, rawBody, delivery) => ({
    'X-GitHub-Event': delivery.event,
    'X-GitHub-Delivery': delivery.id,
    'X-Hub-Signature-256': hmac(secret, rawBody),
  }),

  verify(headers, rawBody, secret) {
    const signature = header(headers, 'x-hub-signature-256');
    if (!signature) refused('The delivery has no X-Hub-Signature-256 header');
    if (!sameSecret(signature, hmac(secret, rawBody))) {
      refused('The X-Hub-Signature-256 of the delivery does not match');
    }
    return {
      id: deliveryId(headers, 'x-github-delivery'),
      event: header(headers, 'x-github-event') ?? '',
    };
  },

  parse(event, body): WebhookEvent {
    const repository = str(body?.repository?.full_name);
    if (event === 'ping') return { kind: 'ignored', reason: 'ping' };
    if (!repository) {
      return { kind: 'ignored', reason: `${event} event without a repository` };
    }
    if (event === 'workflow_run' && body.workflow_run) {
      return { kind: 'run', run: runOf(body.workflow_run, repository) };
    }
    if (event === 'workflow_job' && body.workflow_job) {
      const job = body.workflow_job;
      return {
        kind: 'job',
        run: {
          repository,
          externalId: idOf(job.run_id, 'workflow_job.run_id'),
          ...(str(job.workflow_name)
            ? { pipeline: str(job.workflow_name) }
            : {}),
          ...(str(job.head_branch) ? { branch: str(job.head_branch) } : {}),
          ...(str(job.head_sha) ? { commitSha: str(job.head_sha, 64) } : {}),
        },
        job: jobOf(job),
      };
    }
    return {
      kind: 'ignored',
      reason: `GitHub event '${event}' is not used (workflow_run and workflow_job are)`,
    };
  },

  api: options => new GitHubApi(options),
};
