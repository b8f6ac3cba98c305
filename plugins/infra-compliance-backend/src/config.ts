import { RootConfigService } from '@backstage/backend-plugin-api';
import { builtInPacksDirectory } from '@infra-hub/plugin-infra-compliance-node';
import path from 'node:path';

export type ComplianceSettings = {
  /** Where the rules come from: the shipped packs (unless turned off), then configured ones. */
  packLocations: string[];
  /** OSCAL catalogs by name (a framework's `catalog`), as files. */
  catalogs: Array<{ name: string; file: string }>;
  reevaluateMinutes: number;
  graphChangeDelayMs: number;
  /** Have change control sign each evaluation's evidence. */
  sealEvidence: boolean;
};

function number(
  value: number | undefined,
  key: string,
  fallback: number,
  range: [number, number],
) {
  const n = value ?? fallback;
  if (!Number.isFinite(n) || n < range[0] || n > range[1])
    throw new Error(
      `Invalid config at 'infra.compliance.${key}': from ${range[0]} to ${range[1]}`,
    );
  return n;
}

/** Reads `infra.compliance` once; a bad value throws naming its key. */
export function readComplianceConfig(
  config: RootConfigService,
): ComplianceSettings {
  const c = config.getOptionalConfig('infra.compliance');
  const packLocations: string[] = [];
  if (c?.getOptionalBoolean('builtInPacks') ?? true)
    packLocations.push(builtInPacksDirectory());
  const packs = c?.getOptionalConfig('packs');
  for (const name of packs?.keys() ?? [])
    packLocations.push(path.resolve(packs!.getString(name)));
  if (packLocations.length === 0)
    throw new Error(
      "Invalid config at 'infra.compliance.packs': with builtInPacks false, name at least one pack",
    );
  const catalogs = c?.getOptionalConfig('catalogs');
  return {
    packLocations,
    catalogs: (catalogs?.keys() ?? []).map(name => ({
      name,
      file: path.resolve(catalogs!.getString(name)),
    })),
    reevaluateMinutes: number(
      c?.getOptionalNumber('reevaluateMinutes'),
      'reevaluateMinutes',
      360,
      [5, 7 * 24 * 60],
    ),
    graphChangeDelayMs:
      number(
        c?.getOptionalNumber('graphChangeDelaySeconds'),
        'graphChangeDelaySeconds',
        5,
        [0, 600],
      ) * 1000,
    sealEvidence: c?.getOptionalBoolean('evidence.seal') ?? true,
  };
}
