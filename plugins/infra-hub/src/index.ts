/**
 * The Infra Hub page for Backstage: the suite's version and which of its features this portal
 * runs. The default export is the plugin for Backstage's current frontend system; the named
 * `legacyInfraHubPlugin` and `InfraHubPage` serve apps on the legacy system.
 *
 * @packageDocumentation
 */
export {
  infraHubPlugin as default,
  infraHubPlugin,
  infraHubApi,
  infraHubPage,
  legacyInfraHubPlugin,
  InfraHubPage,
} from './plugin';
export { infraHubApiRef, InfraHubClient } from './api';
export type { InfraHubApi } from './api';
