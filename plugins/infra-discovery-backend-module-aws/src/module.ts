import {
  assertNoSecretSettings,
  createDiscoveryProviderModule,
  DiscoveryProviderDefinition,
  nodeProviderCommand,
} from '@infra-hub/plugin-infra-discovery-node';
import { parseAwsSettings } from './settings';

/**
 * The `aws` provider kind: live discovery through the AWS APIs.
 *
 * @public
 */
export const awsDiscoveryProvider: DiscoveryProviderDefinition = {
  id: 'aws',
  title: 'AWS (live)',
  credentialHint:
    'an access key as JSON {"accessKeyId","secretAccessKey","sessionToken"?} allowed to read the services and to assume the roles in settings.accounts',
  command: () =>
    nodeProviderCommand(
      require.resolve(
        '@infra-hub/plugin-infra-discovery-backend-module-aws/provider',
      ),
    ),
  validateSettings(settings, origin) {
    assertNoSecretSettings(settings);
    // Stored as given (parseAwsSettings fills defaults at run time).
    parseAwsSettings(settings, origin);
    return settings;
  },
};

/**
 * Adds the `aws` provider kind to the infra-discovery plugin.
 *
 * @public
 */
export const infraDiscoveryModuleAws = createDiscoveryProviderModule({
  moduleId: 'aws',
  provider: awsDiscoveryProvider,
});
