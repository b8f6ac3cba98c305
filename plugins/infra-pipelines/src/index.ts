/**
 * Infra Hub pipelines page and entity tab: runs of GitHub Actions, GitLab CI and Azure DevOps per
 * tenant, module and service. The default export serves Backstage's current frontend system;
 * `legacyInfraPipelinesPlugin`, `InfraPipelinesPage` and `EntityPipelinesContent` serve the
 * legacy one.
 *
 * @packageDocumentation
 */
export {
  infraPipelinesPlugin as default,
  infraPipelinesPlugin,
  infraPipelinesApi,
  infraPipelinesPage,
  infraPipelinesEntityContent,
  legacyInfraPipelinesPlugin,
  InfraPipelinesPage,
} from './plugin';
export {
  EntityPipelinesContent,
  isPipelinesAvailable,
} from './components/EntityPipelinesContent';
export * from './api';
