import { InputError } from '@backstage/errors';
import * as azdev from 'azure-devops-node-api';
import { RunStatus } from '@infra-hub/plugin-infra-pipelines-common';
import { apiFailure } from './errors';
import {
  branchOf,
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

// azure-devops-node-api's enums, as numbers (BuildStatus, BuildResult, TimelineRecordState,
// TaskResult) or, in service hook payloads, as camel-case names.
const BUILD_STATUS: Record<string, string> = {
  '1': 'inProgress',
  '2': 'completed',
  '4': 'cancelling',
  '8': 'postponed',
  '32': 'notStarted',
};
const BUILD_RESULT: Record<string, string> = {
  '0': 'none',
  '2': 'succeeded',
  '4': 'partiallySucceeded',
  '8': 'failed',
  '32': 'canceled',
};
const RECORD_STATE: Record<string, string> = {
  '0': 'pending',
  '1': 'inProgress',
  '2': 'completed',
};
const TASK_RESULT: Record<string, string> = {
  '0': 'succeeded',
  '1': 'succeededWithIssues',
  '2': 'failed',
  '3': 'canceled',
  '4': 'skipped',
  '5': 'abandoned',
};

const named = (table: Record<string, string>, value: unknown) =>
  typeof value === 'number' ? table[String(value)] : String(value ?? '');

/** An Azure DevOps build or job state and result, as the suite's. */
export function azureStatus(state: unknown, result: unknown): RunStatus {
  const s = String(state ?? '').toLowerCase();
  const r = String(result ?? '').toLowerCase();
  if (s !== 'completed') {
    if (s === 'inprogress' || s === 'cancelling' || s === 'canceling') {
      return 'running';
    }
    return 'queued';
  }
  if (r === 'succeeded' || r === 'partiallysucceeded') return 'succeeded';
  if (r === 'succeededwithissues') return 'succeeded';
  if (r === 'canceled' || r === 'cancelled' || r === 'abandoned') {
    return 'cancelled';
  }
  if (r === 'skipped' || r === 'none') return 'skipped';
  return 'failed';
}

function buildOf(build: any, repository: string): RunUpdate {
  const status = azureStatus(
    named(BUILD_STATUS, build.status),
    named(BUILD_RESULT, build.result),
  );
  return {
    repository,
    pipeline: str(build.definition?.name) ?? 'pipeline',
    ...(str(build.definition?.id)
      ? { pipelineId: str(build.definition.id) }
      : {}),
    externalId: idOf(build.id, 'build id'),
    ...(intOf(build.id) ? { number: intOf(build.id) } : {}),
    status,
    ...(branchOf(build.sourceBranch)
      ? { branch: branchOf(build.sourceBranch) }
      : {}),
    ...(str(build.sourceVersion)
      ? { commitSha: str(build.sourceVersion, 64) }
      : {}),
    ...(str(build.requestedFor?.uniqueName ?? build.requestedFor?.displayName)
      ? {
          actor: str(
            build.requestedFor?.uniqueName ?? build.requestedFor?.displayName,
          ),
        }
      : {}),
    ...(str(build.reason) ? { event: String(build.reason) } : {}),
    ...(str(build._links?.web?.href, 2000)
      ? { url: str(build._links.web.href, 2000) }
      : {}),
    ...(isoTime(toIso(build.queueTime))
      ? { queuedAt: isoTime(toIso(build.queueTime)) }
      : {}),
    ...(isoTime(toIso(build.startTime))
      ? { startedAt: isoTime(toIso(build.startTime)) }
      : {}),
    ...(isoTime(toIso(build.finishTime))
      ? { finishedAt: isoTime(toIso(build.finishTime)) }
      : {}),
    updatedAt:
      isoTime(toIso(build.lastChangedDate)) ??
      isoTime(toIso(build.finishTime)) ??
      isoTime(toIso(build.queueTime)) ??
      new Date().toISOString(),
  };
}

/** The SDK gives Dates; payloads give strings. */
function toIso(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function recordOf(record: any, webUrl?: string): JobUpdate {
  return {
    externalId: idOf(record.id, 'job id'),
    name: str(record.name) ?? 'job',
    status: azureStatus(
      named(RECORD_STATE, record.state),
      named(TASK_RESULT, record.result),
    ),
    ...(isoTime(toIso(record.startTime))
      ? { startedAt: isoTime(toIso(record.startTime)) }
      : {}),
    ...(isoTime(toIso(record.finishTime))
      ? { finishedAt: isoTime(toIso(record.finishTime)) }
      : {}),
    ...(webUrl ? { url: webUrl } : {}),
    ...(str(record.log?.id) ? { logId: str(record.log.id) } : {}),
  };
}

/** `project/repo` of a build (the repository's name, as `dev.azure.com/project-repo` has it). */
function repositoryOf(build: any): string | undefined {
  const project = str(build?.project?.name);
  const repo = str(build?.repository?.name);
  return project && repo ? `${project}/${repo}` : undefined;
}

function projectAndRepo(repository: string) {
  const at = repository.indexOf('/');
  return { project: repository.slice(0, at), repo: repository.slice(at + 1) };
}

class AzureDevOpsApi implements ProviderApi {
  private buildApi?: ReturnType<azdev.WebApi['getBuildApi']>;

  constructor(private readonly options: ProviderApiOptions) {}

  private builds() {
    if (!this.buildApi) {
      const connection = new azdev.WebApi(
        this.options.baseUrl,
        azdev.getPersonalAccessTokenHandler(this.options.token ?? ''),
        { socketTimeout: this.options.timeoutMs, allowRetries: false },
      );
      this.buildApi = connection.getBuildApi();
      this.buildApi.catch(() => (this.buildApi = undefined));
    }
    return this.buildApi;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw apiFailure('Azure DevOps', this.options.baseUrl, error);
    }
  }

  async listRuns(
    repository: string,
    options: { since?: string; limit: number; pipelineIds?: string[] },
  ): Promise<RunUpdate[]> {
    const { project, repo } = projectAndRepo(repository);
    const definitions = (options.pipelineIds ?? [])
      .map(Number)
      .filter(n => Number.isInteger(n));
    const builds: any[] = await this.call(async () =>
      (
        await this.builds()
      ).getBuilds(
        project,
        definitions.length ? definitions : undefined,
        undefined,
        undefined,
        options.since ? new Date(options.since) : undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        Math.min(options.limit, 100),
      ),
    );
    return builds
      .filter(b => !b.repository?.name || b.repository.name === repo)
      .map(b => buildOf(b, repository));
  }

  async listJobs(repository: string, runId: string): Promise<JobUpdate[]> {
    const { project } = projectAndRepo(repository);
    const timeline: any = await this.call(async () =>
      (await this.builds()).getBuildTimeline(project, Number(runId)),
    );
    return (timeline?.records ?? [])
      .filter((r: any) => String(r.type).toLowerCase() === 'job')
      .map((r: any) => recordOf(r));
  }

  async jobLog(
    repository: string,
    runId: string,
    job: JobUpdate,
  ): Promise<string> {
    if (!job.logId) return '';
    const { project } = projectAndRepo(repository);
    const lines: string[] = await this.call(async () =>
      (
        await this.builds()
      ).getBuildLogLines(project, Number(runId), Number(job.logId)),
    );
    return (lines ?? []).join('\n');
  }

  async trigger(request: {
    repository: string;
    pipelineId?: string;
    ref: string;
    inputs: Record<string, string>;
  }) {
    const definition = Number(request.pipelineId);
    if (!Number.isInteger(definition)) {
      throw new InputError(
        'An Azure DevOps build is queued by its definition id: annotate the entity with infra-hub.io/pipeline: <definition id>',
      );
    }
    const { project } = projectAndRepo(request.repository);
    const queued: any = await this.call(async () =>
      (
        await this.builds()
      ).queueBuild(
        {
          definition: { id: definition },
          sourceBranch: request.ref.startsWith('refs/')
            ? request.ref
            : `refs/heads/${request.ref}`,
          parameters: JSON.stringify(request.inputs),
        } as any,
        project,
      ),
    );
    return {
      externalId: str(queued?.id),
      ...(str(queued?._links?.web?.href, 2000)
        ? { url: str(queued._links.web.href, 2000) }
        : {}),
      message: `Azure DevOps queued build ${
        queued?.id ?? ''
      } of definition ${definition} on ${request.ref}`,
    };
  }
}

/**
 * Azure DevOps: service hooks (Web Hooks) of `build.complete` and of the pipelines' job state
 * (`ms.vss-pipelines.job-state-changed-event`), sent with Basic authentication whose password is
 * the tenant's secret; delivery ids are the events' `id`. The REST API through
 * azure-devops-node-api, at the organization's URL (`https://dev.azure.com/<org>`, or Azure
 * DevOps Server's collection URL).
 */
export const azureDevOpsAdapter: ProviderAdapter = {
  provider: 'azure-devops',
  defaultBaseUrl: 'https://dev.azure.com',

  // The event id is in the body; the user name is not checked.
  sign: secret => ({
    Authorization: `Basic ${Buffer.from(`infra-hub:${secret}`).toString(
      'base64',
    )}`,
  }),

  verify(headers, rawBody, secret) {
    const auth = header(headers, 'authorization');
    if (!auth?.startsWith('Basic ')) {
      refused('The delivery has no Basic Authorization header');
    }
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const password = decoded.slice(decoded.indexOf(':') + 1);
    if (!decoded.includes(':') || !sameSecret(password, secret)) {
      refused('The Basic Authorization of the delivery does not match');
    }
    let body: any;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new InputError('The delivery is not JSON');
    }
    const id = str(body?.id, 100);
    if (!id || !/^[A-Za-z0-9-]+$/.test(id)) {
      throw new InputError('The delivery has no event id');
    }
    return { id, event: str(body?.eventType) ?? '' };
  },

  parse(event, body): WebhookEvent {
    const resource = body?.resource;
    if (event === 'build.complete' && resource) {
      const repository = repositoryOf(resource);
      if (!repository) {
        return {
          kind: 'ignored',
          reason: 'build.complete without a project and repository name',
        };
      }
      return { kind: 'run', run: buildOf(resource, repository) };
    }
    if (event === 'ms.vss-pipelines.job-state-changed-event' && resource?.job) {
      const run = resource.run ?? {};
      const repository = repositoryOf({
        project: resource.project ?? body?.resourceContainers?.project,
        repository: resource.repository,
      });
      if (!repository) {
        return {
          kind: 'ignored',
          reason: 'job event without a project and repository name',
        };
      }
      return {
        kind: 'job',
        run: {
          repository,
          externalId: idOf(run.id ?? resource.runId, 'run id'),
          ...(str(resource.pipeline?.name)
            ? { pipeline: str(resource.pipeline.name) }
            : {}),
          ...(str(resource.pipeline?.id)
            ? { pipelineId: str(resource.pipeline.id) }
            : {}),
        },
        job: recordOf(resource.job, str(run._links?.web?.href, 2000)),
      };
    }
    return {
      kind: 'ignored',
      reason: `Azure DevOps event '${event}' is not used (build.complete and ms.vss-pipelines.job-state-changed-event are)`,
    };
  },

  api: options => new AzureDevOpsApi(options),
};
