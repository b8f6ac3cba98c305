export { resourcesToGraph } from './resourcesToGraph';
export type { InferredGraph, ResourceRecord } from './resourcesToGraph';
export { parseArn } from './arn';
export { policyStatements } from './common';
export type { PolicyStatement } from './common';
export type { Arn } from './arn';
