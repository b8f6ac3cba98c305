/**
 * The Infra Hub discovery backend. So far: the asset graph store. The plugin (sources, jobs,
 * attack paths and the API) is being built on it.
 *
 * @packageDocumentation
 */
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
