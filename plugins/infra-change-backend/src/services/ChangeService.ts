import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApprovalPayload,
  CHANGE_TRANSITIONS,
  ChangeState,
  CiRunRef,
  ComplianceReportRow,
  EvidenceBundle,
  PlanApproval,
  RiskLevel,
  sealEvidenceBundle,
  sha256Hex,
  SIGNATURE_ALGORITHM,
  SignedApproval,
  VerificationResult,
} from '@infra-hub/plugin-infra-change-common';
import {
  InfraSecuritySpine,
  toCsv,
} from '@infra-hub/plugin-infra-security-node';
import crypto from 'node:crypto';
import {
  ChangeRequest,
  ChangeStore,
  ciRunText,
  Decision,
  parseCiRun,
  StoredPlan,
} from '../database/ChangeStore';
import { ChangeSettings } from '../config';
import { PlanAnalyzer } from './PlanAnalyzer';
import {
  checkPlanCompliance,
  PlanChecker,
  withCompliance,
} from './planCompliance';
import { SigningService } from './SigningService';
import {
  ApprovalCheck,
  approvalCheckKey,
  checkApproval,
  checkDecision,
} from './approvalCheck';
import { VerifierPool } from './VerifierPool';

function signatureStatus(signed: boolean, valid?: boolean) {
  if (!signed) return 'unsigned (rejection)';
  return valid ? 'valid' : 'INVALID';
}

const REPORT_COLUMNS = [
  'change_request',
  'module',
  'risk',
  'state',
  'requester',
  'created_at',
  'required_approvals',
  'plan_sha256',
  'approver',
  'decision',
  'decided_at',
  'key_id',
  'signature',
];

/** The compliance report as CSV: a row per decision (one for a change without any). */
export function reportCsv(rows: ComplianceReportRow[]) {
  return toCsv(
    REPORT_COLUMNS,
    rows.flatMap(r =>
      (r.approvals.length ? r.approvals : [undefined]).map(a => [
        r.id,
        r.module,
        r.risk,
        r.state,
        r.requester,
        r.createdAt,
        r.requiredApprovals,
        r.planHash,
        a?.approver,
        a?.decision,
        a?.decidedAt,
        a?.keyId,
        a?.signature,
      ]),
    ),
  );
}

const MODULE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

const PROVIDER = /^(github|gitlab|azure-devops)$/;

/** A CI run reference of a query or body: `provider`, `repository`, `runId` (and `url`). */
function checkRun(
  run: CiRunRef | undefined,
  name: string,
): CiRunRef | undefined {
  if (!run) return undefined;
  const ok =
    PROVIDER.test(run.provider) &&
    /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~ -]+){1,5}$/.test(run.repository) &&
    /^[A-Za-z0-9._-]{1,100}$/.test(run.runId) &&
    (run.url === undefined ||
      (typeof run.url === 'string' && /^https?:\/\/\S{1,1990}$/.test(run.url)));
  if (!ok) {
    throw new InputError(
      `'${name}' must name a CI run: provider (github, gitlab, azure-devops), repository (owner/repo) and run id`,
    );
  }
  return {
    provider: run.provider,
    repository: run.repository,
    runId: run.runId,
    ...(run.url ? { url: run.url } : {}),
  };
}

/** `?run=<provider>:<repository>:<runId>` of an upload or a plan list. */
export function checkRunQuery(value: unknown): CiRunRef | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = typeof value === 'string' ? parseCiRun(value) : undefined;
  if (!parsed) {
    throw new InputError(
      "Query parameter 'run' must be <provider>:<repository>:<runId>, e.g. github:acme/infra:123",
    );
  }
  return checkRun(parsed, 'run');
}

function checkUpload(upload: {
  moduleId?: unknown;
  kind?: unknown;
  text: unknown;
}) {
  const moduleId = String(upload.moduleId ?? '');
  if (!MODULE.test(moduleId))
    throw new InputError(
      "Query parameter 'module' must be a module name (lowercase letters, digits, . _ -)",
    );
  const kind = String(upload.kind ?? 'plan');
  if (kind !== 'plan' && kind !== 'refresh-only')
    throw new InputError("Query parameter 'kind' must be plan or refresh-only");
  if (typeof upload.text !== 'string' || upload.text.length === 0)
    throw new InputError('The request body must be the plan JSON');
  return { moduleId, kind, text: upload.text } as const;
}

const REGISTRATION_FIELDS = ['system', 'entityRef', 'repository'];

/** The body of a module registration: optional system and entity refs, a repository URL. */
function checkRegistration(body: unknown): {
  system?: string;
  entityRef?: string;
  repository?: string;
} {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new InputError('The request body must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter(k => !REGISTRATION_FIELDS.includes(k));
  if (unknown.length)
    throw new InputError(`Unknown field(s) in the body: ${unknown.join(', ')}`);
  const ref = (field: 'system' | 'entityRef', kind: string) => {
    const v = b[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length > 255)
      throw new InputError(
        `'${field}' must be an entity ref of at most 255 characters`,
      );
    try {
      const parsed = parseEntityRef(v, { defaultKind: kind });
      if (parsed.kind.toLocaleLowerCase('en-US') !== kind)
        throw new Error('kind');
      return stringifyEntityRef(parsed);
    } catch {
      throw new InputError(`'${field}' must be the ref of a ${kind} entity`);
    }
  };
  const repository = b.repository;
  if (
    repository !== undefined &&
    (typeof repository !== 'string' ||
      repository.length > 2000 ||
      !/^(https?|file|ssh):\/\/\S+$/.test(repository))
  )
    throw new InputError(
      "'repository' must be the repository's clone URL (https://, ssh:// or file://)",
    );
  return {
    ...(b.system !== undefined ? { system: ref('system', 'system') } : {}),
    ...(b.entityRef !== undefined
      ? { entityRef: ref('entityRef', 'component') }
      : {}),
    ...(typeof repository === 'string' ? { repository } : {}),
  };
}

/**
 * Plans, drift, change requests and the CAB. Every change of state is recorded in the tenant's
 * audit log.
 */
export class ChangeService {
  constructor(
    private readonly deps: {
      store: ChangeStore;
      signing: SigningService;
      spine: InfraSecuritySpine;
      settings: ChangeSettings;
      analyzer: PlanAnalyzer;
      /** The compliance plugin's plan check; without one, plans are not checked. */
      checkPlan?: PlanChecker;
      /** Told after a tenant's plans or change requests changed (the chat re-indexes them). */
      onChanged?: (tenantId: string) => void;
      /** Verifies approvals in bulk (the report); absent, on the event loop. */
      verifier?: Pick<VerifierPool, 'verifyAll'>;
    },
  ) {}

  /**
   * Analyses and stores an uploaded plan. What the uploader sent (the `module` and `kind` query
   * parameters, the body) is checked here: each refusal is a 400 naming what is wrong, and
   * nothing is stored.
   */
  async uploadPlan(
    tenantId: string,
    upload: {
      moduleId?: unknown;
      kind?: unknown;
      run?: unknown;
      text: unknown;
    },
    actor: string,
  ): Promise<StoredPlan> {
    const input = checkUpload(upload);
    const ciRun = checkRunQuery(upload.run);
    const { store, spine, analyzer } = this.deps;
    // Off the event loop; a plan that is not one is a 400 and nothing is stored.
    const { analysis, ...plan } = await analyzer.analyze(input.text);
    // What the compliance rules say of the changes (a refresh-only plan changes nothing).
    const compliance =
      this.deps.checkPlan && input.kind === 'plan'
        ? await checkPlanCompliance(this.deps.checkPlan, tenantId, input.text)
        : undefined;
    const summary = withCompliance(analysis.summary, compliance);
    const stored = await store.insertPlan({
      tenantId,
      id: crypto.randomUUID(),
      moduleId: input.moduleId,
      kind: input.kind,
      sha256: plan.sha256,
      formatVersion: plan.formatVersion,
      ...(plan.terraformVersion
        ? { terraformVersion: plan.terraformVersion }
        : {}),
      sizeBytes: Buffer.byteLength(input.text),
      risk: summary.risk,
      drifted: analysis.drift.length,
      summary,
      ...(compliance ? { compliance } : {}),
      drift: analysis.drift,
      changes: analysis.changes,
      ...(ciRun ? { ciRun } : {}),
      uploadedBy: actor,
      uploadedAt: new Date(),
    });
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'plan.uploaded',
      subject: stored.id,
      details: {
        module: input.moduleId,
        kind: input.kind,
        sha256: stored.sha256,
        risk: stored.risk,
        drifted: stored.drifted,
        ...(ciRun ? { run: ciRunText(ciRun) } : {}),
      },
    });
    this.deps.onChanged?.(tenantId);
    return stored;
  }

  /**
   * CI's question before apply: is a change request of the tenant with exactly this plan hash
   * approved, by whom, and do the approvals' signatures verify? A plan whose hash changed (a
   * re-plan) matches no approved request and needs a new approval; an applied request is not
   * approved again.
   */
  async approvalFor(
    tenantId: string,
    planSha256: unknown,
  ): Promise<PlanApproval> {
    if (typeof planSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(planSha256)) {
      throw new InputError(
        "Query parameter 'planSha256' must be the plan's SHA-256 (64 lowercase hex digits), as the upload answered it",
      );
    }
    const requests = await this.deps.store.requestsByPlanHash(
      tenantId,
      planSha256,
    );
    const request = requests.find(r => r.state === 'approved') ?? requests[0];
    if (!request) {
      return {
        planSha256,
        approved: false,
        message: `No change request of tenant '${tenantId}' has plan ${planSha256}: upload it, open a change request and have it approved`,
        approvals: [],
      };
    }
    const approvals: PlanApproval['approvals'] = [];
    const verified = await this.checkedApprovals(tenantId, [request]);
    for (const d of request.decisions.filter(
      x => x.decision === 'approve' && x.signed,
    )) {
      approvals.push({
        approver: d.approver,
        approvedAt: d.decidedAt,
        keyId: d.signed!.keyId,
        algorithm: d.signed!.algorithm,
        signatureValid: verified.get(d) === true,
      });
    }
    const valid = approvals.filter(a => a.signatureValid);
    const approved =
      request.state === 'approved' && valid.length >= request.requiredApprovals;
    let message: string;
    if (approved) {
      message = `Change request ${request.id} is approved by ${valid
        .map(a => a.approver)
        .join(', ')}; every signature verifies`;
    } else if (request.state === 'approved') {
      message = `Change request ${request.id} is approved, but only ${valid.length} of ${request.requiredApprovals} approval signatures verify`;
    } else if (request.state === 'applied') {
      message = `Change request ${request.id} was already applied${
        request.appliedRun ? ` by run ${request.appliedRun.runId}` : ''
      }; a new apply needs a new plan and a new approval`;
    } else {
      message = `Change request ${request.id} is ${request.state} (${valid.length} of ${request.requiredApprovals} approvals): not approved`;
    }
    return {
      planSha256,
      approved,
      message,
      changeRequest: {
        id: request.id,
        module: request.moduleId,
        state: request.state,
        risk: request.risk,
        requiredApprovals: request.requiredApprovals,
        ...(request.appliedRun ? { appliedRun: request.appliedRun } : {}),
      },
      approvals,
    };
  }

  /**
   * CI records that it applied a change: only an approved request, only for exactly its plan
   * (the hash the apply used), and the approvals' signatures must verify. The request becomes
   * applied, linked to the run; audited as `change.applied`.
   */
  async recordApplied(
    tenantId: string,
    id: string,
    body: unknown,
    actor: string,
  ): Promise<ChangeRequest> {
    const b = (body ?? {}) as { planSha256?: unknown; run?: unknown };
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      throw new InputError('The request body must be a JSON object');
    }
    const run = checkRun(b.run as CiRunRef, 'run');
    if (!run)
      throw new InputError("'run' is required: the CI run that applied it");
    const request = await this.deps.store.getRequest(tenantId, id);
    if (b.planSha256 !== request.planHash) {
      throw new ConflictError(
        `The applied plan's hash ${String(b.planSha256).slice(
          0,
          64,
        )} is not the approved plan's (${
          request.planHash
        }): a changed plan needs a new change request and approval`,
      );
    }
    const approval = await this.approvalFor(tenantId, request.planHash);
    if (!approval.approved || approval.changeRequest?.id !== id) {
      throw new ConflictError(
        `Change request ${id} may not be recorded as applied: ${approval.message}`,
      );
    }
    const applied = await this.deps.store.setApplied(tenantId, id, run);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'change.applied',
      subject: id,
      details: {
        from: 'approved',
        to: 'applied',
        run: ciRunText(run),
        planSha256: request.planHash,
      },
    });
    this.deps.onChanged?.(tenantId);
    return applied;
  }

  /**
   * Registers a module ahead of its first plan (a golden path's `infra:module:register`): its
   * system, catalog entity and repository. 400 for a body that is not one, 409 for a module
   * registered to another repository; audited as `module.registered`.
   */
  async registerModule(
    tenantId: string,
    moduleId: string,
    body: unknown,
    actor: string,
  ) {
    if (!MODULE.test(moduleId))
      throw new InputError(
        'The module must be a module name (lowercase letters, digits, . _ -)',
      );
    const registration = checkRegistration(body);
    const result = await this.deps.store.registerModule(
      tenantId,
      moduleId,
      registration,
      actor,
      new Date(),
    );
    if (result.created) {
      await this.deps.spine.recordAudit({
        scope: tenantId,
        actor,
        action: 'module.registered',
        subject: moduleId,
        details: { ...registration },
      });
    }
    return result;
  }

  async module(tenantId: string, moduleId: string) {
    const found = await this.deps.store.getModule(tenantId, moduleId);
    if (!found)
      throw new NotFoundError(
        `No module '${moduleId}' in tenant '${tenantId}'`,
      );
    return found;
  }

  // ---- reads ---------------------------------------------------------------------------------

  listPlans(
    tenantId: string,
    options: {
      moduleId?: string;
      run?: unknown;
      limit: number;
      before?: string;
    },
  ) {
    const { run, ...rest } = options;
    const ciRun = checkRunQuery(run);
    return this.deps.store.listPlans(tenantId, {
      ...rest,
      ...(ciRun ? { ciRun } : {}),
    });
  }

  plan(tenantId: string, planId: string) {
    return this.deps.store.getPlanDetail(tenantId, planId);
  }

  /** The latest plan of each module: the drift dashboard. */
  drift(tenantId: string) {
    return this.deps.store.latestPerModule(tenantId);
  }

  listRequests(
    tenantId: string,
    options: { state?: ChangeState; moduleId?: string; limit: number },
  ) {
    return this.deps.store.listRequests(tenantId, options);
  }

  request(tenantId: string, changeId: string) {
    return this.deps.store.getRequest(tenantId, changeId);
  }

  /**
   * Uploads the seed plans of app-config (the demo estate) for modules that have none yet; a
   * seed that cannot be read or analysed is reported to `onError` and skipped.
   */
  async seedPlans(
    seeds: ChangeSettings['seedPlans'],
    readFile: (file: string) => Promise<string>,
    onError: (
      seed: ChangeSettings['seedPlans'][number],
      error: unknown,
    ) => void,
  ): Promise<number> {
    let seeded = 0;
    for (const seed of seeds) {
      const { items } = await this.deps.store.listPlans(seed.tenantId, {
        moduleId: seed.moduleId,
        limit: 1,
      });
      if (items.length) continue;
      try {
        await this.uploadPlan(
          seed.tenantId,
          {
            moduleId: seed.moduleId,
            kind: 'plan',
            ...(seed.run ? { run: seed.run } : {}),
            text: await readFile(seed.file),
          },
          'config:infra.change.seedPlans',
        );
        seeded += 1;
      } catch (error) {
        onError(seed, error);
      }
    }
    return seeded;
  }

  // ---- change requests -----------------------------------------------------------------------

  async createRequest(
    tenantId: string,
    input: { planId: string; rollbackNote: string; submit?: boolean },
    who: {
      /** Who made the request, as the audit log records it (a user, api-key:<id>, a service). */
      actor: string;
      /** The person who answers for it (for a machine key, the user who minted it). */
      requester: string;
    },
  ): Promise<ChangeRequest> {
    const { actor, requester } = who;
    const { store, spine, settings } = this.deps;
    let plan: StoredPlan;
    try {
      plan = await store.getPlan(tenantId, input.planId);
    } catch (e) {
      if ((e as Error).name === NotFoundError.name)
        throw new InputError(
          `planId '${input.planId}' is not a plan of tenant '${tenantId}'`,
        );
      throw e;
    }
    const request = await store.createRequest({
      tenantId,
      id: crypto.randomUUID(),
      moduleId: plan.moduleId,
      planId: plan.id,
      planHash: plan.sha256,
      risk: plan.risk,
      summary: plan.summary,
      requester,
      rollbackNote: input.rollbackNote,
      state: input.submit ? 'pending_approval' : 'draft',
      requiredApprovals: settings.requiredApprovals[plan.risk],
    });
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'change.created',
      subject: request.id,
      details: {
        module: request.moduleId,
        planHash: request.planHash,
        risk: request.risk,
        state: request.state,
        requiredApprovals: request.requiredApprovals,
        requester,
      },
    });
    this.deps.onChanged?.(tenantId);
    return request;
  }

  /** Submit, cancel or mark applied; approval and rejection go through decisions. */
  async transition(
    tenantId: string,
    id: string,
    to: ChangeState,
    actor: string,
  ): Promise<ChangeRequest> {
    const { store, spine } = this.deps;
    const current = await store.getRequest(tenantId, id);
    const via = CHANGE_TRANSITIONS[current.state][to];
    if (!via) {
      throw new ConflictError(
        `A change request that is ${current.state} cannot become ${to}`,
      );
    }
    if (via === 'approve' || via === 'reject') {
      throw new ConflictError(
        `A change request becomes ${to} through approvals, not directly`,
      );
    }
    const next = await store.setState(tenantId, id, current.state, to);
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action: `change.${to === 'pending_approval' ? 'submitted' : to}`,
      subject: id,
      details: { from: current.state, to },
    });
    this.deps.onChanged?.(tenantId);
    return next;
  }

  /**
   * An approval or a rejection. The requester never decides on their own change; an approval is
   * signed (ML-DSA-65, the installation's key from the vault) before anything is stored, and when
   * it cannot be signed nothing is stored and the answer is 503.
   */
  async decide(
    tenantId: string,
    id: string,
    input: { decision: 'approve' | 'reject'; comment: string },
    actor: string,
  ): Promise<ChangeRequest> {
    const { store, signing, spine } = this.deps;
    const request = await store.getRequest(tenantId, id);
    if (request.requester === actor) {
      throw new NotAllowedError(
        'The requester of a change cannot approve or reject it',
      );
    }
    if (request.state !== 'pending_approval') {
      throw new ConflictError(
        `Change request '${id}' is ${request.state}: only a pending request takes decisions`,
      );
    }
    if (request.decisions.some(d => d.approver === actor)) {
      throw new ConflictError(
        `${actor} has already decided on change request '${id}'`,
      );
    }
    const decidedAt = new Date();
    let signed: SignedApproval | undefined;
    if (input.decision === 'approve') {
      const payload: ApprovalPayload = {
        type: 'infra-hub.cab-approval/1',
        changeRequestId: id,
        tenant: tenantId,
        module: request.moduleId,
        risk: request.risk,
        planHash: request.planHash,
        approver: actor,
        approvedAt: decidedAt.toISOString(),
      };
      const signer = await signing.signer(
        actor,
        `approval of change request ${id}`,
      );
      signed = {
        payload,
        algorithm: SIGNATURE_ALGORITHM,
        keyId: signer.keyId,
        signature: await signer.sign(payload),
      };
    }
    const after = await store.decide(tenantId, id, {
      approver: actor,
      decision: input.decision,
      comment: input.comment,
      decidedAt,
      ...(signed ? { signed } : {}),
    });
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action:
        input.decision === 'approve' ? 'change.approved' : 'change.rejected',
      subject: id,
      details: {
        ...(signed ? { keyId: signed.keyId, signature: 'ML-DSA-65' } : {}),
        state: after.state,
      },
    });
    this.deps.onChanged?.(tenantId);
    return after;
  }

  /**
   * Verifies one stored approval: its signature over its payload with the key it names, and
   * that the payload is about this change request as stored (tenant, module, risk, plan hash).
   */
  async verify(
    tenantId: string,
    id: string,
    decisionId: string,
  ): Promise<VerificationResult> {
    const request = await this.deps.store.getRequest(tenantId, id);
    const decision = request.decisions.find(d => d.id === decisionId);
    if (!decision)
      throw new NotFoundError(
        `No decision '${decisionId}' on change request '${id}'`,
      );
    if (!decision.signed) {
      return {
        valid: false,
        checks: [
          { check: 'signed', ok: false, detail: 'a rejection is not signed' },
        ],
      };
    }
    return checkDecision({
      request,
      decision,
      publicKey: await this.deps.signing.publicKey(decision.signed.keyId),
    });
  }

  /** The evidence bundle of an approved (or applied) change, sealed by the installation. */
  async evidence(tenantId: string, id: string, actor: string): Promise<string> {
    const { store, signing, spine } = this.deps;
    const request = await store.getRequest(tenantId, id);
    if (request.state !== 'approved' && request.state !== 'applied') {
      throw new ConflictError(
        `Change request '${id}' is ${request.state}: evidence is sealed for approved changes`,
      );
    }
    // Nothing is sealed that does not verify: an approval altered in the database since it was
    // signed would otherwise be vouched for by the installation's seal.
    const verified = await this.checkedApprovals(tenantId, [request]);
    const failing = request.decisions.filter(
      d => d.signed && verified.get(d) !== true,
    );
    if (failing.length) {
      throw new ConflictError(
        `The approval of ${failing
          .map(d => d.approver)
          .join(
            ', ',
          )} on change request '${id}' does not verify against its signature: the evidence is not sealed`,
      );
    }
    const approvals = request.decisions
      .filter(d => d.signed)
      .map(d => d.signed!);
    const signer = await signing.signer(
      actor,
      `evidence of change request ${id}`,
    );
    const keyHistory = await signing.listKeys();
    for (const a of [...approvals, { keyId: signer.keyId }]) {
      if (!keyHistory.items.some(k => k.keyId === a.keyId))
        throw new ServiceUnavailableError(`Signing key ${a.keyId} is missing`);
    }
    const content: Pick<
      EvidenceBundle,
      'changeRequest' | 'plan' | 'approvals'
    > = {
      changeRequest: {
        id: request.id,
        tenant: tenantId,
        module: request.moduleId,
        state: request.state,
        risk: request.risk,
        requester: request.requester,
        rollbackNote: request.rollbackNote,
        requiredApprovals: request.requiredApprovals,
        createdAt: request.createdAt,
      },
      plan: { sha256: request.planHash, summary: request.summary },
      approvals,
    };
    const text = await sealEvidenceBundle(
      content,
      keyHistory,
      new Date().toISOString(),
      signer,
    );
    await spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'change.evidence-sealed',
      subject: id,
      details: { sha256: sha256Hex(text) },
    });
    return text;
  }

  /**
   * Whether each signed approval of `requests` verifies (its signature over its payload with
   * the key it names, and the payload about its request as stored). Each check is known by a
   * hash of everything it checks: outcomes remembered in the database (by any replica, before
   * any restart) are reused; the rest are verified on the worker pool and remembered. What the
   * compliance report, CI's approval gate and evidence bundles rely on.
   */
  private async checkedApprovals(
    tenantId: string,
    requests: ChangeRequest[],
  ): Promise<Map<Decision, boolean>> {
    const keys = new Map<string, string | undefined>();
    const keyOf = async (keyId: string) => {
      if (!keys.has(keyId))
        keys.set(keyId, await this.deps.signing.publicKey(keyId));
      return keys.get(keyId);
    };
    const checkKeys = new Map<Decision, string>();
    const checks: ApprovalCheck[] = [];
    for (const r of requests) {
      for (const d of r.decisions) {
        if (!d.signed) continue;
        const check = {
          request: r,
          decision: d,
          publicKey: await keyOf(d.signed.keyId),
        };
        checks.push(check);
        checkKeys.set(d, approvalCheckKey(check));
      }
    }
    const outcomes = checks.length
      ? await this.deps.store.verifications(tenantId, [...checkKeys.values()])
      : new Map<string, boolean>();
    const unknown = checks.filter(
      c => !outcomes.has(checkKeys.get(c.decision as Decision)!),
    );
    if (unknown.length) {
      const results = this.deps.verifier
        ? await this.deps.verifier.verifyAll(unknown)
        : unknown.map(checkApproval);
      const fresh = unknown.map((c, i) => ({
        key: checkKeys.get(c.decision as Decision)!,
        valid: results[i],
      }));
      for (const f of fresh) outcomes.set(f.key, f.valid);
      await this.deps.store.rememberVerifications(tenantId, fresh);
    }
    const verified = new Map<Decision, boolean>();
    for (const [d, key] of checkKeys) verified.set(d, outcomes.get(key)!);
    return verified;
  }

  /** Every change request with its approvers, times, risk and signature status. */
  async report(
    tenantId: string,
    options: { limit: number },
  ): Promise<ComplianceReportRow[]> {
    const requests = await this.deps.store.listRequests(tenantId, {
      limit: options.limit,
    });
    const verified = await this.checkedApprovals(tenantId, requests);
    const rows: ComplianceReportRow[] = [];
    for (const r of requests) {
      const approvals = [];
      for (const d of r.decisions) {
        approvals.push({
          approver: d.approver,
          decision: d.decision,
          decidedAt: d.decidedAt,
          keyId: d.signed?.keyId,
          signature: signatureStatus(d.signed !== undefined, verified.get(d)),
        });
      }
      rows.push({
        id: r.id,
        module: r.moduleId,
        risk: r.risk as RiskLevel,
        state: r.state,
        requester: r.requester,
        createdAt: r.createdAt,
        requiredApprovals: r.requiredApprovals,
        planHash: r.planHash,
        approvals,
      });
    }
    return rows;
  }
}
