import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { RISK_LEVELS, RiskLevel } from '@infra-hub/plugin-infra-change-common';
import path from 'node:path';

/** A module whose drift the backend checks itself, with a `terraform`/`tofu` binary. */
export type RefreshTarget = {
  tenantId: string;
  moduleId: string;
  /** `terraform`, `tofu`, or a path to either. */
  binary: string;
  workingDirectory: string;
  /** Environment variables handed to the binary (cloud credentials, TF_VAR_…), by name. */
  passEnv: string[];
  timeoutMs: number;
};

export type ChangeSettings = {
  /** Approvals a change request needs, by its risk. */
  requiredApprovals: Record<RiskLevel, number>;
  /** The largest plan upload accepted, in bytes. */
  maxPlanBytes: number;
  /** How long the analysis of one plan may take before the upload is refused. */
  analysisTimeoutMs: number;
  /** Plans uploaded at start for modules that have none yet (the demo estate). */
  seedPlans: Array<{
    tenantId: string;
    moduleId: string;
    file: string;
    /** The CI run the plan is shown with (`<provider>:<repository>:<runId>`). */
    run?: string;
  }>;
  /** Modules whose drift the backend checks itself, on a schedule. */
  refresh: Array<
    RefreshTarget & { schedule: SchedulerServiceTaskScheduleDefinition }
  >;
};

const DEFAULT_APPROVALS: Record<RiskLevel, number> = {
  none: 1,
  low: 1,
  medium: 1,
  high: 2,
  critical: 2,
};

/** Reads `infra.change` once; a bad value throws naming its key. */
export function readChangeConfig(config: RootConfigService): ChangeSettings {
  const c = config.getOptionalConfig('infra.change');
  const requiredApprovals = { ...DEFAULT_APPROVALS };
  for (const risk of RISK_LEVELS) {
    const key = `requiredApprovals.${risk}`;
    const n = c?.getOptionalNumber(key);
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 1 || n > 10)
      throw new Error(
        `Invalid config at 'infra.change.${key}': a whole number from 1 to 10`,
      );
    requiredApprovals[risk] = n;
  }
  const mb = c?.getOptionalNumber('maxPlanMegabytes') ?? 64;
  if (!(mb > 0 && mb <= 1024))
    throw new Error(
      "Invalid config at 'infra.change.maxPlanMegabytes': from 1 to 1024",
    );
  const analysisSeconds = c?.getOptionalNumber('analysisTimeoutSeconds') ?? 60;
  if (!(analysisSeconds >= 1 && analysisSeconds <= 3600))
    throw new Error(
      "Invalid config at 'infra.change.analysisTimeoutSeconds': from 1 to 3600",
    );
  const seedPlans: ChangeSettings['seedPlans'] = [];
  const seeds = c?.getOptionalConfig('seedPlans');
  for (const tenantId of seeds?.keys() ?? []) {
    const t = seeds!.getConfig(tenantId);
    for (const moduleId of t.keys()) {
      // A path, or { path, run }.
      const value = t.get(moduleId);
      const seed =
        typeof value === 'string' ? undefined : t.getConfig(moduleId);
      const run = seed?.getOptionalString('run');
      seedPlans.push({
        tenantId,
        moduleId,
        file: path.resolve(
          seed ? seed.getString('path') : t.getString(moduleId),
        ),
        ...(run ? { run } : {}),
      });
    }
  }
  const refresh: ChangeSettings['refresh'] = [];
  const runners = c?.getOptionalConfig('refresh');
  for (const tenantId of runners?.keys() ?? []) {
    const t = runners!.getConfig(tenantId);
    for (const moduleId of t.keys()) {
      const r = t.getConfig(moduleId);
      const key = `infra.change.refresh.${tenantId}.${moduleId}`;
      const binary = r.getOptionalString('binary') ?? 'terraform';
      if (!/^(terraform|tofu)$/.test(path.basename(binary)))
        throw new Error(
          `Invalid config at '${key}.binary': terraform or tofu (or a path to one)`,
        );
      refresh.push({
        tenantId,
        moduleId,
        binary,
        workingDirectory: path.resolve(r.getString('workingDirectory')),
        passEnv: r.getOptionalStringArray('passEnv') ?? [],
        timeoutMs: (r.getOptionalNumber('timeoutMinutes') ?? 15) * 60_000,
        schedule: readSchedulerServiceTaskScheduleDefinitionFromConfig(
          r.getConfig('schedule'),
        ),
      });
    }
  }
  return {
    requiredApprovals,
    maxPlanBytes: Math.round(mb * 1024 * 1024),
    analysisTimeoutMs: analysisSeconds * 1000,
    seedPlans,
    refresh,
  };
}
