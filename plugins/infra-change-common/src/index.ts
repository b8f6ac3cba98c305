/**
 * Infra Hub change control, shared by browser, server and the offline verifier: plan summaries,
 * drift, change requests and their states, ML-DSA-65 signed approvals and evidence bundles, and
 * the verification of compliance evidence (signed with ML-DSA-65 and Ed25519).
 *
 * @packageDocumentation
 */
export * from './types';
export * from './signing';
export * from './records';
export * from './plan';
export * from './complianceEvidence';
