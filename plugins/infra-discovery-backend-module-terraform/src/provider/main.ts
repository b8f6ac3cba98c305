/*
 * The Terraform/OpenTofu state provider: a program speaking the discovery provider protocol
 * (see @infra-hub/plugin-infra-discovery-node). It reads one state file from the source in its
 * settings and prints its assets and relationships.
 *
 * settings: { type: 'file', path } | { type: 'http', url } |
 *           { type: 's3', bucket, key, region, endpoint?, forcePathStyle? }, plus maxBytes?
 * credentials: { token } for http; { accessKeyId, secretAccessKey, sessionToken? } for s3.
 */
import { runProviderProgram } from '@infra-hub/plugin-infra-discovery-node';
import { secretMarkers, stateSecretsAsset } from '../state/secrets';
import { DEFAULT_MAX_STATE_BYTES, readState } from '../state/readState';
import { stateToGraph } from '../state/stateToGraph';
import { describeSource, parseSource, readSource } from './sources';

runProviderProgram(
  async ({ settings, credentials, egress, fingerprintSalt }, say) => {
    const source = parseSource(settings);
    const maxBytes =
      typeof settings.maxBytes === 'number'
        ? settings.maxBytes
        : DEFAULT_MAX_STATE_BYTES;
    say({ type: 'progress', message: `Reading ${describeSource(source)}` });
    const text = await readSource(source, credentials, maxBytes, egress);
    const state = readState(text, { maxBytes });
    const graph = stateToGraph(state);
    // Secrets the state keeps in plain text: where, and their fingerprints, on their assets.
    if (fingerprintSalt) {
      const { listed, outside } = await secretMarkers(
        describeSource(source),
        text,
        state,
        fingerprintSalt,
        graph.assets,
      );
      if (listed)
        say({
          type: 'progress',
          message: `Found ${listed} secret(s) kept in plain text in the state`,
        });
      // What no resource holds (root outputs, tokens outside resources): on the state's asset.
      const stateAsset = stateSecretsAsset(
        describeSource(source),
        outside,
        graph.assets,
      );
      if (stateAsset) {
        graph.assets.push(stateAsset);
        say({
          type: 'progress',
          message: `Found ${outside.length} secret(s) kept outside any resource of the state`,
        });
      }
    }
    say({
      type: 'progress',
      message: `Read ${graph.assets.length} assets and ${graph.edges.length} relationships`,
      done: 0,
      total: graph.assets.length + graph.edges.length,
    });
    for (const warning of graph.warnings)
      say({ type: 'warning', message: warning });
    for (const asset of graph.assets) say({ type: 'asset', asset });
    for (const edge of graph.edges) say({ type: 'edge', edge });
  },
);
