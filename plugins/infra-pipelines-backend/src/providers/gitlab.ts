import { Gitlab } from '@gitbeaker/rest';
import { RunStatus } from '@infra-hub/plugin-infra-pipelines-common';
import { apiFailure } from './errors';
import {
  branchOf,
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

/** GitLab's pipeline and job states, as the suite's. */
export function gitlabStatus(status: unknown): RunStatus {
  switch (status) {
    case 'running':
      return 'running';
    case 'success':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    default:
      // created, waiting_for_resource, preparing, pending, scheduled, manual
      return 'queued';
  }
}

/** The repository path of a payload's project (`group/project`). */
function projectPath(body: any): string | undefined {
  const path = str(body?.project?.path_with_namespace);
  if (path) return path;
  const home = str(body?.repository?.homepage, 2000);
  if (!home) return undefined;
  try {
    return new URL(home).pathname.replace(/^\/+|\/+$/g, '') || undefined;
  } catch {
    return undefined;
  }
}

function jobUrl(job: any, id: string, webUrl?: string): string | undefined {
  return (
    str(job.web_url, 2000) ?? (webUrl ? `${webUrl}/-/jobs/${id}` : undefined)
  );
}

function jobOf(job: any, webUrl?: string): JobUpdate {
  const id = idOf(job.id ?? job.build_id, 'job id');
  return {
    externalId: id,
    name: str(job.name ?? job.build_name) ?? 'job',
    status: gitlabStatus(job.status ?? job.build_status),
    ...(isoTime(job.started_at ?? job.build_started_at)
      ? { startedAt: isoTime(job.started_at ?? job.build_started_at) }
      : {}),
    ...(isoTime(job.finished_at ?? job.build_finished_at)
      ? { finishedAt: isoTime(job.finished_at ?? job.build_finished_at) }
      : {}),
    ...(jobUrl(job, id, webUrl) ? { url: jobUrl(job, id, webUrl) } : {}),
  };
}

function pipelineOf(
  p: any,
  repository: string,
  extra: { actor?: string; jobs?: JobUpdate[] } = {},
): RunUpdate {
  const finishedAt = isoTime(p.finished_at);
  const duration = typeof p.duration === 'number' ? p.duration : undefined;
  const startedAt =
    isoTime(p.started_at) ??
    (finishedAt && duration !== undefined
      ? new Date(Date.parse(finishedAt) - duration * 1000).toISOString()
      : undefined);
  return {
    repository,
    pipeline: str(p.name) ?? `pipeline on ${str(p.ref) ?? 'a ref'}`,
    externalId: idOf(p.id, 'pipeline id'),
    ...(intOf(p.iid) ? { number: intOf(p.iid) } : {}),
    status: gitlabStatus(p.status),
    ...(branchOf(p.ref) ? { branch: branchOf(p.ref) } : {}),
    ...(str(p.sha) ? { commitSha: str(p.sha, 64) } : {}),
    ...(extra.actor ? { actor: extra.actor } : {}),
    ...(str(p.source) ? { event: str(p.source) } : {}),
    ...(str(p.url ?? p.web_url, 2000)
      ? { url: str(p.url ?? p.web_url, 2000) }
      : {}),
    ...(isoTime(p.created_at) ? { queuedAt: isoTime(p.created_at) } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    updatedAt:
      isoTime(p.updated_at) ??
      finishedAt ??
      isoTime(p.created_at) ??
      new Date().toISOString(),
    ...(extra.jobs ? { jobs: extra.jobs } : {}),
  };
}

class GitLabApi implements ProviderApi {
  private readonly api: InstanceType<typeof Gitlab>;

  constructor(private readonly options: ProviderApiOptions) {
    this.api = new Gitlab({
      host: options.baseUrl,
      token: options.token ?? '',
      queryTimeout: options.timeoutMs,
      rateLimitDuration: 0,
    } as any);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw apiFailure('GitLab', this.options.baseUrl, error);
    }
  }

  async listRuns(
    repository: string,
    options: { since?: string; limit: number },
  ): Promise<RunUpdate[]> {
    const pipelines: any[] = await this.call(() =>
      this.api.Pipelines.all(repository, {
        perPage: Math.min(options.limit, 100),
        maxPages: 1,
        orderBy: 'updated_at',
        sort: 'desc',
        ...(options.since ? { updatedAfter: options.since } : {}),
      } as any),
    );
    return pipelines.map(p =>
      pipelineOf(p, repository, {
        ...(str(p.user?.username) ? { actor: str(p.user?.username) } : {}),
      }),
    );
  }

  async listJobs(repository: string, runId: string): Promise<JobUpdate[]> {
    const jobs: any[] = await this.call(() =>
      this.api.Jobs.all(repository, {
        pipelineId: Number(runId),
        perPage: 100,
        maxPages: 1,
      } as any),
    );
    return jobs.map(j => jobOf(j));
  }

  async jobLog(
    repository: string,
    _runId: string,
    job: JobUpdate,
  ): Promise<string> {
    const log = await this.call(() =>
      this.api.Jobs.showLog(repository, Number(job.externalId)),
    );
    return typeof log === 'string' ? log : String(log ?? '');
  }

  async trigger(request: {
    repository: string;
    ref: string;
    inputs: Record<string, string>;
  }) {
    const created: any = await this.call(() =>
      this.api.Pipelines.create(request.repository, request.ref, {
        variables: Object.entries(request.inputs).map(([key, value]) => ({
          key,
          value,
        })),
      } as any),
    );
    return {
      externalId: str(created?.id),
      ...(str(created?.web_url, 2000)
        ? { url: str(created.web_url, 2000) }
        : {}),
      message: `GitLab created pipeline ${created?.id ?? ''} on ${
        request.ref
      } of ${request.repository}`,
    };
  }
}

/**
 * GitLab CI: pipeline and job webhooks carrying the tenant's secret token (`X-Gitlab-Token`),
 * delivery ids in `X-Gitlab-Event-UUID` (or `Idempotency-Key`); the REST API v4 through
 * Gitbeaker (`https://gitlab.com`, or a self-managed instance's URL).
 */
export const gitlabAdapter: ProviderAdapter = {
  provider: 'gitlab',
  defaultBaseUrl: 'https://gitlab.com',

  sign: (secret, _rawBody, delivery) => ({
    'X-Gitlab-Event': delivery.event,
    'X-Gitlab-Event-UUID': delivery.id,
    'X-Gitlab-Token': secret,
  }),

  verify(headers, _rawBody, secret) {
    const token = header(headers, 'x-gitlab-token');
    if (!token) refused('The delivery has no X-Gitlab-Token header');
    if (!sameSecret(token, secret)) {
      refused('The X-Gitlab-Token of the delivery does not match');
    }
    const idHeader = header(headers, 'x-gitlab-event-uuid')
      ? 'x-gitlab-event-uuid'
      : 'idempotency-key';
    return {
      id: deliveryId(headers, idHeader),
      event: header(headers, 'x-gitlab-event') ?? '',
    };
  },

  parse(event, body): WebhookEvent {
    const repository = projectPath(body);
    if (!repository) {
      return { kind: 'ignored', reason: `${event} without a project` };
    }
    const webUrl = str(body?.project?.web_url, 2000);
    if (body?.object_kind === 'pipeline' && body.object_attributes) {
      const jobs = Array.isArray(body.builds)
        ? body.builds.map((b: any) => jobOf(b, webUrl))
        : undefined;
      return {
        kind: 'run',
        run: pipelineOf(body.object_attributes, repository, {
          ...(str(body.user?.username)
            ? { actor: str(body.user.username) }
            : {}),
          ...(jobs ? { jobs } : {}),
        }),
      };
    }
    if (body?.object_kind === 'build') {
      return {
        kind: 'job',
        run: {
          repository,
          externalId: idOf(body.pipeline_id, 'pipeline_id'),
          ...(branchOf(body.ref) ? { branch: branchOf(body.ref) } : {}),
          ...(str(body.sha) ? { commitSha: str(body.sha, 64) } : {}),
        },
        job: jobOf(body, webUrl),
      };
    }
    return {
      kind: 'ignored',
      reason: `GitLab event '${event}' is not used (pipeline and job events are)`,
    };
  },

  api: options => new GitLabApi(options),
};
