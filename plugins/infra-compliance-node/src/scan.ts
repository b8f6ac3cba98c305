import { RuleResult } from '@infra-hub/plugin-infra-compliance-common';
import { PlanFormatError } from '@infra-hub/plugin-infra-change-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { evaluateResources } from './engine/evaluate';
import { ScanResource } from './engine/types';
import { hclResources, scanDirectory } from './inputs/hcl';
import { planResourcesFromText } from './inputs/plan';
import { RuleSet } from './packs/ruleSet';

/** The largest plan file read, in bytes. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/** What one scan read and found. @public */
export type ScanReport = {
  /** `code` for Terraform files, `plan` for a plan. */
  input: 'code' | 'plan';
  files: number;
  /** For code: the directory the results' locations are relative to. */
  root?: string;
  resources: number;
  results: RuleResult[];
};

/** Evaluates a rule set over resources already read. @public */
export function scanResources(
  ruleSet: RuleSet,
  input: ScanReport['input'],
  files: number,
  resources: ScanResource[],
): ScanReport {
  return {
    input,
    files,
    resources: resources.length,
    results: evaluateResources(ruleSet.rules, resources),
  };
}

/**
 * Scans a directory of Terraform/OpenTofu code, one `.tf` file, or a plan (`terraform show -json`
 * output). Input that cannot be read is an {@link HclError} or a `PlanFormatError` naming why.
 *
 * @public
 */
export async function scanPath(
  ruleSet: RuleSet,
  target: string,
): Promise<ScanReport> {
  const stat = await fs.stat(target);
  if (stat.isDirectory()) {
    const { files, resources } = await scanDirectory(target);
    return {
      ...scanResources(ruleSet, 'code', files, resources),
      root: target,
    };
  }
  if (target.endsWith('.tf') || target.endsWith('.tf.json')) {
    const text = await fs.readFile(target, 'utf8');
    return {
      ...scanResources(
        ruleSet,
        'code',
        1,
        await hclResources(text, path.basename(target)),
      ),
      root: path.dirname(target),
    };
  }
  if (stat.size > MAX_PLAN_BYTES)
    throw new PlanFormatError(`A plan may be at most ${MAX_PLAN_BYTES} bytes`);
  const text = await fs.readFile(target, 'utf8');
  return scanResources(ruleSet, 'plan', 1, planResourcesFromText(text));
}
