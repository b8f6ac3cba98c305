import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  controlsInScope,
  evidenceSealOf,
  evidenceSha256,
  HybridSignature,
  SigningKeyHistory,
  writeComplianceEvidenceBundle,
} from '@infra-hub/plugin-infra-change-common';
import {
  COMPLIANCE_EVIDENCE_MANIFEST_TYPE,
  COMPLIANCE_RULE_RESULTS_TYPE,
  CheckedResource,
  controlStatusOf,
  countResults,
  EvidenceControl,
  EvidenceManifest,
  EvidenceRecord,
  EvidenceSeal,
  Rule,
  RuleResult,
  RuleResultsSnapshot,
} from '@infra-hub/plugin-infra-compliance-common';
import { canonicalJson } from '@infra-hub/plugin-infra-security-common';
import {
  InfraPluginClient,
  InfraSecuritySpine,
} from '@infra-hub/plugin-infra-security-node';
import { EvidenceStore } from '../database/EvidenceStore';
import { TenantFrameworks } from './FrameworkService';

/** What an evaluation hands over for its evidence. */
export type EvaluationOutcome = {
  tenantId: string;
  evaluation: EvidenceManifest['evaluation'];
  rules: Rule[];
  results: RuleResult[];
  /** The assets evaluated, by id (for their names). */
  assets: ReadonlyMap<string, { name?: string }>;
  frameworks: TenantFrameworks;
};

/** Code-unit order (as canonical JSON sorts keys), not the locale's. */
function byResource(a: CheckedResource, b: CheckedResource) {
  if (a.resource === b.resource) return 0;
  return a.resource < b.resource ? -1 : 1;
}

/**
 * The evidence of an evaluation: one snapshot per rule (the rule as evaluated and every resource
 * it checked), and the manifest of every control of the tenant's frameworks with its counts,
 * status and the hashes of the snapshots it rests on.
 */
export function buildEvidence(outcome: EvaluationOutcome): {
  manifest: EvidenceManifest;
  snapshots: Map<string, RuleResultsSnapshot>;
} {
  const resultsOf = new Map<string, CheckedResource[]>();
  for (const r of outcome.results) {
    let list = resultsOf.get(r.ruleId);
    if (!list) resultsOf.set(r.ruleId, (list = []));
    const name = outcome.assets.get(r.address)?.name;
    list.push({
      resource: r.address,
      resourceType: r.resourceType,
      ...(name ? { name } : {}),
      status: r.status,
      ...(r.message ? { message: r.message } : {}),
    });
  }
  const snapshots = new Map<string, RuleResultsSnapshot>();
  const shaOf = new Map<string, string>();
  const controlRules = new Map<string, string[]>();
  for (const rule of outcome.rules) {
    const snapshot: RuleResultsSnapshot = {
      type: COMPLIANCE_RULE_RESULTS_TYPE,
      rule: {
        id: rule.id,
        title: rule.title,
        severity: rule.severity,
        resourceTypes: rule.resourceTypes,
        condition: rule.condition,
        ...(rule.related ? { related: rule.related } : {}),
        remediation: rule.remediation,
        ...(rule.equivalents ? { equivalents: rule.equivalents } : {}),
      },
      results: (resultsOf.get(rule.id) ?? []).sort(byResource),
    };
    const sha = evidenceSha256(snapshot);
    snapshots.set(sha, snapshot);
    shaOf.set(rule.id, sha);
    for (const [framework, ids] of Object.entries(
      outcome.frameworks.controlsOf(rule),
    )) {
      for (const control of ids) {
        const key = `${framework}\u0000${control}`;
        let list = controlRules.get(key);
        if (!list) controlRules.set(key, (list = []));
        list.push(rule.id);
      }
    }
  }
  const controls: EvidenceControl[] = [];
  for (const framework of outcome.frameworks.frameworks) {
    for (const control of framework.controls) {
      const ruleIds = [
        ...new Set(controlRules.get(`${framework.id}\u0000${control.id}`)),
      ].sort();
      const counts = countResults(
        ruleIds.map(id => snapshots.get(shaOf.get(id)!)!),
      );
      controls.push({
        framework: framework.id,
        control: control.id,
        ...(control.title ? { title: control.title } : {}),
        status: controlStatusOf(counts),
        counts,
        rules: ruleIds.map(id => ({ id, sha256: shaOf.get(id)! })),
      });
    }
  }
  return {
    manifest: {
      type: COMPLIANCE_EVIDENCE_MANIFEST_TYPE,
      tenant: outcome.tenantId,
      evaluation: outcome.evaluation,
      frameworks: outcome.frameworks.frameworks.map(f => ({
        id: f.id,
        title: f.title,
        ...(f.version ? { version: f.version } : {}),
      })),
      controls,
    },
    snapshots,
  };
}

/** How the evidence is signed: change control's keys, asked over HTTP (or a test's own). */
export type EvidenceSealer = {
  sign(seal: EvidenceSeal): Promise<HybridSignature>;
  keyHistory(): Promise<SigningKeyHistory>;
};

/** The sealer that asks the change-control plugin of this installation. */
export function changeControlSealer(
  client: Pick<InfraPluginClient, 'request'>,
): EvidenceSealer {
  return {
    sign: seal =>
      client.request<HybridSignature>('/signatures/compliance-evidence', {
        method: 'POST',
        body: seal,
      }),
    keyHistory: () => client.request<SigningKeyHistory>('/signing-keys'),
  };
}

/** Unsealed evidence tried again after each evaluation, at most this many at a time. */
const RESEAL_BATCH = 20;

/**
 * Keeps the evidence of every successful evaluation: the manifest and its snapshots stored,
 * then sealed (signed with ML-DSA-65 and Ed25519 by the installation's keys, through change
 * control). Evidence that could not be sealed is kept with the reason and sealed after a later
 * evaluation, or when someone asks. Bundles are written on download, for a framework or one of
 * its controls, with the key history a verifier needs.
 */
export class EvidenceService {
  constructor(
    private readonly deps: {
      store: EvidenceStore;
      /** None: evidence is kept unsealed (`infra.compliance.evidence.seal: false`). */
      sealer?: EvidenceSealer;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
      logger: LoggerService;
    },
  ) {}

  /** Stores and seals the evidence of a finished evaluation; a failure is logged, not thrown. */
  async collect(outcome: EvaluationOutcome): Promise<void> {
    const { store, logger } = this.deps;
    const { tenantId } = outcome;
    try {
      const { manifest, snapshots } = buildEvidence(outcome);
      const blobs = new Map(
        [...snapshots].map(([sha, s]) => [sha, canonicalJson(s)]),
      );
      const { newSnapshots } = await store.add(
        tenantId,
        {
          evaluationId: manifest.evaluation.id,
          evaluatedAt: new Date(manifest.evaluation.finishedAt),
          ruleSetVersion: manifest.evaluation.ruleSetVersion,
          controls: manifest.controls.length,
          frameworks: manifest.frameworks.map(f => f.id),
          manifest: canonicalJson(manifest),
        },
        blobs,
      );
      logger.debug('kept the evidence of an evaluation', {
        tenantId,
        evaluationId: manifest.evaluation.id,
        controls: manifest.controls.length,
        newSnapshots,
      });
    } catch (error) {
      logger.warn('could not keep the evidence of an evaluation', {
        tenantId,
        evaluationId: outcome.evaluation.id,
        error: String(error),
      });
      return;
    }
    await this.sealPending(tenantId);
  }

  /** Seals the tenant's unsealed evidence, oldest first; stops at the first that fails. */
  async sealPending(tenantId: string): Promise<void> {
    if (!this.deps.sealer) return;
    for (const record of await this.deps.store.unsealed(
      tenantId,
      RESEAL_BATCH,
    )) {
      try {
        await this.sealOne(
          tenantId,
          record.evaluationId,
          'plugin:infra-compliance',
        );
      } catch {
        return;
      }
    }
  }

  /** Seals one evaluation's evidence (if it is not sealed yet); the failure recorded and thrown. */
  private async sealOne(
    tenantId: string,
    evaluationId: string,
    actor: string,
  ): Promise<void> {
    const { store, sealer, spine, logger } = this.deps;
    const stored = await store.get(tenantId, evaluationId);
    if (!stored || stored.sealed) return;
    if (!sealer) {
      throw new ServiceUnavailableError(
        'Evidence sealing is turned off (infra.compliance.evidence.seal)',
      );
    }
    const seal = evidenceSealOf(JSON.parse(stored.manifest));
    let signature: HybridSignature;
    try {
      signature = await sealer.sign(seal);
    } catch (error) {
      const reason = `Change control could not sign the seal: ${String(
        (error as Error).message ?? error,
      ).slice(0, 300)}`;
      await store.sealFailed(tenantId, evaluationId, reason);
      logger.warn('could not seal evidence', {
        tenantId,
        evaluationId,
        error: reason,
      });
      throw new ServiceUnavailableError(reason);
    }
    const done = await store.sealed(
      tenantId,
      evaluationId,
      { keyId: signature.keyId, text: JSON.stringify(signature) },
      new Date(),
    );
    if (done) {
      await spine.recordAudit({
        scope: tenantId,
        actor,
        action: 'compliance.evidence.sealed',
        subject: evaluationId,
        details: {
          keyId: signature.keyId,
          manifestSha256: seal.manifestSha256,
        },
      });
    }
  }

  /** Seals one evaluation's evidence now (someone asked); the record after. */
  async seal(
    tenantId: string,
    evaluationId: string,
    actor: string,
  ): Promise<EvidenceRecord> {
    await this.stored(tenantId, evaluationId);
    await this.sealOne(tenantId, evaluationId, actor);
    const {
      manifest: _m,
      signature: _s,
      ...record
    } = await this.stored(tenantId, evaluationId);
    return record;
  }

  list(tenantId: string, options: { limit: number; before?: Date }) {
    return this.deps.store.list(tenantId, options);
  }

  private async stored(tenantId: string, evaluationId: string) {
    const stored = await this.deps.store.get(tenantId, evaluationId);
    if (!stored) {
      throw new NotFoundError(
        `No evidence of evaluation '${evaluationId}' in this tenant`,
      );
    }
    return stored;
  }

  /**
   * The bundle of one evaluation's evidence (`latest`: the newest sealed one) for a framework,
   * or one of its controls: canonical JSON that `infra-verify` checks offline.
   */
  async bundle(
    tenantId: string,
    evaluationId: string | 'latest',
    scope: { framework: string; control?: string },
  ): Promise<{ evaluationId: string; text: string }> {
    const stored =
      evaluationId === 'latest'
        ? await this.deps.store.latest(tenantId, { sealedOnly: true })
        : await this.stored(tenantId, evaluationId);
    if (!stored) {
      throw new NotFoundError('No sealed evidence in this tenant yet');
    }
    if (!stored.signature) {
      throw new ConflictError(
        `The evidence of evaluation '${stored.evaluationId}' is not sealed yet${
          stored.sealError ? `: ${stored.sealError}` : ''
        }`,
      );
    }
    const manifest = JSON.parse(stored.manifest) as EvidenceManifest;
    if (!manifest.frameworks.some(f => f.id === scope.framework)) {
      throw new InputError(
        `framework '${
          scope.framework
        }' is not in the evidence of this evaluation (it has ${manifest.frameworks
          .map(f => f.id)
          .join(', ')})`,
      );
    }
    const controls = controlsInScope(manifest, scope);
    if (controls.length === 0) {
      throw new InputError(
        `control '${scope.control}' is not a control of framework '${scope.framework}' in this evaluation`,
      );
    }
    const shas = [
      ...new Set(controls.flatMap(c => c.rules.map(r => r.sha256))),
    ];
    const bodies = await this.deps.store.blobs(tenantId, shas);
    const snapshots = new Map(
      [...bodies].map(([sha, body]) => [sha, JSON.parse(body)]),
    );
    const sealer = this.deps.sealer;
    if (!sealer) {
      throw new ServiceUnavailableError(
        'Evidence sealing is turned off (infra.compliance.evidence.seal)',
      );
    }
    let keyHistory: SigningKeyHistory;
    try {
      keyHistory = await sealer.keyHistory();
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cannot read the installation's key history from change control: ${
          (error as Error).message
        }`,
      );
    }
    return {
      evaluationId: stored.evaluationId,
      text: writeComplianceEvidenceBundle(
        {
          scope,
          seal: evidenceSealOf(manifest),
          signature: JSON.parse(stored.signature),
          manifest,
          keyHistory,
        },
        snapshots,
      ),
    };
  }
}
