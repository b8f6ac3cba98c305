import {
  createBackendModule,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  assertNoSecretSettings,
  DiscoveryProviderDefinition,
  infraDiscoveryProvidersExtensionPoint,
} from '@infra-hub/plugin-infra-discovery-node';
import path from 'node:path';
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
  command() {
    const dir = resolvePackagePath(
      '@infra-hub/plugin-infra-discovery-backend-module-aws',
    );
    return {
      command: process.execPath,
      args: [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        path.join(dir, 'src/provider/main.ts'),
      ],
      cwd: dir,
    };
  },
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
export const infraDiscoveryModuleAws = createBackendModule({
  pluginId: 'infra-discovery',
  moduleId: 'aws',
  register(reg) {
    reg.registerInit({
      deps: { providers: infraDiscoveryProvidersExtensionPoint },
      async init({ providers }) {
        providers.addProvider(awsDiscoveryProvider);
      },
    });
  },
});
