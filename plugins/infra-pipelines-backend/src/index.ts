/**
 * Infra Hub pipelines backend: runs of GitHub Actions, GitLab CI and Azure DevOps per tenant and
 * entity.
 *
 * @packageDocumentation
 */
export { infraPipelinesPlugin as default } from './plugin';
