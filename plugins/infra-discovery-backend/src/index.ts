/**
 * The Infra Hub discovery backend plugin.
 *
 * @packageDocumentation
 */
export { infraDiscoveryPlugin as default } from './plugin';
export { GraphStore } from './database/GraphStore';
export type {
  StoredAsset,
  ReplaceResult,
  AssetFilter,
} from './database/GraphStore';
export { SourceStore } from './database/SourceStore';
export type { Source, Job } from './database/SourceStore';
export { findAttackPaths } from './services/attackPaths';
export type { AttackPath, PathStep } from './services/attackPaths';
