/**
 * Infra Hub change control, shared by browser, server and the offline verifier: plan summaries,
 * drift, change requests and their states, ML-DSA-65 signed approvals and evidence bundles.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './signing';
export * from './records';
export * from './plan';
