import {
  assertNoSecretSettings,
  createDiscoveryProviderModule,
  DiscoveryProviderDefinition,
  nodeProviderCommand,
} from '@infra-hub/plugin-infra-discovery-node';
import path from 'node:path';
import { parseSource } from './provider/sources';

/**
 * The `terraform` provider kind: Terraform/OpenTofu state (format 4) from a file, an HTTP(S) URL
 * or an S3 backend.
 *
 * @public
 */
export const terraformDiscoveryProvider: DiscoveryProviderDefinition = {
  id: 'terraform',
  title: 'Terraform/OpenTofu state',
  credentialHint:
    'none for a file; {"token","host"} for an HTTP URL (the token is sent as a bearer token, only to that host); {"accessKeyId","secretAccessKey","sessionToken"?} for S3 (the backend host\'s own AWS identity only for sources in app-config, or where infra.discovery.egress.allowHostIdentity allows it)',
  command: () =>
    nodeProviderCommand(
      require.resolve(
        '@infra-hub/plugin-infra-discovery-backend-module-terraform/provider',
      ),
    ),
  validateSettings(settings, origin) {
    assertNoSecretSettings(settings);
    const source = parseSource(settings);
    if (
      settings.maxBytes !== undefined &&
      (typeof settings.maxBytes !== 'number' ||
        !Number.isInteger(settings.maxBytes) ||
        settings.maxBytes < 1)
    ) {
      throw new Error('settings.maxBytes must be a positive whole number');
    }
    if (source.type === 'file') {
      // A path on the backend's host is the operator's business: a tenant admin may not point
      // a source at the server's files (or at another tenant's state).
      if (origin === 'api') {
        throw new Error(
          "settings.type 'file' is only allowed in app-config; use an http or s3 source",
        );
      }
      return { ...settings, path: path.resolve(source.path) };
    }
    return settings;
  },
};

/**
 * Adds the `terraform` provider kind to the infra-discovery plugin.
 *
 * @public
 */
export const infraDiscoveryModuleTerraform = createDiscoveryProviderModule({
  moduleId: 'terraform',
  provider: terraformDiscoveryProvider,
});
