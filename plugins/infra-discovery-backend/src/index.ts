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
