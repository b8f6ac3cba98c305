import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';
import {
  ChangeRequest,
  ChangeState,
  ComplianceReportRow,
  Decision,
  PlanDetail,
  PlanRecord,
  VerificationResult,
} from '@infra-hub/plugin-infra-change-common';

export type { PlanRecord, PlanDetail, Decision, ChangeRequest };

/** One row of the compliance report. @public */
export type ReportRow = ComplianceReportRow;

/** The infra-change backend, as the pages use it. @public */
export interface InfraChangeApi {
  listDrift(tenantId: string): Promise<PlanRecord[]>;
  listPlans(
    tenantId: string,
    query: { module?: string; limit?: number },
  ): Promise<PlanRecord[]>;
  getPlan(tenantId: string, planId: string): Promise<PlanDetail>;
  listChangeRequests(
    tenantId: string,
    query: { state?: ChangeState; module?: string },
  ): Promise<ChangeRequest[]>;
  getChangeRequest(tenantId: string, id: string): Promise<ChangeRequest>;
  createChangeRequest(
    tenantId: string,
    input: { planId: string; rollbackNote: string; submit: boolean },
  ): Promise<ChangeRequest>;
  transition(
    tenantId: string,
    id: string,
    to: ChangeState,
  ): Promise<ChangeRequest>;
  decide(
    tenantId: string,
    id: string,
    input: { decision: 'approve' | 'reject'; comment: string },
  ): Promise<ChangeRequest>;
  verify(
    tenantId: string,
    id: string,
    decisionId: string,
  ): Promise<VerificationResult>;
  /** The evidence bundle's text, exactly as sealed. */
  evidence(tenantId: string, id: string): Promise<string>;
  report(tenantId: string): Promise<ReportRow[]>;
  /** The report as a file's text, CSV or JSON. */
  reportFile(tenantId: string, format: 'csv' | 'json'): Promise<string>;
  /**
   * How many open compliance findings the assets of a system have (the compliance backend's
   * findings of the tenant tagged with the system); undefined when the compliance plugin is not
   * installed or the user may not read findings. For a service's Infrastructure tab.
   */
  openFindingsOfSystem(
    tenantId: string,
    system: string,
  ): Promise<number | undefined>;
  /**
   * A machine-written risk assessment or rollback plan of a change request, from the Infra chat
   * backend (narrated by its model when one is configured and the policy allows); undefined
   * when the chat plugin is not installed.
   */
  assist(
    tenantId: string,
    feature: 'risk-assessment' | 'rollback-plan',
    changeId: string,
  ): Promise<AssistText | undefined>;
}

/** What the chat's AI endpoints answer for a change request. @public */
export type AssistText = {
  text: string;
  narration?: string;
  model?: string;
  refusal?: string;
  machineWritten: true;
};

/** @public */
export const infraChangeApiRef = createApiRef<InfraChangeApi>({
  id: 'plugin.infra-change.api',
});

/** {@link InfraChangeApi} over HTTP. @public */
export class InfraChangeClient implements InfraChangeApi {
  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-change', deps);
    this.compliance = new InfraBackendRequests('infra-compliance', deps);
    this.chat = new InfraBackendRequests('infra-chat', deps);
  }

  private readonly chat: InfraBackendRequests;

  async assist(
    tenantId: string,
    feature: 'risk-assessment' | 'rollback-plan',
    changeId: string,
  ) {
    try {
      return await this.chat.json<AssistText>(
        `${this.tenant(tenantId)}/ai/${feature}`,
        { method: 'POST', body: { changeId } },
      );
    } catch (e) {
      const status = (e as { response?: { status?: number } }).response?.status;
      // A change request that does not exist is the chat's own 404 and says so; any other 404
      // means no chat backend here.
      const message =
        (e as { body?: { error?: { message?: string } } }).body?.error
          ?.message ?? '';
      if (status === 404 && !message.startsWith('No change request')) {
        return undefined;
      }
      throw e;
    }
  }

  private readonly requests: InfraBackendRequests;
  private readonly compliance: InfraBackendRequests;

  async openFindingsOfSystem(tenantId: string, system: string) {
    const query = new URLSearchParams({ system, status: 'open', limit: '1' });
    try {
      return (
        await this.compliance.json<{ total: number }>(
          `${this.tenant(tenantId)}/findings?${query}`,
        )
      ).total;
    } catch (e) {
      const status = (e as { response?: { status?: number } }).response?.status;
      if (status === 403 || status === 404) return undefined;
      throw e;
    }
  }

  private json<T>(path: string, init?: { method: string; body?: unknown }) {
    return this.requests.json<T>(path, init);
  }

  private tenant(tenantId: string) {
    return `/tenants/${encodeURIComponent(tenantId)}`;
  }

  async listDrift(tenantId: string) {
    return (
      await this.json<{ items: PlanRecord[] }>(`${this.tenant(tenantId)}/drift`)
    ).items;
  }

  async listPlans(
    tenantId: string,
    query: { module?: string; limit?: number },
  ) {
    const q = new URLSearchParams();
    if (query.module) q.set('module', query.module);
    if (query.limit) q.set('limit', String(query.limit));
    return (
      await this.json<{ items: PlanRecord[] }>(
        `${this.tenant(tenantId)}/plans${q.toString() ? `?${q}` : ''}`,
      )
    ).items;
  }

  getPlan(tenantId: string, planId: string) {
    return this.json<PlanDetail>(
      `${this.tenant(tenantId)}/plans/${encodeURIComponent(planId)}`,
    );
  }

  async listChangeRequests(
    tenantId: string,
    query: { state?: ChangeState; module?: string },
  ) {
    const q = new URLSearchParams();
    if (query.state) q.set('state', query.state);
    if (query.module) q.set('module', query.module);
    return (
      await this.json<{ items: ChangeRequest[] }>(
        `${this.tenant(tenantId)}/change-requests${
          q.toString() ? `?${q}` : ''
        }`,
      )
    ).items;
  }

  getChangeRequest(tenantId: string, id: string) {
    return this.json<ChangeRequest>(
      `${this.tenant(tenantId)}/change-requests/${encodeURIComponent(id)}`,
    );
  }

  createChangeRequest(
    tenantId: string,
    input: { planId: string; rollbackNote: string; submit: boolean },
  ) {
    return this.json<ChangeRequest>(
      `${this.tenant(tenantId)}/change-requests`,
      {
        method: 'POST',
        body: input,
      },
    );
  }

  transition(tenantId: string, id: string, to: ChangeState) {
    return this.json<ChangeRequest>(
      `${this.tenant(tenantId)}/change-requests/${encodeURIComponent(
        id,
      )}/transitions`,
      { method: 'POST', body: { to } },
    );
  }

  decide(
    tenantId: string,
    id: string,
    input: { decision: 'approve' | 'reject'; comment: string },
  ) {
    return this.json<ChangeRequest>(
      `${this.tenant(tenantId)}/change-requests/${encodeURIComponent(
        id,
      )}/decisions`,
      { method: 'POST', body: input },
    );
  }

  verify(tenantId: string, id: string, decisionId: string) {
    return this.json<VerificationResult>(
      `${this.tenant(tenantId)}/change-requests/${encodeURIComponent(
        id,
      )}/decisions/${encodeURIComponent(decisionId)}/verification`,
    );
  }

  evidence(tenantId: string, id: string) {
    return this.requests.text(
      `${this.tenant(tenantId)}/change-requests/${encodeURIComponent(
        id,
      )}/evidence`,
    );
  }

  async report(tenantId: string) {
    return (
      await this.json<{ items: ReportRow[] }>(`${this.tenant(tenantId)}/report`)
    ).items;
  }

  async reportFile(tenantId: string, format: 'csv' | 'json') {
    return this.requests.text(
      `${this.tenant(tenantId)}/report?format=${format}`,
    );
  }
}
