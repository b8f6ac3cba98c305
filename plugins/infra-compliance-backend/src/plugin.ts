import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  COMPLIANCE_FINDINGS_TOPIC,
  complianceEvaluationsChannel,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  OscalCatalog,
  PackReload,
  readOscalCatalog,
  RulePackWatcher,
} from '@infra-hub/plugin-infra-compliance-node';
import {
  GRAPH_CHANGED_TOPIC,
  GraphChange,
} from '@infra-hub/plugin-infra-discovery-common';
import { discoveryChangesFeed } from '@infra-hub/plugin-infra-discovery-node';
import {
  InfraAuthorizer,
  InfraPluginClient,
  infraSecuritySpineServiceRef,
  purgeTenantsOnLifecycle,
} from '@infra-hub/plugin-infra-security-node';
import { readComplianceConfig } from './config';
import { ComplianceStore } from './database/ComplianceStore';
import { EvidenceStore } from './database/EvidenceStore';
import { FrameworkStore } from './database/FrameworkStore';
import { PoamStore } from './database/PoamStore';
import { createRouter } from './router';
import { EvaluationService } from './services/EvaluationService';
import {
  changeControlSealer,
  EvidenceService,
} from './services/EvidenceService';
import { FindingService } from './services/FindingService';
import { FrameworkService } from './services/FrameworkService';
import { OscalService } from './services/OscalService';
import { PlanScanService } from './services/PlanScanService';
import { PoamService } from './services/PoamService';
import { Rules } from './services/Rules';

/**
 * Infra Hub compliance: `/api/infra-compliance`.
 *
 * @public
 */
export const infraCompliancePlugin = createBackendPlugin({
  pluginId: 'infra-compliance',
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
        signals: signalsServiceRef,
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
        signals,
      }) {
        const settings = readComplianceConfig(config);
        const store = await ComplianceStore.create({ database });
        const poamStore = await PoamStore.create({ database });
        const frameworkStore = await FrameworkStore.create({ database });
        const evidenceStore = await EvidenceStore.create({ database });
        await store.failInterrupted(
          'The backend stopped while the evaluation was running',
        );
        await purgeTenantsOnLifecycle({
          pluginId: 'infra-compliance',
          events,
          spine,
          logger,
          purge: async tenantId => ({
            ...(await frameworkStore.purgeTenant(tenantId)),
            ...(await evidenceStore.purgeTenant(tenantId)),
            ...(await poamStore.purgeTenant(tenantId)),
            ...(await store.purgeTenant(tenantId)),
          }),
        });

        // The packs: loaded now (a pack that does not load stops the start, naming file and
        // line), then watched; a later bad edit is refused and the previous rules stay.
        const reloaded: Array<(outcome: PackReload) => void> = [];
        const watcher = new RulePackWatcher(settings.packLocations, outcome =>
          reloaded.forEach(f => f(outcome)),
        );
        // OSCAL catalogs for official control titles; one that cannot be read stops the start.
        const catalogs = new Map<string, OscalCatalog>();
        for (const { name, file } of settings.catalogs) {
          try {
            catalogs.set(name, readOscalCatalog(file));
          } catch (e) {
            throw new Error(
              `Invalid config at 'infra.compliance.catalogs.${name}': ${
                (e as Error).message
              }`,
            );
          }
        }
        const rules = new Rules(watcher, catalogs);
        logger.info('rule packs loaded', {
          rules: watcher.current().rules.length,
          frameworks: watcher.current().frameworks.size,
          version: rules.currentVersion(),
        });

        const poam = new PoamService({ store: poamStore, spine });
        const frameworks = new FrameworkService({
          store: frameworkStore,
          rules,
          spine,
        });
        // The catalog module keeps Finding entities in step with this topic.
        const findingsChanged = (tenantId: string) =>
          events
            .publish({
              topic: COMPLIANCE_FINDINGS_TOPIC,
              eventPayload: { tenantId },
            })
            .catch(error =>
              logger.warn('could not announce changed findings', {
                tenantId,
                error: String(error),
              }),
            );
        // Evidence of each evaluation, sealed by change control's keys (ML-DSA-65 and Ed25519).
        const evidence = new EvidenceService({
          store: evidenceStore,
          ...(settings.sealEvidence
            ? {
                sealer: changeControlSealer(
                  new InfraPluginClient({
                    discovery,
                    auth,
                    pluginId: 'infra-change',
                  }),
                ),
              }
            : {}),
          spine,
          logger: logger.child({ component: 'evidence' }),
        });
        const evaluations = new EvaluationService({
          store,
          rules,
          feed: discoveryChangesFeed({ discovery, auth }),
          spine,
          logger: logger.child({ component: 'evaluation' }),
          graphChangeDelayMs: settings.graphChangeDelayMs,
          frameworks,
          // Every open finding without a POA&M item gets one drafted.
          onCompleted: tenantId => poam.draft(tenantId),
          evidence,
          // A nudge to the browsers watching the tenant; they fetch through the API.
          onFinished: evaluation => {
            signals
              .publish({
                recipients: { type: 'broadcast' },
                channel: complianceEvaluationsChannel(evaluation.tenantId),
                message: {
                  evaluationId: evaluation.id,
                  status: evaluation.status,
                },
              })
              .catch(() => undefined);
            if (evaluation.status === 'succeeded')
              findingsChanged(evaluation.tenantId);
          },
        });
        reloaded.push(outcome => {
          rules.reloaded(outcome);
          if (!outcome.ok) {
            logger.error(
              `A rule pack was refused; the previous rules stay active: ${outcome.error.message}`,
            );
            return;
          }
          logger.info('rule packs reloaded', {
            rules: outcome.rules,
            frameworks: outcome.frameworks,
            version: rules.currentVersion(),
          });
          // The tenants evaluated before are evaluated with the new rules.
          evaluations.reevaluateAll('rules-changed').catch(error =>
            logger.warn('could not re-evaluate after the rules changed', {
              error: String(error),
            }),
          );
        });
        watcher.watch();
        // A tenant's own framework takes effect at once: the tenant is evaluated again.
        frameworks.onChange(tenantId =>
          evaluations
            .start(tenantId, 'rules-changed', 'frameworks')
            .catch(error =>
              logger.warn('could not re-evaluate after a framework changed', {
                tenantId,
                error: String(error),
              }),
            ),
        );
        lifecycle.addShutdownHook(async () => {
          watcher.close();
          await evaluations.stop();
        });

        await events.subscribe({
          id: 'infra-compliance-graph',
          topics: [GRAPH_CHANGED_TOPIC],
          onEvent: async event => {
            const change = event.eventPayload as Partial<GraphChange>;
            if (typeof change.tenantId !== 'string') return;
            // A purged tenant's findings go with the tenant lifecycle event, not here.
            if (change.purged) return;
            evaluations.graphChanged(change.tenantId);
          },
        });
        await scheduler.scheduleTask({
          id: 'infra-compliance:reevaluate',
          frequency: { minutes: settings.reevaluateMinutes },
          timeout: { minutes: 60 },
          initialDelay: { minutes: 1 },
          fn: () => evaluations.reevaluateAll('schedule'),
        });

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            // Refusals are recorded in the tenant's audit log through the security spine.
            authorizer: InfraAuthorizer.withSpine({ permissions, auth, spine }),
            rules,
            evaluations,
            findings: new FindingService({
              store,
              frameworks,
              spine,
              onChanged: findingsChanged,
            }),
            plans: new PlanScanService(rules, spine),
            poam,
            frameworks,
            evidence,
            oscal: new OscalService({
              frameworks,
              findings: store,
              poam: poamStore,
            }),
          }),
        );
      },
    });
  },
});
