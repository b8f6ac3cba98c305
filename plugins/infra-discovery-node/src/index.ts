/**
 * The discovery provider protocol and the runner that keeps each provider in its own process.
 *
 * @packageDocumentation
 */
export { PROTOCOL_VERSION, providerMessageSchema } from './protocol';
export type { ProviderMessage, RunRequest } from './protocol';
export { runProvider, DEFAULT_LIMITS, lastStderrLines } from './runner';
export type { ProviderCommand, RunLimits, RunOutcome } from './runner';
export {
  infraDiscoveryProvidersExtensionPoint,
  assertNoSecretSettings,
  credentialsFromVaultValue,
  nodeProviderCommand,
  createDiscoveryProviderModule,
} from './extensions';
export { runProviderProgram } from './program';
export {
  DEFAULT_EGRESS_POLICY,
  EgressError,
  egressAgents,
  egressGet,
  assertHostAllowed,
  parseNetwork,
  refusedAddress,
} from './egress';
export type { EgressPolicy } from './egress';
export type {
  DiscoveryProviderDefinition,
  InfraDiscoveryProvidersExtensionPoint,
  SettingsOrigin,
} from './extensions';
export { parseArn, policyStatements, resourcesToGraph } from './inference';
export type {
  Arn,
  InferredGraph,
  PolicyStatement,
  ResourceRecord,
} from './inference';
export { parseProviderSettings } from './settings';
export { discoveryChangesFeed } from './feed';
export type { AssetChangesFeed } from './feed';
