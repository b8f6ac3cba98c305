import crypto from 'node:crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { infraSecurityPermissions } from '@infra-hub/plugin-infra-security-common';
import {
  INFRA_TENANT_TOPIC,
  InfraAuthorizer,
  infraSecuritySpineServiceRef,
} from '@infra-hub/plugin-infra-security-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ServiceUnavailableError } from '@backstage/errors';
import { readSecurityConfig } from './config';
import { ApiKeyStore } from './database/ApiKeyStore';
import { AuditStore } from './database/AuditStore';
import { CredentialStore } from './database/CredentialStore';
import { TenantStore } from './database/TenantStore';
import { isInTenantRule, tenantResourceRef } from './permissions';
import { createRouter } from './router';
import { ApiKeys } from './services/ApiKeys';
import { AuditCheckpoints } from './services/AuditCheckpoints';
import { AuditLog } from './services/AuditLog';
import { Credentials } from './services/Credentials';
import { Tenants } from './services/Tenants';
import { Vault } from './services/Vault';

/**
 * The Infra Hub security spine: `/api/infra-security`.
 *
 * @public
 */
export const infraSecurityPlugin = createBackendPlugin({
  pluginId: 'infra-security',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        spine: infraSecuritySpineServiceRef,
        events: eventsServiceRef,
      },
      async init({
        config,
        database,
        logger,
        lifecycle,
        scheduler,
        auditor,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        spine,
        events,
      }) {
        const settings = readSecurityConfig(config);
        const tenantStore = await TenantStore.create({ database });
        const auditStore = await AuditStore.create({ database });

        const audit = new AuditLog(auditStore, {
          logger: logger.child({ component: 'audit' }),
          auditor,
          tenantExists: id => tenantStore.exists(id),
        });
        // Counts of repeated denials and refused sign-ins are written before stopping.
        lifecycle.addShutdownHook(() => audit.flushNoisy());
        const tenants = new Tenants(tenantStore, audit, async event => {
          await events.publish({
            topic: INFRA_TENANT_TOPIC,
            eventPayload: event,
          });
        });
        const apiKeys = new ApiKeys(
          await ApiKeyStore.create({ database }),
          audit,
          {
            rolesIn: (userRef, tenantId) => tenants.rolesIn(userRef, tenantId),
            lifetimes: settings.apiKeys,
          },
        );
        let credentials: Credentials | undefined;
        if (settings.vault) {
          credentials = new Credentials(
            await CredentialStore.create({ database }),
            new Vault(settings.vault.keys, settings.vault.activeKeyId),
            audit,
            async () => (await tenants.list('all')).map(t => t.id),
          );
        } else {
          logger.warn(
            'No infra.security.vault configured: credential endpoints answer 503',
          );
        }
        await tenants.bootstrap(settings.bootstrap);

        // The head of every audit chain, signed on a schedule (once across replicas).
        const checkpoints = new AuditCheckpoints({
          store: auditStore,
          audit,
          credentials,
          logger,
        });
        if (credentials) {
          await scheduler.scheduleTask({
            id: 'infra-security:audit-checkpoints',
            frequency: { minutes: settings.checkpointMinutes },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 30 },
            fn: async () => {
              const signed = await checkpoints.checkpoint();
              if (signed) logger.info('signed audit checkpoints', { signed });
            },
          });
        } else {
          logger.warn(
            'No infra.security.vault configured: audit chains are not checkpointed',
          );
        }

        // The secret behind the fingerprints of secrets found: configured, else derived from the
        // vault's active key (fingerprints then change when it does), else made up for this
        // process (fingerprints then change at every start).
        const saltRoot =
          settings.fingerprintSalt ??
          (settings.vault
            ? crypto
                .createHmac(
                  'sha256',
                  settings.vault.keys[settings.vault.activeKeyId],
                )
                .update('infra-hub/fingerprint-salt/v1')
                .digest('hex')
            : undefined) ??
          crypto.randomBytes(32).toString('hex');
        if (!settings.fingerprintSalt)
          logger.info(
            settings.vault
              ? 'infra.security.fingerprintSalt is not set: fingerprints of secrets found are keyed by the vault key and change when it is rotated'
              : 'infra.security.fingerprintSalt is not set and there is no vault: fingerprints of secrets found change at every start',
          );
        const fingerprintSalt = async (tenantId: string) =>
          crypto
            .createHmac('sha256', saltRoot)
            .update(`tenant\u0000${tenantId}`)
            .digest('hex');

        // Lent to the suite's other plugins in this process (never over HTTP).
        const vault = () => {
          if (!credentials)
            throw new ServiceUnavailableError(
              'No credential vault configured (infra.security.vault)',
            );
          return credentials;
        };
        spine.provide({
          describeCredential: (tenantId, credentialId) =>
            vault().get(tenantId, credentialId),
          useCredential: (request, fn) =>
            vault().use(
              request.tenantId,
              request.credentialId,
              request.actor,
              fn,
              request.purpose,
            ),
          listWorkspaces: tenantId => tenants.listWorkspaces(tenantId),
          describeApiKey: (tenantId, keyId) => apiKeys.get(tenantId, keyId),
          storeCredential: (tenantId, input, actor) =>
            vault().create(tenantId, input, actor),
          recordAudit: async event => {
            await audit.recordEvent(event);
          },
          fingerprintSalt,
        });

        permissionsRegistry.addResourceType({
          resourceRef: tenantResourceRef,
          permissions: infraSecurityPermissions.filter(
            p => p.type === 'resource',
          ),
          rules: [isInTenantRule],
          getResources: async refs => refs.map(id => ({ id })),
        });
        permissionsRegistry.addPermissions(infraSecurityPermissions);

        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/api-keys/introspect',
          allow: 'unauthenticated',
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            auth,
            authorizer: new InfraAuthorizer({
              permissions,
              auth,
              recordDenial: async event => {
                await audit.recordEvent(event);
              },
            }),
            tenants,
            audit,
            apiKeys,
            checkpoints,
            credentials,
          }),
        );
      },
    });
  },
});
