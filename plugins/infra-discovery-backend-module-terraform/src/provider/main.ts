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
import { describeOutsideSecret, secretMarkers } from '../state/secrets';
import { DEFAULT_MAX_STATE_BYTES, readState } from '../state/readState';
import { stateToGraph } from '../state/stateToGraph';
import { describeSource, parseSource, readSource } from './sources';

/** How many secrets outside resources a run reports one by one. */
const MAX_OUTSIDE_WARNINGS = 20;

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
      // No asset carries these (root outputs, tokens outside resources): the job reports them.
      for (const f of outside.slice(0, MAX_OUTSIDE_WARNINGS))
        say({ type: 'warning', message: describeOutsideSecret(f) });
      if (outside.length > MAX_OUTSIDE_WARNINGS)
        say({
          type: 'warning',
          message: `${
            outside.length - MAX_OUTSIDE_WARNINGS
          } more secret(s) kept outside any resource (run infra-secrets on the state for all)`,
        });
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
