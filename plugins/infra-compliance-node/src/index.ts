/**
 * The Infra Hub compliance engine: rule packs (YAML with CEL conditions) evaluated over Terraform
 * code, plans and discovered assets, SARIF output, the `infra-scan` command line, and the secret
 * scanner of Terraform code, tfvars, plans and state (`infra-secrets`).
 *
 * @packageDocumentation
 */
export { FileLineError } from './errors';
export { PackError, parsePack, MAX_PACK_BYTES } from './packs/parse';
export type { ParsedPack } from './packs/parse';
export { compileRuleSet } from './packs/ruleSet';
export type { CompiledRule, RuleSet } from './packs/ruleSet';
export {
  builtInPacksDirectory,
  loadRuleSet,
  packFiles,
  RulePackWatcher,
} from './packs/load';
export type { PackReload } from './packs/load';
export { evaluateResources } from './engine/evaluate';
export type { ScanResource } from './engine/types';
export {
  hclResources,
  HclError,
  HCL_LIMITS,
  parseHclDocument,
  scanDirectory,
} from './inputs/hcl';
export { terraformModuleInterface } from './inputs/module';
export { planResources, planResourcesFromText } from './inputs/plan';
export { scanPath, scanResources, MAX_PLAN_BYTES } from './scan';
export type { ScanReport } from './scan';
export { toSarif } from './sarif';
export type { SarifOptions } from './sarif';
export {
  MAX_CATALOG_BYTES,
  parseOscalCatalog,
  readOscalCatalog,
} from './oscal/catalog';
export type { OscalCatalog } from './oscal/catalog';
export * from './secrets';
