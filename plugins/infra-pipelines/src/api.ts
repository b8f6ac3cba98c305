import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { PlanRecord } from '@infra-hub/plugin-infra-change-common';
import {
  PipelineDayStats,
  PipelineProvider,
  PipelineRun,
  PipelineRunDetail,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';

export type { PipelineDayStats, PipelineRun, PipelineRunDetail, PlanRecord };

/** Filters of the runs list. @public */
export type RunFilter = {
  status?: RunStatus;
  module?: string;
  environment?: string;
  provider?: PipelineProvider;
  entityRef?: string;
  failedFirst?: boolean;
  cursor?: string;
  limit?: number;
};

/** The Infra Hub pipelines API (`/api/infra-pipelines`), and the plans of a run. @public */
export interface InfraPipelinesApi {
  listRuns(
    tenantId: string,
    filter: RunFilter,
  ): Promise<{ items: PipelineRun[]; nextCursor?: string }>;
  getRun(tenantId: string, runId: string): Promise<PipelineRunDetail>;
  stats(
    tenantId: string,
    options: { days: number; entityRef?: string },
  ): Promise<PipelineDayStats[]>;
  trigger(
    tenantId: string,
    request: { entityRef: string; ref?: string },
  ): Promise<{ message: string; url?: string }>;
  /** The plans a run uploaded to change control (`?run=` of the change plugin). */
  plansOfRun(tenantId: string, run: PipelineRun): Promise<PlanRecord[]>;
  /** A failed run's diagnosis by the infra chat (machine-written). */
  diagnose(tenantId: string, runId: string): Promise<RunDiagnosis>;
}

/** What the infra chat's failure diagnosis answers. @public */
export type RunDiagnosis = {
  text: string;
  narration?: string;
  model?: string;
  refusal?: string;
  machineWritten: true;
};

/** @public */
export const infraPipelinesApiRef = createApiRef<InfraPipelinesApi>({
  id: 'plugin.infra-pipelines.api',
});

/** The pipelines API over the backends' REST APIs. @public */
export class InfraPipelinesClient implements InfraPipelinesApi {
  private readonly requests: InfraBackendRequests;
  private readonly change: InfraBackendRequests;
  private readonly chat: InfraBackendRequests;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-pipelines', deps);
    this.change = new InfraBackendRequests('infra-change', deps);
    this.chat = new InfraBackendRequests('infra-chat', deps);
  }

  diagnose(tenantId: string, runId: string) {
    return this.chat.json<RunDiagnosis>(
      `${this.tenant(tenantId)}/ai/failure-diagnosis`,
      { method: 'POST', body: { runId } },
    );
  }

  private tenant(tenantId: string) {
    return `/tenants/${encodeURIComponent(tenantId)}`;
  }

  listRuns(tenantId: string, filter: RunFilter) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '' && value !== false) {
        query.set(key, String(value));
      }
    }
    return this.requests.json<{ items: PipelineRun[]; nextCursor?: string }>(
      `${this.tenant(tenantId)}/runs?${query}`,
    );
  }

  getRun(tenantId: string, runId: string) {
    return this.requests.json<PipelineRunDetail>(
      `${this.tenant(tenantId)}/runs/${encodeURIComponent(runId)}`,
    );
  }

  async stats(tenantId: string, options: { days: number; entityRef?: string }) {
    const query = new URLSearchParams({ days: String(options.days) });
    if (options.entityRef) query.set('entityRef', options.entityRef);
    return (
      await this.requests.json<{ items: PipelineDayStats[] }>(
        `${this.tenant(tenantId)}/stats?${query}`,
      )
    ).items;
  }

  trigger(tenantId: string, request: { entityRef: string; ref?: string }) {
    return this.requests.json<{ message: string; url?: string }>(
      `${this.tenant(tenantId)}/triggers`,
      { method: 'POST', body: request },
    );
  }

  async plansOfRun(tenantId: string, run: PipelineRun) {
    const ref = `${run.provider}:${run.repository}:${run.externalId}`;
    return (
      await this.change.json<{ items: PlanRecord[] }>(
        `${this.tenant(tenantId)}/plans?run=${encodeURIComponent(ref)}`,
      )
    ).items;
  }
}
