import { RootInstanceMetadataService } from '@backstage/backend-plugin-api';
import {
  INFRA_FEATURES,
  InfraHubAbout,
} from '@infra-hub/plugin-infra-hub-common';

/**
 * Answers what the suite is: its name, version, and which of its features run in this backend.
 * A feature runs when its backend plugin is installed, which the backend's own instance metadata
 * tells; nothing is configured twice.
 */
export class AboutService {
  constructor(
    private readonly options: {
      version: string;
      instanceMetadata: RootInstanceMetadataService;
    },
  ) {}

  async about(filter: { enabled?: boolean } = {}): Promise<InfraHubAbout> {
    const installed = new Set(
      (await this.options.instanceMetadata.getInstalledPlugins()).map(
        p => p.pluginId,
      ),
    );
    const features = INFRA_FEATURES.map(f => ({
      ...f,
      enabled: installed.has(f.pluginId),
    })).filter(
      f => filter.enabled === undefined || f.enabled === filter.enabled,
    );
    return { name: 'Infra Hub', version: this.options.version, features };
  }
}
