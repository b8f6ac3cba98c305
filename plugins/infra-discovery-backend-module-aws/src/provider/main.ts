/*
 * The live AWS provider: a program speaking the discovery provider protocol (see
 * @infra-hub/plugin-infra-discovery-node). It reads the accounts and regions in its settings
 * through the AWS APIs and prints their assets and relationships.
 *
 * settings: see AwsSettings (regions, accounts, services, maxAttempts, endpoint, useHostIdentity).
 * credentials: { accessKeyId, secretAccessKey, sessionToken? } from the vault; without them only
 * a source with useHostIdentity (app-config only) runs, on the host's own AWS identity.
 */
import { runProviderProgram } from '@infra-hub/plugin-infra-discovery-node';
import { AwsKeys, discoverAws } from '../collect';
import { parseAwsSettings } from '../settings';

runProviderProgram(async ({ settings: raw, credentials }, say) => {
  const settings = parseAwsSettings(raw);
  let keys: AwsKeys | undefined;
  if (credentials) {
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new Error(
        'The credential must be JSON with accessKeyId and secretAccessKey (and sessionToken for temporary keys)',
      );
    }
    keys = {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken
        ? { sessionToken: credentials.sessionToken }
        : {}),
    };
  } else if (!settings.useHostIdentity) {
    throw new Error(
      'No credential: give the source a vault credential with an AWS access key, or set useHostIdentity in app-config',
    );
  }
  const graph = await discoverAws(settings, keys, {
    progress: message => say({ type: 'progress', message }),
  });
  say({
    type: 'progress',
    message: `Read ${graph.assets.length} assets and ${graph.edges.length} relationships`,
  });
  for (const warning of graph.warnings)
    say({ type: 'warning', message: warning });
  for (const asset of graph.assets) say({ type: 'asset', asset });
  for (const edge of graph.edges) say({ type: 'edge', edge });
});
