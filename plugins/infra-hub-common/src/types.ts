/**
 * A feature of the suite as a running portal reports it.
 *
 * @public
 */
export interface InfraFeatureStatus {
  id: string;
  title: string;
  description: string;
  pluginId: string;
  /** True when the feature's backend plugin is installed in this backend. */
  enabled: boolean;
}

/**
 * What `GET /api/infra-hub/about` answers.
 *
 * @public
 */
export interface InfraHubAbout {
  name: string;
  version: string;
  features: InfraFeatureStatus[];
}
