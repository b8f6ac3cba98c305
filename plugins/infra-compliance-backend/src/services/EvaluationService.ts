import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ControlPosture,
  controlStatusOf,
  Evaluation,
  FrameworkPosture,
  ResultCounts,
  RuleResult,
  zeroCounts,
} from '@infra-hub/plugin-infra-compliance-common';
import { evaluateResources } from '@infra-hub/plugin-infra-compliance-node';
import {
  assetTagNames,
  DiscoveredAsset,
} from '@infra-hub/plugin-infra-discovery-common';
import { AssetChangesFeed } from '@infra-hub/plugin-infra-discovery-node';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import crypto from 'node:crypto';
import {
  ComplianceStore,
  FailingResult,
  PostureRow,
} from '../database/ComplianceStore';
import { EvidenceService } from './EvidenceService';
import { FrameworkService, TenantFrameworks } from './FrameworkService';
import { Rules } from './Rules';

/** Assets read per page of the discovery changes feed (its maximum). */
const FEED_PAGE = 5000;

/** Passed of passed-or-failed, when anything was. */
export function passRate(c: ResultCounts): number | undefined {
  const assessed = c.pass + c.fail;
  return assessed ? Math.round((c.pass / assessed) * 10000) / 10000 : undefined;
}

/** The stable id of a rule failing on an asset of a tenant. */
export function findingId(tenantId: string, ruleId: string, assetId: string) {
  return crypto
    .createHash('sha256')
    .update(`${tenantId}\u0000${ruleId}\u0000${assetId}`)
    .digest('hex')
    .slice(0, 32);
}

type Trigger = Evaluation['trigger'];

/** Result counts per framework and control, and the posture rows by system and owner. */
function aggregate(
  rules: Rules,
  results: RuleResult[],
  assets: Map<string, DiscoveredAsset>,
  tenant: TenantFrameworks,
) {
  const counts = zeroCounts();
  const frameworks = new Map<
    string,
    { counts: ResultCounts; controls: Map<string, ResultCounts> }
  >();
  const rows = new Map<string, PostureRow>();
  for (const r of results) {
    counts[r.status]++;
    const rule = rules.rule(r.ruleId);
    if (!rule) continue;
    const asset = assets.get(r.address);
    const { system = '', owner = '' } = asset
      ? assetTagNames(asset.tags ?? {})
      : {};
    for (const [framework, ids] of Object.entries(tenant.controlsOf(rule))) {
      let f = frameworks.get(framework);
      if (!f)
        frameworks.set(
          framework,
          (f = { counts: zeroCounts(), controls: new Map() }),
        );
      f.counts[r.status]++;
      for (const control of ids) {
        let c = f.controls.get(control);
        if (!c) f.controls.set(control, (c = zeroCounts()));
        c[r.status]++;
        const key = `${framework}\u0000${control}\u0000${system}\u0000${owner}`;
        let row = rows.get(key);
        if (!row)
          rows.set(
            key,
            (row = { framework, control, system, owner, ...zeroCounts() }),
          );
        row[r.status]++;
      }
    }
  }
  const summaries: FrameworkPosture[] = [];
  for (const framework of tenant.frameworks) {
    const f = frameworks.get(framework.id);
    const controls = { passing: 0, failing: 0, notAssessed: 0 };
    for (const control of framework.controls) {
      const status = controlStatusOf(
        f?.controls.get(control.id) ?? zeroCounts(),
      );
      if (status === 'passing') controls.passing++;
      else if (status === 'failing') controls.failing++;
      else controls.notAssessed++;
    }
    const c = f?.counts ?? zeroCounts();
    const rate = passRate(c);
    summaries.push({
      framework: framework.id,
      title: framework.title,
      ...(rate !== undefined ? { passRate: rate } : {}),
      counts: c,
      controls,
    });
  }
  return { counts, frameworks: summaries, posture: [...rows.values()] };
}

/** A group's counts (a system or an owner) on a framework. */
export type GroupPosture = {
  name: string;
  counts: ResultCounts;
  passRate?: number;
};

/** Posture rows' counts summed by control, system or owner. */
export function sumBy(
  rows: PostureRow[],
  key: 'control' | 'system' | 'owner',
): Map<string, ResultCounts> {
  const sums = new Map<string, ResultCounts>();
  for (const row of rows) {
    let c = sums.get(row[key]);
    if (!c) sums.set(row[key], (c = zeroCounts()));
    c.pass += row.pass;
    c.fail += row.fail;
    c.unknown += row.unknown;
    c.error += row.error;
  }
  return sums;
}

function groupBy(rows: PostureRow[], key: 'system' | 'owner') {
  return [...sumBy(rows, key)]
    .map(([name, counts]): GroupPosture => {
      const rate = passRate(counts);
      return {
        name,
        counts,
        ...(rate !== undefined ? { passRate: rate } : {}),
      };
    })
    .sort(
      (a, b) =>
        (a.passRate ?? 1) - (b.passRate ?? 1) || a.name.localeCompare(b.name),
    );
}

/**
 * Evaluates a tenant's discovered assets against the active rules and keeps the findings and
 * the posture: one evaluation per tenant at a time (a change arriving meanwhile runs one more
 * after it), graph changes debounced, every evaluated tenant re-evaluated on a schedule and when
 * the rules change.
 */
export class EvaluationService {
  private readonly running = new Map<
    string,
    { evaluation: Evaluation; done: Promise<Evaluation> }
  >();
  private readonly again = new Map<string, Trigger>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      store: ComplianceStore;
      rules: Rules;
      feed: AssetChangesFeed;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
      logger: LoggerService;
      graphChangeDelayMs: number;
      /** The frameworks of each tenant: the packs' and its own. */
      frameworks: FrameworkService;
      /** Told when an evaluation of a tenant finishes (the page's live update). */
      onFinished?: (evaluation: Evaluation) => void;
      /** Runs after the findings of a successful evaluation are stored (POA&M drafting). */
      onCompleted?: (tenantId: string) => Promise<unknown>;
      /** Keeps (and seals) the evidence of each successful evaluation. */
      evidence?: Pick<EvidenceService, 'collect'>;
    },
  ) {}

  /**
   * Starts an evaluation of the tenant, or returns the one running: the record as it is now
   * (`running`) and a promise of the finished one.
   */
  start(
    tenantId: string,
    trigger: Trigger,
    actor: string,
  ): Promise<{ evaluation: Evaluation; done: Promise<Evaluation> }> {
    const current = this.running.get(tenantId);
    if (current) {
      if (trigger !== 'manual') this.again.set(tenantId, trigger);
      return Promise.resolve(current);
    }
    const evaluation: Evaluation = {
      tenantId,
      id: crypto.randomUUID(),
      status: 'running',
      trigger,
      actor,
      startedAt: new Date().toISOString(),
      ruleSetVersion: this.deps.rules.currentVersion(),
    };
    // The record first, then the work: an evaluation that could not be recorded never runs.
    const recorded = this.deps.store.startEvaluation({
      ...evaluation,
      startedAt: new Date(evaluation.startedAt),
    });
    const done = recorded
      .then(() => this.run(evaluation))
      .finally(() => {
        this.running.delete(tenantId);
        const next = this.again.get(tenantId);
        if (next) {
          this.again.delete(tenantId);
          this.start(tenantId, next, 'evaluation').catch(() => undefined);
        }
      });
    // Callers that do not wait for the end (a manual run, a graph change) still hear of a failure.
    done.catch(error =>
      this.deps.logger.warn('an evaluation could not run', {
        tenantId,
        evaluationId: evaluation.id,
        error: String(error),
      }),
    );
    const entry = { evaluation, done };
    this.running.set(tenantId, entry);
    return recorded.then(() => entry);
  }

  /** An evaluation someone asked for: started (or the running one returned), and audited. */
  async runNow(tenantId: string, actor: string): Promise<Evaluation> {
    const { evaluation } = await this.start(tenantId, 'manual', actor);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'compliance.evaluation.started',
      subject: evaluation.id,
      details: { ruleSetVersion: evaluation.ruleSetVersion },
    });
    return evaluation;
  }

  /** Starts an evaluation and waits for it. */
  async evaluate(tenantId: string, trigger: Trigger, actor: string) {
    return (await this.start(tenantId, trigger, actor)).done;
  }

  /** Evaluates the tenant once its graph has been quiet for the configured delay. */
  graphChanged(tenantId: string) {
    clearTimeout(this.timers.get(tenantId));
    this.timers.set(
      tenantId,
      setTimeout(() => {
        this.timers.delete(tenantId);
        this.start(tenantId, 'graph-changed', 'discovery').catch(error =>
          this.deps.logger.warn('could not start an evaluation', {
            tenantId,
            error: String(error),
          }),
        );
      }, this.deps.graphChangeDelayMs),
    );
  }

  /** Evaluates every tenant evaluated before, one after the other. */
  async reevaluateAll(trigger: Trigger) {
    for (const tenantId of await this.deps.store.evaluatedTenants()) {
      await this.evaluate(tenantId, trigger, trigger);
    }
  }

  /** Stops pending graph-change timers and waits for running evaluations. */
  async stop() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.again.clear();
    await Promise.allSettled([...this.running.values()].map(r => r.done));
  }

  private async readAssets(tenantId: string) {
    const assets = new Map<string, DiscoveredAsset>();
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.feed(tenantId, {
        after,
        includeRemoved: false,
        limit: FEED_PAGE,
      });
      for (const change of page.items)
        if (!change.removed) assets.set(change.id, change.asset);
      if (!page.more || !page.nextAfter) return assets;
      after = page.nextAfter;
    }
  }

  private async run(evaluation: Evaluation): Promise<Evaluation> {
    const { store, rules, logger } = this.deps;
    const { tenantId, id } = evaluation;
    try {
      const assets = await this.readAssets(tenantId);
      const set = rules.current();
      const tenantFrameworks = await this.deps.frameworks.effective(tenantId);
      const results = evaluateResources(
        set.rules,
        [...assets.values()].map(a => ({
          type: a.type,
          address: a.id,
          attributes: a.attributes ?? {},
        })),
      );
      const failing: FailingResult[] = [];
      for (const r of results) {
        if (r.status !== 'fail') continue;
        const rule = rules.rule(r.ruleId)!;
        const asset = assets.get(r.address)!;
        failing.push({
          id: findingId(tenantId, r.ruleId, r.address),
          ruleId: r.ruleId,
          title: rule.title,
          severity: r.severity,
          resourceId: r.address,
          resourceType: r.resourceType,
          resourceName: asset.name,
          ...assetTagNames(asset.tags ?? {}),
          controls: tenantFrameworks.controlsOf(rule),
          ...(r.message ? { message: r.message } : {}),
          remediation: rule.remediation,
        });
      }
      const { counts, frameworks, posture } = aggregate(
        rules,
        results,
        assets,
        tenantFrameworks,
      );
      const at = new Date();
      const outcome = await store.completeEvaluation({
        tenantId,
        evaluationId: id,
        at,
        assets: assets.size,
        summary: { counts, frameworks },
        failing,
        posture,
      });
      const drafted = await this.deps.onCompleted?.(tenantId);
      await this.deps.evidence?.collect({
        tenantId,
        evaluation: {
          id,
          trigger: evaluation.trigger,
          startedAt: evaluation.startedAt,
          finishedAt: at.toISOString(),
          ruleSetVersion: evaluation.ruleSetVersion,
          assets: assets.size,
        },
        rules: set.rules.map(r => r.rule),
        results,
        assets,
        frameworks: tenantFrameworks,
      });
      logger.info('evaluated a tenant', {
        tenantId,
        evaluationId: id,
        trigger: evaluation.trigger,
        assets: assets.size,
        results: results.length,
        ...outcome,
        ...(typeof drafted === 'number' ? { poamDrafted: drafted } : {}),
      });
    } catch (error) {
      const reason = `The evaluation failed: ${String(
        (error as Error).message ?? error,
      ).slice(0, 500)}`;
      logger.warn('an evaluation failed', {
        tenantId,
        evaluationId: id,
        error: String(error),
      });
      await store.failEvaluation(tenantId, id, reason).catch(() => undefined);
    }
    const finished = await store.evaluation(tenantId, id);
    this.deps.onFinished?.(finished);
    return finished;
  }

  list(tenantId: string, limit: number) {
    return this.deps.store.listEvaluations(tenantId, { limit });
  }

  get(tenantId: string, id: string) {
    return this.deps.store.evaluation(tenantId, id);
  }

  /** The frameworks' posture after the latest successful evaluation. */
  async posture(tenantId: string) {
    const [latest] = await this.deps.store.listEvaluations(tenantId, {
      limit: 1,
      succeededOnly: true,
    });
    const counts = await this.deps.store.findingCounts(tenantId);
    return {
      ...(latest
        ? {
            evaluationId: latest.id,
            evaluatedAt: latest.finishedAt,
            ruleSetVersion: latest.ruleSetVersion,
          }
        : {}),
      frameworks: latest?.frameworks ?? [],
      findings: counts,
    };
  }

  /** One framework: each of its controls, and the systems and owners, by the latest evaluation. */
  async frameworkPosture(tenantId: string, frameworkId: string) {
    const framework = await this.deps.frameworks.framework(
      tenantId,
      frameworkId,
    );
    const rows = await this.deps.store.posture(tenantId, frameworkId);
    const byControl = sumBy(rows, 'control');
    const controls: ControlPosture[] = framework.controls.map(control => {
      const counts = byControl.get(control.id) ?? zeroCounts();
      return {
        id: control.id,
        ...(control.title ? { title: control.title } : {}),
        status: controlStatusOf(counts),
        counts,
      };
    });
    return {
      framework: framework.id,
      title: framework.title,
      ...(framework.version ? { version: framework.version } : {}),
      controls,
      systems: groupBy(rows, 'system'),
      owners: groupBy(rows, 'owner'),
    };
  }

  /** A framework's pass rate and counts per successful evaluation, oldest first. */
  async trend(tenantId: string, frameworkId: string, limit: number) {
    await this.deps.frameworks.framework(tenantId, frameworkId);
    const evaluations = await this.deps.store.listEvaluations(tenantId, {
      limit,
      succeededOnly: true,
    });
    return {
      framework: frameworkId,
      points: evaluations
        .reverse()
        .map(e => ({
          e,
          f: e.frameworks?.find(f => f.framework === frameworkId),
        }))
        .filter(({ f }) => f)
        .map(({ e, f }) => ({
          evaluationId: e.id,
          at: e.finishedAt!,
          ...(f!.passRate !== undefined ? { passRate: f!.passRate } : {}),
          counts: f!.counts,
          controls: f!.controls,
        })),
    };
  }
}
