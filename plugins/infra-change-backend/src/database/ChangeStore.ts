import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ChangeRequest,
  ChangeState,
  CiRunRef,
  Decision,
  PlanDetail,
  PlanRecord,
  SignedApproval,
  SIGNATURE_ALGORITHM,
} from '@infra-hub/plugin-infra-change-common';
import {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { CHANGE_MIGRATIONS } from './migrations';
import { Knex } from 'knex';
import crypto from 'node:crypto';

const MODULES = 'infra_change_modules';
const PLANS = 'infra_change_plans';
const REQUESTS = 'infra_change_requests';
const DECISIONS = 'infra_change_decisions';
const VERIFICATIONS = 'infra_change_verifications';

export type StoredPlan = PlanRecord;

/** A module of a tenant: named by its first plan or registered by a golden path. */
export type ModuleRecord = {
  id: string;
  createdBy: string;
  createdAt: string;
  system?: string;
  entityRef?: string;
  repository?: string;
  registeredBy?: string;
  registeredAt?: string;
};

const iso = (v: unknown) => new Date(v as string | Date).toISOString();

function toModule(r: any): ModuleRecord {
  return {
    id: r.id,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    ...(r.system ? { system: r.system } : {}),
    ...(r.entity_ref ? { entityRef: r.entity_ref } : {}),
    ...(r.repository ? { repository: r.repository } : {}),
    ...(r.registered_by ? { registeredBy: r.registered_by } : {}),
    ...(r.registered_at ? { registeredAt: iso(r.registered_at) } : {}),
  };
}
export type { PlanDetail, Decision, ChangeRequest };

/** `provider:repository:runId` (the repository may hold colons) as a run reference. */
export function parseCiRun(text: string): CiRunRef | undefined {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first <= 0 || last <= first + 1 || last === text.length - 1) {
    return undefined;
  }
  return {
    provider: text.slice(0, first),
    repository: text.slice(first + 1, last),
    runId: text.slice(last + 1),
  };
}

export const ciRunText = (run: CiRunRef) =>
  `${run.provider}:${run.repository}:${run.runId}`;

function toPlan(r: any): StoredPlan {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    moduleId: r.module_id,
    kind: r.kind,
    sha256: r.sha256,
    formatVersion: r.format_version,
    ...(r.terraform_version ? { terraformVersion: r.terraform_version } : {}),
    sizeBytes: Number(r.size_bytes),
    risk: r.risk,
    drifted: r.drifted,
    summary: JSON.parse(r.summary),
    ...(r.compliance ? { compliance: JSON.parse(r.compliance) } : {}),
    ...(r.ci_run ? { ciRun: parseCiRun(r.ci_run) } : {}),
    uploadedBy: r.uploaded_by,
    uploadedAt: toIso(r.uploaded_at),
  };
}

function toDecision(r: any): Decision {
  return {
    id: r.id,
    approver: r.approver,
    decision: r.decision,
    comment: r.comment,
    decidedAt: toIso(r.decided_at),
    ...(r.payload
      ? {
          signed: {
            payload: JSON.parse(r.payload),
            algorithm: SIGNATURE_ALGORITHM,
            keyId: r.key_id,
            signature: r.signature,
          },
        }
      : {}),
  };
}

function toRequest(r: any, decisions: any[]): ChangeRequest {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    moduleId: r.module_id,
    planId: r.plan_id,
    planHash: r.plan_hash,
    risk: r.risk,
    summary: JSON.parse(r.summary),
    requester: r.requester,
    rollbackNote: r.rollback_note,
    state: r.state,
    requiredApprovals: r.required_approvals,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    decisions: decisions.map(toDecision),
    ...(r.applied_run ? { appliedRun: JSON.parse(r.applied_run) } : {}),
  };
}

/** Modules, plans, change requests and decisions, per tenant. */
export class ChangeStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new ChangeStore(
      await migratedClient({ ...options, ...CHANGE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  /** Deletes every module, plan, change request and decision of a tenant; returns the counts. */
  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const decisions = await s.table(DECISIONS).delete();
      const changeRequests = await s.table(REQUESTS).delete();
      const plans = await s.table(PLANS).delete();
      const modules = await s.table(MODULES).delete();
      const verifications = await s.table(VERIFICATIONS).delete();
      return { modules, plans, changeRequests, decisions, verifications };
    });
  }

  /**
   * Stores a plan, and its module when the tenant has none of that name yet, in one
   * transaction: a module is named per tenant, and no upload that fails claims a name.
   */
  async insertPlan(
    plan: Omit<PlanDetail, 'uploadedAt'> & { uploadedAt: Date },
  ): Promise<StoredPlan> {
    await this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, plan.tenantId);
      await scope
        .insert(MODULES, {
          id: plan.moduleId,
          created_by: plan.uploadedBy,
          created_at: plan.uploadedAt,
        })
        .onConflict(['tenant_id', 'id'])
        .ignore();
      await scope.insert(PLANS, {
        id: plan.id,
        module_id: plan.moduleId,
        kind: plan.kind,
        sha256: plan.sha256,
        format_version: plan.formatVersion,
        terraform_version: plan.terraformVersion ?? null,
        size_bytes: plan.sizeBytes,
        risk: plan.risk,
        drifted: plan.drifted,
        summary: JSON.stringify(plan.summary),
        drift: JSON.stringify(plan.drift),
        changes: JSON.stringify(plan.changes),
        compliance: plan.compliance ? JSON.stringify(plan.compliance) : null,
        ci_run: plan.ciRun ? ciRunText(plan.ciRun) : null,
        uploaded_by: plan.uploadedBy,
        uploaded_at: plan.uploadedAt,
      });
    });
    return this.getPlan(plan.tenantId, plan.id);
  }

  async getPlan(tenantId: string, id: string): Promise<StoredPlan> {
    return toPlan(await this.planRow(tenantId, id));
  }

  async getPlanDetail(tenantId: string, id: string): Promise<PlanDetail> {
    const row = await this.planRow(tenantId, id);
    return {
      ...toPlan(row),
      drift: JSON.parse(row.drift),
      changes: JSON.parse(row.changes),
    };
  }

  private async planRow(tenantId: string, id: string) {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(PLANS)
      .where({ id })
      .first();
    if (!row)
      throw new NotFoundError(`No plan '${id}' in tenant '${tenantId}'`);
    return row;
  }

  /** A module's registration, or undefined when the tenant has no module of that name. */
  async getModule(
    tenantId: string,
    id: string,
  ): Promise<ModuleRecord | undefined> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(MODULES)
      .where({ id })
      .first();
    return row ? toModule(row) : undefined;
  }

  /**
   * Registers a module ahead of its first plan, or records the registration of one that has
   * plans already. A module registered to another repository is refused (409); registering it
   * again to the same repository changes nothing and returns it.
   */
  async registerModule(
    tenantId: string,
    id: string,
    registration: {
      system?: string;
      entityRef?: string;
      repository?: string;
    },
    actor: string,
    at: Date,
  ): Promise<{ module: ModuleRecord; created: boolean }> {
    return this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      await scope
        .insert(MODULES, { id, created_by: actor, created_at: at })
        .onConflict(['tenant_id', 'id'])
        .ignore();
      // Only a module not registered yet takes the registration (two racing registrations:
      // one updates, the other sees it registered).
      const updated = await scope
        .table(MODULES)
        .where({ id })
        .whereNull('registered_at')
        .update({
          system: registration.system ?? null,
          entity_ref: registration.entityRef ?? null,
          repository: registration.repository ?? null,
          registered_by: actor,
          registered_at: at,
        });
      const module = toModule(await scope.table(MODULES).where({ id }).first());
      if (!updated && module.repository !== registration.repository) {
        throw new ConflictError(
          `Module '${id}' of tenant '${tenantId}' is registered to another repository`,
        );
      }
      return { module, created: updated > 0 };
    });
  }

  /** Plans newest first, of one module or all, keyset-paged on the upload time. */
  async listPlans(
    tenantId: string,
    options: {
      moduleId?: string;
      ciRun?: CiRunRef;
      limit: number;
      before?: string;
    },
  ): Promise<{ items: StoredPlan[]; nextBefore?: string }> {
    let q = TenantScope.of(this.knex, tenantId)
      .table(PLANS)
      .select(
        'tenant_id',
        'id',
        'module_id',
        'kind',
        'sha256',
        'format_version',
        'terraform_version',
        'size_bytes',
        'risk',
        'drifted',
        'summary',
        'ci_run',
        'uploaded_by',
        'uploaded_at',
      );
    if (options.moduleId) q = q.where({ module_id: options.moduleId });
    if (options.ciRun) q = q.where({ ci_run: ciRunText(options.ciRun) });
    if (options.before) {
      const [at, id] = decodeCursor(options.before, ['number', 'string']);
      q = q.whereRaw('(uploaded_at, id) < (?, ?)', [new Date(at), id]);
    }
    const rows = await q
      .orderBy([
        { column: 'uploaded_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit + 1);
    const items = rows.slice(0, options.limit).map(toPlan);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > options.limit
        ? { nextBefore: encodeCursor(Date.parse(last.uploadedAt), last.id) }
        : {}),
    };
  }

  /** The latest plan of each module of the tenant: the drift dashboard. */
  async latestPerModule(tenantId: string): Promise<StoredPlan[]> {
    const scope = TenantScope.of(this.knex, tenantId);
    const modules: string[] = (
      await scope.table(MODULES).select('id').orderBy('id')
    ).map((r: { id: string }) => r.id);
    const out: StoredPlan[] = [];
    for (const moduleId of modules) {
      const { items } = await this.listPlans(tenantId, { moduleId, limit: 1 });
      if (items[0]) out.push(items[0]);
    }
    return out;
  }

  async createRequest(
    request: Omit<ChangeRequest, 'decisions' | 'createdAt' | 'updatedAt'>,
  ): Promise<ChangeRequest> {
    const now = new Date();
    await TenantScope.of(this.knex, request.tenantId).insert(REQUESTS, {
      id: request.id,
      module_id: request.moduleId,
      plan_id: request.planId,
      plan_hash: request.planHash,
      risk: request.risk,
      summary: JSON.stringify(request.summary),
      requester: request.requester,
      rollback_note: request.rollbackNote,
      state: request.state,
      required_approvals: request.requiredApprovals,
      created_at: now,
      updated_at: now,
    });
    return this.getRequest(request.tenantId, request.id);
  }

  async getRequest(tenantId: string, id: string): Promise<ChangeRequest> {
    const scope = TenantScope.of(this.knex, tenantId);
    const r = await scope.table(REQUESTS).where({ id }).first();
    if (!r)
      throw new NotFoundError(
        `No change request '${id}' in tenant '${tenantId}'`,
      );
    const decisions = await scope
      .table(DECISIONS)
      .where({ change_request_id: id })
      .orderBy([{ column: 'decided_at' }, { column: 'id' }]);
    return toRequest(r, decisions);
  }

  async listRequests(
    tenantId: string,
    options: { state?: ChangeState; moduleId?: string; limit: number },
  ): Promise<ChangeRequest[]> {
    const scope = TenantScope.of(this.knex, tenantId);
    let q = scope.table(REQUESTS);
    if (options.state) q = q.where({ state: options.state });
    if (options.moduleId) q = q.where({ module_id: options.moduleId });
    const rows = await q
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(options.limit);
    // The decisions of the whole page, a few queries rather than one per request.
    const byRequest = new Map<string, any[]>();
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r: { id: string }) => r.id);
      const decisions = await scope
        .table(DECISIONS)
        .whereIn('change_request_id', ids)
        .orderBy([{ column: 'decided_at' }, { column: 'id' }]);
      for (const d of decisions) {
        byRequest.set(d.change_request_id, [
          ...(byRequest.get(d.change_request_id) ?? []),
          d,
        ]);
      }
    }
    return rows.map((r: any) => toRequest(r, byRequest.get(r.id) ?? []));
  }

  /** Remembered outcomes of approval checks of the tenant, by check key. */
  async verifications(
    tenantId: string,
    keys: string[],
  ): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await TenantScope.of(this.knex, tenantId)
        .table(VERIFICATIONS)
        .whereIn('check_key', keys.slice(i, i + 500))
        .select('check_key', 'valid');
      for (const r of rows) out.set(r.check_key, Boolean(r.valid));
    }
    return out;
  }

  /** Remembers outcomes of approval checks (a key already remembered keeps its outcome). */
  async rememberVerifications(
    tenantId: string,
    outcomes: Array<{ key: string; valid: boolean }>,
  ) {
    const now = new Date();
    for (let i = 0; i < outcomes.length; i += 500) {
      await TenantScope.of(this.knex, tenantId)
        .insert(
          VERIFICATIONS,
          outcomes.slice(i, i + 500).map(o => ({
            check_key: o.key,
            valid: o.valid,
            checked_at: now,
          })),
        )
        .onConflict(['tenant_id', 'check_key'])
        .ignore();
    }
  }

  /** The tenant's change requests of exactly this plan hash, newest first. */
  async requestsByPlanHash(
    tenantId: string,
    planHash: string,
  ): Promise<ChangeRequest[]> {
    const scope = TenantScope.of(this.knex, tenantId);
    const rows = await scope
      .table(REQUESTS)
      .where({ plan_hash: planHash })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(20);
    const out: ChangeRequest[] = [];
    for (const r of rows) {
      const decisions = await scope
        .table(DECISIONS)
        .where({ change_request_id: r.id })
        .orderBy([{ column: 'decided_at' }, { column: 'id' }]);
      out.push(toRequest(r, decisions));
    }
    return out;
  }

  /** Marks an approved request applied by a CI run; refused when it is no longer approved. */
  async setApplied(
    tenantId: string,
    id: string,
    run: CiRunRef,
  ): Promise<ChangeRequest> {
    const updated = await TenantScope.of(this.knex, tenantId)
      .table(REQUESTS)
      .where({ id, state: 'approved' })
      .update({
        state: 'applied',
        applied_run: JSON.stringify(run),
        updated_at: new Date(),
      });
    if (!updated) {
      const now = await this.getRequest(tenantId, id);
      throw new ConflictError(
        `Change request '${id}' is ${now.state}, not approved`,
      );
    }
    return this.getRequest(tenantId, id);
  }

  /** Moves a request from one state to another; refused when it is no longer in `from`. */
  async setState(
    tenantId: string,
    id: string,
    from: ChangeState,
    to: ChangeState,
  ): Promise<ChangeRequest> {
    const updated = await TenantScope.of(this.knex, tenantId)
      .table(REQUESTS)
      .where({ id, state: from })
      .update({ state: to, updated_at: new Date() });
    if (!updated) {
      const now = await this.getRequest(tenantId, id);
      throw new ConflictError(
        `Change request '${id}' is ${now.state}, not ${from}`,
      );
    }
    return this.getRequest(tenantId, id);
  }

  /**
   * Records a decision, and moves the request on when it completes it: a rejection rejects, the
   * last required approval approves. One transaction, with the request row locked on
   * PostgreSQL, so that two approvals racing for the last slot cannot both count, and a decision
   * on a request that is no longer pending is refused.
   */
  async decide(
    tenantId: string,
    id: string,
    decision: {
      approver: string;
      decision: 'approve' | 'reject';
      comment: string;
      decidedAt: Date;
      signed?: SignedApproval;
    },
  ): Promise<ChangeRequest> {
    await this.knex.transaction(async trx => {
      const scope = TenantScope.of(trx, tenantId);
      let q = scope.table(REQUESTS).where({ id });
      if (trx.client.config.client === 'pg') q = q.forUpdate();
      const request = await q.first();
      if (!request)
        throw new NotFoundError(
          `No change request '${id}' in tenant '${tenantId}'`,
        );
      if (request.state !== 'pending_approval') {
        throw new ConflictError(
          `Change request '${id}' is ${request.state}: only a pending request takes decisions`,
        );
      }
      if (
        await scope
          .table(DECISIONS)
          .where({ change_request_id: id, approver: decision.approver })
          .first()
      ) {
        throw new ConflictError(
          `${decision.approver} has already decided on change request '${id}'`,
        );
      }
      try {
        await scope.insert(DECISIONS, {
          id: crypto.randomUUID(),
          change_request_id: id,
          approver: decision.approver,
          decision: decision.decision,
          comment: decision.comment,
          decided_at: decision.decidedAt,
          payload: decision.signed
            ? JSON.stringify(decision.signed.payload)
            : null,
          signature: decision.signed?.signature ?? null,
          key_id: decision.signed?.keyId ?? null,
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw new ConflictError(
            `${decision.approver} has already decided on change request '${id}'`,
          );
        }
        throw e;
      }
      let next: ChangeState | undefined;
      if (decision.decision === 'reject') next = 'rejected';
      else {
        const [{ n }] = await scope
          .table(DECISIONS)
          .where({ change_request_id: id, decision: 'approve' })
          .count({ n: '*' });
        if (Number(n) >= request.required_approvals) next = 'approved';
      }
      await scope
        .table(REQUESTS)
        .where({ id })
        .update({
          ...(next ? { state: next } : {}),
          updated_at: new Date(),
        });
    });
    return this.getRequest(tenantId, id);
  }
}
