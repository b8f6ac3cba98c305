/**
 * Terraform/OpenTofu state discovery for Infra Hub: reading state files (format version 4) and
 * turning them into assets and typed relationships.
 *
 * @packageDocumentation
 */
export {
  readState,
  StateFormatError,
  DEFAULT_MAX_STATE_BYTES,
} from './state/readState';
export type { StateV4 } from './state/readState';
export { stateToGraph, providerName } from './state/stateToGraph';
export type { StateGraph } from './state/stateToGraph';
export {
  infraDiscoveryModuleTerraform as default,
  terraformDiscoveryProvider,
} from './module';
