import { InputError, NotFoundError } from '@backstage/errors';
import {
  FINDING_STATUSES,
  FindingStatus,
  SEVERITIES,
  Severity,
} from '@infra-hub/plugin-infra-compliance-common';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { ComplianceStore } from '../database/ComplianceStore';
import { FrameworkService } from './FrameworkService';

/** The longest a risk may be accepted for before it is looked at again. */
export const MAX_SUPPRESSION_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

function oneOf<T extends string>(
  values: readonly T[],
  value: unknown,
  name: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (
    typeof value === 'string' &&
    (values as readonly string[]).includes(value)
  )
    return value as T;
  throw new InputError(
    `Query parameter '${name}' must be one of ${values.join(', ')}`,
  );
}

export type FindingQuery = {
  status?: unknown;
  severity?: unknown;
  framework?: unknown;
  control?: unknown;
  ruleId?: unknown;
  resourceId?: unknown;
  system?: unknown;
  owner?: unknown;
};

const text = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Findings: listing by what a reader asks, and accepting (suppressing) a finding's risk. */
export class FindingService {
  constructor(
    private readonly deps: {
      store: ComplianceStore;
      frameworks: FrameworkService;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
      now?: () => Date;
      /** Told when a finding's status changed (the catalog's Finding entities follow). */
      onChanged?: (tenantId: string) => void;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** The rule ids a framework/control/rule filter allows; undefined for no such filter. */
  private async ruleFilter(
    tenantId: string,
    query: FindingQuery,
  ): Promise<string[] | undefined> {
    const framework = text(query.framework);
    const control = text(query.control);
    const ruleId = text(query.ruleId);
    if (control && !framework)
      throw new InputError(
        "Query parameter 'control' needs 'framework' (a control id belongs to a framework)",
      );
    let ids: string[] | undefined;
    if (framework) {
      // An unknown framework in a filter is bad input, not a missing resource.
      const f = await this.deps.frameworks
        .framework(tenantId, framework)
        .catch(error => {
          throw error instanceof NotFoundError
            ? new InputError(error.message)
            : error;
        });
      if (control && !f.controls.some(c => c.id === control))
        throw new InputError(
          `Framework '${framework}' has no control '${control}'`,
        );
      ids = await this.deps.frameworks.rulesOf(tenantId, framework, control);
    }
    if (ruleId) ids = ids ? ids.filter(id => id === ruleId) : [ruleId];
    return ids;
  }

  async list(
    tenantId: string,
    query: FindingQuery,
    page: { limit: number; after?: string },
  ) {
    const filter = {
      status: oneOf<FindingStatus>(FINDING_STATUSES, query.status, 'status'),
      severity: oneOf<Severity>(SEVERITIES, query.severity, 'severity'),
      ruleIds: await this.ruleFilter(tenantId, query),
      resourceId: text(query.resourceId),
      system: text(query.system),
      owner: text(query.owner),
    };
    await this.deps.store.expireSuppressions(tenantId, this.now());
    return this.deps.store.listFindings(tenantId, filter, page);
  }

  async get(tenantId: string, id: string) {
    await this.deps.store.expireSuppressions(tenantId, this.now());
    return this.deps.store.finding(tenantId, id);
  }

  /** Accepts a finding's risk: a reason, an expiry within a year, the signed-in approver. */
  async suppress(
    tenantId: string,
    id: string,
    body: { reason?: unknown; expiresAt?: unknown },
    approver: string,
  ) {
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    if (!reason)
      throw new InputError(
        "A suppression needs a 'reason': why the risk is accepted",
      );
    if (reason.length > 2000)
      throw new InputError("'reason' is longer than 2000 characters");
    const now = this.now();
    const expires =
      typeof body.expiresAt === 'string' ? new Date(body.expiresAt) : undefined;
    if (!expires || Number.isNaN(expires.getTime()))
      throw new InputError(
        "A suppression needs 'expiresAt', an ISO 8601 date-time: when the risk is looked at again",
      );
    if (expires <= now)
      throw new InputError(`'expiresAt' ${body.expiresAt} is in the past`);
    if (expires.getTime() - now.getTime() > MAX_SUPPRESSION_DAYS * DAY_MS)
      throw new InputError(
        `'expiresAt' is more than ${MAX_SUPPRESSION_DAYS} days away`,
      );
    const suppression = {
      reason,
      expiresAt: expires.toISOString(),
      approver,
      at: now.toISOString(),
    };
    await this.deps.store.suppress(tenantId, id, suppression);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor: approver,
      action: 'compliance.finding.suppressed',
      subject: id,
      details: { reason, expiresAt: suppression.expiresAt },
    });
    this.deps.onChanged?.(tenantId);
    return this.deps.store.finding(tenantId, id);
  }

  async unsuppress(tenantId: string, id: string, actor: string) {
    await this.deps.store.unsuppress(tenantId, id, actor, this.now());
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'compliance.finding.unsuppressed',
      subject: id,
    });
    this.deps.onChanged?.(tenantId);
    return this.deps.store.finding(tenantId, id);
  }
}
