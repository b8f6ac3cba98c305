import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  InfraAuthorizer,
  InfraPluginClient,
  infraSecuritySpineServiceRef,
  purgeTenantsOnLifecycle,
} from '@infra-hub/plugin-infra-security-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { CHANGE_CONTROL_CHANGED_TOPIC } from '@infra-hub/plugin-infra-change-common';
import fs from 'node:fs/promises';
import { readChangeConfig } from './config';
import { ChangeStore } from './database/ChangeStore';
import { SigningKeyStore } from './database/SigningKeyStore';
import { createRouter } from './router';
import { ChangeService } from './services/ChangeService';
import { VerifierPool } from './services/VerifierPool';
import { PlanAnalyzer } from './services/PlanAnalyzer';
import { RefreshRunner } from './services/RefreshRunner';
import { SigningService } from './services/SigningService';

/**
 * Infra Hub change control: `/api/infra-change`.
 *
 * @public
 */
export const infraChangePlugin = createBackendPlugin({
  pluginId: 'infra-change',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        spine: infraSecuritySpineServiceRef,
        events: eventsServiceRef,
      },
      async init({
        config,
        database,
        discovery,
        auth,
        logger,
        lifecycle,
        scheduler,
        httpAuth,
        httpRouter,
        permissions,
        spine,
        events,
      }) {
        const settings = readChangeConfig(config);
        const store = await ChangeStore.create({ database });
        // A deleted tenant's plans, changes and decisions go with it.
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-change',
          events,
          spine,
          logger,
          purge: tenantId => store.purgeTenant(tenantId),
        });
        const signing = new SigningService(
          await SigningKeyStore.create({ database }),
          spine,
        );
        let warned = false;
        const analyzer = new PlanAnalyzer({
          timeoutMs: settings.analysisTimeoutMs,
          onNoWorker: () => {
            if (!warned)
              logger.warn(
                'The plan worker program is not in this package build: plans are analysed on the event loop',
              );
            warned = true;
          },
        });
        lifecycle.addShutdownHook(() => analyzer.stop());
        // Each uploaded plan is checked by the compliance plugin, as this plugin's service
        // principal; without that plugin the plan is stored with the reason it was not checked.
        const compliance = new InfraPluginClient({
          discovery,
          auth,
          pluginId: 'infra-compliance',
        });
        // Approval signatures of the report, verified on a pool of worker threads.
        const verifier = new VerifierPool();
        lifecycle.addShutdownHook(() => verifier.stop());
        const service = new ChangeService({
          store,
          signing,
          spine,
          settings,
          analyzer,
          verifier,
          checkPlan: (tenantId, text) =>
            compliance.request(
              `/tenants/${encodeURIComponent(tenantId)}/plan-checks`,
              { jsonText: text },
            ),
          // The chat keeps its index of drift and change requests in step with this topic.
          onChanged: tenantId =>
            events
              .publish({
                topic: CHANGE_CONTROL_CHANGED_TOPIC,
                eventPayload: { tenantId },
              })
              .catch(error =>
                logger.warn('could not announce a change', {
                  tenantId,
                  error: String(error),
                }),
              ),
        });
        // Seeded once every plugin serves, so that the compliance check can answer.
        lifecycle.addStartupHook(async () => {
          await service.seedPlans(
            settings.seedPlans,
            file => fs.readFile(file, 'utf8'),
            (seed, error) =>
              logger.warn('could not seed a plan', {
                tenantId: seed.tenantId,
                moduleId: seed.moduleId,
                error: String(error),
              }),
          );
        });
        // Modules whose drift the backend checks itself (once across replicas).
        const refresher = new RefreshRunner(
          service,
          logger.child({ component: 'refresh' }),
        );
        for (const target of settings.refresh) {
          await scheduler.scheduleTask({
            id: `infra-change:refresh:${target.tenantId}:${target.moduleId}`,
            ...target.schedule,
            fn: () => refresher.runScheduled(target),
          });
        }

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            // Refusals are recorded in the tenant's audit log through the security spine.
            authorizer: InfraAuthorizer.withSpine({ permissions, auth, spine }),
            service,
            signing,
            settings,
            spine,
          }),
        );
      },
    });
  },
});
