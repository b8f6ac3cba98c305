export { resourcesToGraph } from './resourcesToGraph';
export type { InferredGraph, ResourceRecord } from './resourcesToGraph';
export { parseArn } from './arn';
export type { Arn } from './arn';
