import { RootConfigService } from '@backstage/backend-plugin-api';
import { RISK_LEVELS, RiskLevel } from '@infra-hub/plugin-infra-change-common';
import path from 'node:path';

export type ChangeSettings = {
  /** Approvals a change request needs, by its risk. */
  requiredApprovals: Record<RiskLevel, number>;
  /** The largest plan upload accepted, in bytes. */
  maxPlanBytes: number;
  /** Plans uploaded at start for modules that have none yet (the demo estate). */
  seedPlans: Array<{ tenantId: string; moduleId: string; file: string }>;
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
  const seedPlans: ChangeSettings['seedPlans'] = [];
  const seeds = c?.getOptionalConfig('seedPlans');
  for (const tenantId of seeds?.keys() ?? []) {
    const t = seeds!.getConfig(tenantId);
    for (const moduleId of t.keys()) {
      seedPlans.push({
        tenantId,
        moduleId,
        file: path.resolve(t.getString(moduleId)),
      });
    }
  }
  return {
    requiredApprovals,
    maxPlanBytes: Math.round(mb * 1024 * 1024),
    seedPlans,
  };
}
