import { PipelineProvider } from '@infra-hub/plugin-infra-pipelines-common';
import { azureDevOpsAdapter } from './azureDevOps';
import { githubAdapter } from './github';
import { gitlabAdapter } from './gitlab';
import { ProviderAdapter } from './types';

/** The adapters of the CI systems the suite reads. */
export const PROVIDER_ADAPTERS: Record<PipelineProvider, ProviderAdapter> = {
  github: githubAdapter,
  gitlab: gitlabAdapter,
  'azure-devops': azureDevOpsAdapter,
};

export * from './types';
export { RateLimitedError } from './errors';
