/**
 * One capability of the Infra Hub suite and the backend plugin that provides it.
 *
 * @public
 */
export interface InfraFeatureDefinition {
  /** Stable identifier, used in the API and in config. */
  id: string;
  title: string;
  description: string;
  /** The backend plugin id whose presence in the backend turns the feature on. */
  pluginId: string;
}

/**
 * The capabilities of the suite, in the order the product brings them. A feature is enabled in a
 * portal when the backend plugin that provides it is installed there.
 *
 * @public
 */
export const INFRA_FEATURES: ReadonlyArray<InfraFeatureDefinition> = [
  {
    id: 'portal',
    title: 'Portal',
    description:
      'The Infra Hub portal itself: this API, the suite page and the demo estate.',
    pluginId: 'infra-hub',
  },
  {
    id: 'security',
    title: 'Security spine',
    description:
      'Tenants, roles, tenant-scoped storage, the audit log, the credential vault and API keys.',
    pluginId: 'infra-security',
  },
  {
    id: 'discovery',
    title: 'Discovery and asset graph',
    description:
      'Cloud and Terraform state discovery, the asset graph and attack paths.',
    pluginId: 'infra-discovery',
  },
  {
    id: 'compliance',
    title: 'Compliance',
    description:
      'Rules, findings mapped to framework controls, posture, evidence and POA&M.',
    pluginId: 'infra-compliance',
  },
  {
    id: 'drift',
    title: 'Drift and change control',
    description:
      'Plan ingestion, drift detection and CAB approvals signed with ML-DSA.',
    pluginId: 'infra-change',
  },
  {
    id: 'golden-paths',
    title: 'Golden paths',
    description:
      'Scaffolder templates and actions for Terraform modules, secret scanning.',
    pluginId: 'infra-golden-paths',
  },
  {
    id: 'pipelines',
    title: 'Pipelines',
    description: 'Pipeline runs and plan summaries per entity.',
    pluginId: 'infra-pipelines',
  },
  {
    id: 'chat',
    title: 'Infra chat',
    description:
      'Questions about the estate answered over the catalog, approvals, drift and findings.',
    pluginId: 'infra-chat',
  },
  {
    id: 'access',
    title: 'Just-in-time access',
    description:
      'Approved, short-lived access to databases and servers with session recording.',
    pluginId: 'infra-access',
  },
];
