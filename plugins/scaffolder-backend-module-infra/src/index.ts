/**
 * Infra Hub's golden paths in the scaffolder: actions that scan generated Terraform for findings
 * and secrets, publish to a plain git remote and register the module with the suite; and a URL
 * reader for the folder remotes.
 *
 * @packageDocumentation
 */
export { scaffolderModuleInfraActions as default } from './module';
export { createInfraScanAction } from './actions/scan';
export { createInfraPublishGitAction } from './actions/publish';
export { createInfraDraftModuleAction } from './actions/draft';
export {
  checkModuleEntity,
  createInfraRegisterModuleAction,
} from './actions/register';
export { infraLocalGitUrlReader, LocalGitUrlReader } from './LocalGitUrlReader';
export { readScaffolderInfraConfig } from './config';
export type { GitRemote, ScaffolderInfraConfig } from './config';
