import { Edge } from '@infra-hub/plugin-infra-discovery-common';
import { ClientConfig, ClientFactory } from '../clients';
import { AwsService, AwsSettings } from '../settings';

/**
 * What the reader of each service family is given for one account: the settings, SDK clients
 * per region, `attempt` (one call counted, its failure a warning), and `add` for each resource
 * found, in the shape Terraform's AWS provider records it.
 */
export type CollectContext = {
  settings: AwsSettings;
  clients: ClientFactory;
  config(region: string): ClientConfig;
  attempt(
    service: AwsService,
    region: string,
    fn: () => Promise<void>,
    operation: string,
  ): Promise<void>;
  add(type: string, attributes: Record<string, unknown>): void;
  /**
   * Relationships AWS states outright (user policy attachments, its own public-bucket verdict);
   * their ends are `<kind>:<arn or name>` until the graph resolves them to asset ids.
   */
  extraEdges: Edge[];
  warnings: string[];
  account: string;
  /** The first configured region: where global services are called. */
  home: string;
};
