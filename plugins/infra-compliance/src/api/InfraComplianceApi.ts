import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import {
  ControlPosture,
  CustomFramework,
  Evaluation,
  EvidenceRecord,
  Finding,
  FindingEvent,
  FindingStatus,
  FrameworkPosture,
  PoamEvent,
  PoamItem,
  PoamState,
  ResultCounts,
  Rule,
  Severity,
  TenantFramework,
} from '@infra-hub/plugin-infra-compliance-common';
import { InfraBackendRequests } from '@infra-hub/plugin-infra-hub-react';

export type {
  CustomFramework,
  TenantFramework,
  Evaluation,
  EvidenceRecord,
  Finding,
  FindingEvent,
  FrameworkPosture,
  PoamEvent,
  PoamItem,
  PoamState,
};

/** What findings to list. @public */
export type FindingQuery = {
  status?: FindingStatus;
  severity?: Severity;
  framework?: string;
  control?: string;
  resourceId?: string;
  system?: string;
  owner?: string;
  after?: string;
  limit?: number;
};

/** A page of findings. @public */
export type FindingPage = {
  items: Finding[];
  total: number;
  nextAfter?: string;
};

/** The tenant's posture after its latest evaluation. @public */
export type Posture = {
  evaluationId?: string;
  evaluatedAt?: string;
  ruleSetVersion?: string;
  frameworks: FrameworkPosture[];
  findings: Array<{ status: FindingStatus; severity: Severity; count: number }>;
};

/** A system's or an owner's counts on a framework. @public */
export type GroupPosture = {
  name: string;
  counts: ResultCounts;
  passRate?: number;
};

/** One framework: its controls, systems and owners. @public */
export type FrameworkDetail = {
  framework: string;
  title: string;
  version?: string;
  controls: ControlPosture[];
  systems: GroupPosture[];
  owners: GroupPosture[];
};

/** One point of a framework's trend. @public */
export type TrendPoint = {
  evaluationId: string;
  at: string;
  passRate?: number;
  counts: ResultCounts;
  controls: FrameworkPosture['controls'];
};

/** The active rule set. @public */
export type RuleSetDescription = {
  version: string;
  packs: Array<{ name: string; rules: number; frameworks: number }>;
  frameworks: Array<{
    id: string;
    title: string;
    version?: string;
    pack: string;
    controls: Array<{ id: string; title?: string }>;
  }>;
  rules: Array<Rule & { pack: string }>;
  lastReloadError?: string;
};

/** The infra-compliance backend, as the pages use it. @public */
export interface InfraComplianceApi {
  posture(tenantId: string): Promise<Posture>;
  frameworkPosture(
    tenantId: string,
    framework: string,
  ): Promise<FrameworkDetail>;
  trend(tenantId: string, framework: string): Promise<TrendPoint[]>;
  listFindings(tenantId: string, query: FindingQuery): Promise<FindingPage>;
  getFinding(
    tenantId: string,
    id: string,
  ): Promise<Finding & { history: FindingEvent[] }>;
  suppress(
    tenantId: string,
    id: string,
    input: { reason: string; expiresAt: string },
  ): Promise<Finding>;
  unsuppress(tenantId: string, id: string): Promise<Finding>;
  listEvaluations(tenantId: string): Promise<Evaluation[]>;
  evaluate(tenantId: string): Promise<Evaluation>;
  rules(): Promise<RuleSetDescription>;
  /** The findings of a query as a CSV file's text. */
  findingsCsv(tenantId: string, query: FindingQuery): Promise<string>;
  /** The POA&M, soonest due first (all pages). */
  listPoam(tenantId: string, state?: PoamState): Promise<PoamItem[]>;
  getPoamItem(
    tenantId: string,
    id: string,
  ): Promise<PoamItem & { history: PoamEvent[] }>;
  transitionPoam(
    tenantId: string,
    id: string,
    input: { to: PoamState; comment?: string },
  ): Promise<PoamItem>;
  /** The frameworks the tenant defined for itself. */
  listFrameworks(tenantId: string): Promise<TenantFramework[]>;
  putFramework(
    tenantId: string,
    framework: CustomFramework,
  ): Promise<TenantFramework>;
  deleteFramework(tenantId: string, id: string): Promise<void>;
  /** An OSCAL document's text: assessment results of a framework, or the POA&M. */
  oscal(
    tenantId: string,
    kind: 'assessment-results' | 'poam',
    framework?: string,
  ): Promise<string>;
  /** A page of the tenant's evidence, newest first. */
  listEvidence(
    tenantId: string,
    before?: string,
  ): Promise<{ items: EvidenceRecord[]; nextBefore?: string }>;
  /** A sealed evidence bundle's text (evaluation id or `latest`), for a framework or a control. */
  evidenceBundle(
    tenantId: string,
    evaluationId: string,
    scope: { framework: string; control?: string },
  ): Promise<string>;
  /** Seals evidence that could not be sealed when it was collected. */
  sealEvidence(tenantId: string, evaluationId: string): Promise<EvidenceRecord>;
}

/** @public */
export const infraComplianceApiRef = createApiRef<InfraComplianceApi>({
  id: 'plugin.infra-compliance.api',
});

function search(query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== '') params.set(k, String(v));
  return params.size ? `?${params}` : '';
}

/** {@link InfraComplianceApi} over HTTP. @public */
export class InfraComplianceClient implements InfraComplianceApi {
  private readonly requests: InfraBackendRequests;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requests = new InfraBackendRequests('infra-compliance', deps);
  }

  private tenant(tenantId: string) {
    return `/tenants/${encodeURIComponent(tenantId)}`;
  }

  posture(tenantId: string) {
    return this.requests.json<Posture>(`${this.tenant(tenantId)}/posture`);
  }

  frameworkPosture(tenantId: string, framework: string) {
    return this.requests.json<FrameworkDetail>(
      `${this.tenant(tenantId)}/posture/${encodeURIComponent(framework)}`,
    );
  }

  async trend(tenantId: string, framework: string) {
    return (
      await this.requests.json<{ points: TrendPoint[] }>(
        `${this.tenant(tenantId)}/posture/${encodeURIComponent(
          framework,
        )}/trend`,
      )
    ).points;
  }

  listFindings(tenantId: string, query: FindingQuery) {
    return this.requests.json<FindingPage>(
      `${this.tenant(tenantId)}/findings${search(query)}`,
    );
  }

  getFinding(tenantId: string, id: string) {
    return this.requests.json<Finding & { history: FindingEvent[] }>(
      `${this.tenant(tenantId)}/findings/${encodeURIComponent(id)}`,
    );
  }

  suppress(
    tenantId: string,
    id: string,
    input: { reason: string; expiresAt: string },
  ) {
    return this.requests.json<Finding>(
      `${this.tenant(tenantId)}/findings/${encodeURIComponent(id)}/suppression`,
      { method: 'PUT', body: input },
    );
  }

  unsuppress(tenantId: string, id: string) {
    return this.requests.json<Finding>(
      `${this.tenant(tenantId)}/findings/${encodeURIComponent(id)}/suppression`,
      { method: 'DELETE' },
    );
  }

  async listEvaluations(tenantId: string) {
    return (
      await this.requests.json<{ items: Evaluation[] }>(
        `${this.tenant(tenantId)}/evaluations`,
      )
    ).items;
  }

  evaluate(tenantId: string) {
    return this.requests.json<Evaluation>(
      `${this.tenant(tenantId)}/evaluations`,
      { method: 'POST' },
    );
  }

  rules() {
    return this.requests.json<RuleSetDescription>('/rules');
  }

  async listPoam(tenantId: string, state?: PoamState) {
    const items: PoamItem[] = [];
    let after: string | undefined;
    do {
      const page = await this.requests.json<{
        items: PoamItem[];
        nextAfter?: string;
      }>(
        `${this.tenant(tenantId)}/poam${search({ state, after, limit: 500 })}`,
      );
      items.push(...page.items);
      after = page.nextAfter;
    } while (after);
    return items;
  }

  getPoamItem(tenantId: string, id: string) {
    return this.requests.json<PoamItem & { history: PoamEvent[] }>(
      `${this.tenant(tenantId)}/poam/${encodeURIComponent(id)}`,
    );
  }

  transitionPoam(
    tenantId: string,
    id: string,
    input: { to: PoamState; comment?: string },
  ) {
    return this.requests.json<PoamItem>(
      `${this.tenant(tenantId)}/poam/${encodeURIComponent(id)}/transitions`,
      { method: 'POST', body: input },
    );
  }

  async listFrameworks(tenantId: string) {
    return (
      await this.requests.json<{ items: TenantFramework[] }>(
        `${this.tenant(tenantId)}/frameworks`,
      )
    ).items;
  }

  putFramework(tenantId: string, framework: CustomFramework) {
    const { id, ...body } = framework;
    return this.requests.json<TenantFramework>(
      `${this.tenant(tenantId)}/frameworks/${encodeURIComponent(id)}`,
      { method: 'PUT', body },
    );
  }

  async deleteFramework(tenantId: string, id: string) {
    await this.requests.json<void>(
      `${this.tenant(tenantId)}/frameworks/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
    );
  }

  oscal(
    tenantId: string,
    kind: 'assessment-results' | 'poam',
    framework?: string,
  ) {
    return this.requests.text(
      `${this.tenant(tenantId)}/oscal/${kind}${search({ framework })}`,
    );
  }

  listEvidence(tenantId: string, before?: string) {
    return this.requests.json<{ items: EvidenceRecord[]; nextBefore?: string }>(
      `${this.tenant(tenantId)}/evidence${search({ before, limit: 50 })}`,
    );
  }

  evidenceBundle(
    tenantId: string,
    evaluationId: string,
    scope: { framework: string; control?: string },
  ) {
    return this.requests.text(
      `${this.tenant(tenantId)}/evidence/${encodeURIComponent(
        evaluationId,
      )}/bundle${search(scope)}`,
    );
  }

  sealEvidence(tenantId: string, evaluationId: string) {
    return this.requests.json<EvidenceRecord>(
      `${this.tenant(tenantId)}/evidence/${encodeURIComponent(
        evaluationId,
      )}/seal`,
      { method: 'POST' },
    );
  }

  findingsCsv(tenantId: string, query: FindingQuery) {
    return this.requests.text(
      `${this.tenant(tenantId)}/findings${search({ ...query, format: 'csv' })}`,
    );
  }
}
