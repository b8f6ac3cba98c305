import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { GRAPH_CHANGED_TOPIC } from '@infra-hub/plugin-infra-discovery-common';
import { readCatalogInfraConfig } from './config';
import { discoveryChangesFeed } from '@infra-hub/plugin-infra-discovery-node';
import { COMPLIANCE_FINDINGS_TOPIC } from '@infra-hub/plugin-infra-compliance-common';
import { catalogTenantsOf, complianceFindingsFeed, foreignRefs } from './feed';
import {
  InfraFindingEntityProcessor,
  InfraFindingEntityProvider,
} from './findings';
import { InfraAssetEntityProvider } from './InfraAssetEntityProvider';
import { InfraTerraformModuleProcessor } from './terraformModules';

/**
 * Discovered assets in the catalog: Resource entities, Terraform modules as Component entities,
 * relationships as relations; open and suppressed compliance findings as `Finding` entities
 * (kind validated by this module's processor, related to their resource, owner and system);
 * the interface of `terraform-module` Components read from their code (`spec.terraform`). A full
 * sync runs shortly after start and then every
 * `infra.catalog.fullRefreshMinutes`; a run that changed a tenant's graph is applied at once as a
 * delta mutation (events), and deltas are also polled every `deltaRefreshSeconds`.
 *
 * @public
 */
export const catalogModuleInfraAssets = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'infra-assets',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        discovery,
        auth,
        urlReader,
        events,
      }) {
        const settings = readCatalogInfraConfig(config);
        const tenantsOf = catalogTenantsOf({ discovery, auth });
        const provider = new InfraAssetEntityProvider({
          tenants: settings.tenants,
          excludedTypes: settings.excludedTypes,
          feed: discoveryChangesFeed({ discovery, auth }),
          tenantsOf,
          logger: logger.child({ component: 'infra-assets' }),
        });
        catalog.addEntityProvider(provider);
        const findings = new InfraFindingEntityProvider({
          tenants: settings.tenants,
          excludedTypes: settings.excludedTypes,
          feed: complianceFindingsFeed({ discovery, auth }),
          foreignRefs: (refs, tenantId) =>
            foreignRefs(tenantsOf, refs, tenantId),
          logger: logger.child({ component: 'infra-findings' }),
        });
        catalog.addEntityProvider(findings);
        catalog.addProcessor(new InfraFindingEntityProcessor());
        // Terraform modules' interfaces from their code (spec.terraform), for any entity source.
        catalog.addProcessor(
          new InfraTerraformModuleProcessor({
            reader: urlReader,
            logger: logger.child({ component: 'terraform-modules' }),
          }),
        );
        if (settings.tenants.length === 0) {
          logger.info(
            'No tenants under infra.catalog.tenants: discovered assets stay out of the catalog',
          );
          return;
        }
        await scheduler.scheduleTask({
          id: 'catalog-infra-assets:full',
          frequency: { minutes: settings.fullRefreshMinutes },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 15 },
          fn: async () => {
            await provider.fullSync();
          },
        });
        await scheduler.scheduleTask({
          id: 'catalog-infra-assets:delta',
          frequency: { seconds: settings.deltaRefreshSeconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: settings.deltaRefreshSeconds },
          fn: async () => {
            for (const t of settings.tenants)
              await provider.deltaSync(t.tenantId);
          },
        });
        // Findings: a full set shortly after start, on the same schedule as the assets, and
        // whenever the compliance backend says a tenant's findings changed.
        const syncFindings = () =>
          findings.fullSync().catch(error =>
            logger.warn('could not apply compliance findings to the catalog', {
              error: String(error),
            }),
          );
        await scheduler.scheduleTask({
          id: 'catalog-infra-findings:full',
          frequency: { minutes: settings.fullRefreshMinutes },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 20 },
          fn: syncFindings,
        });
        await events.subscribe({
          id: 'catalog-infra-findings',
          topics: [COMPLIANCE_FINDINGS_TOPIC],
          onEvent: syncFindings,
        });
        await events.subscribe({
          id: 'catalog-infra-assets',
          topics: [GRAPH_CHANGED_TOPIC],
          onEvent: async event => {
            const { tenantId, purged } = event.eventPayload as {
              tenantId?: string;
              purged?: boolean;
            };
            if (typeof tenantId !== 'string') return;
            try {
              // A deleted tenant's assets are gone from the graph outright: publish anew.
              if (purged) await provider.fullSync();
              else await provider.deltaSync(tenantId);
            } catch (error) {
              logger.warn('could not apply asset changes to the catalog', {
                tenantId,
                error: String(error),
              });
            }
          },
        });
      },
    });
  },
});
