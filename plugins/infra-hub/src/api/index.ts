export { infraHubApiRef, InfraHubClient } from './InfraHubApi';
export type { InfraHubApi } from './InfraHubApi';
