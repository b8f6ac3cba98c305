import {
  BackstageCredentials,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { actorOf, apiKeyOf } from './authorizer';
import {
  ApiKeySummary,
  AuditRecord,
  CredentialSummary,
  Workspace,
} from '@infra-hub/plugin-infra-security-common';

/**
 * What the security spine lends to the other suite plugins of the same backend process. Nothing
 * here is reachable over HTTP: a credential's plaintext only ever leaves the vault as an argument
 * of `useCredential`'s callback, in this process, and every such use is audited.
 *
 * @public
 */
export interface InfraSecuritySpine {
  /** The credential's name and kind, without its value; NotFoundError when it does not exist. */
  describeCredential(
    tenantId: string,
    credentialId: string,
  ): Promise<CredentialSummary>;
  /**
   * Decrypts the credential and hands its value to `fn` at the moment it is needed; the value is
   * not kept. Recorded in the tenant's audit log as `credential.used` by `actor`, with `purpose`.
   */
  useCredential<T>(
    request: {
      tenantId: string;
      credentialId: string;
      actor: string;
      purpose: string;
    },
    fn: (value: string) => Promise<T>,
  ): Promise<T>;
  /**
   * Stores a new credential in the vault (encrypted, audited as `credential.created`), e.g. a
   * signing key of the installation in the system scope; returns it without its value.
   */
  storeCredential(
    tenantId: string,
    input: { name: string; kind: string; value: string },
    actor: string,
  ): Promise<CredentialSummary>;
  /** The tenant's workspaces. */
  listWorkspaces(tenantId: string): Promise<Workspace[]>;
  /** A machine API key (who minted it, its role, expiry), never its secret; NotFoundError if none. */
  describeApiKey(tenantId: string, keyId: string): Promise<ApiKeySummary>;
  /** Appends an event to the scope's (tenant's) tamper-evident audit log. */
  recordAudit(event: AuditRecord): Promise<void>;
  /**
   * The tenant's salt for the fingerprints of secrets found (hex): secret, stable across
   * restarts (derived from `infra.security.fingerprintSalt`), different per tenant, so that the
   * same secret found twice in a tenant has one fingerprint and nothing compares across tenants.
   */
  fingerprintSalt(tenantId: string): Promise<string>;
}

/**
 * The process-wide handle on the spine. The infra-security backend plugin provides the
 * implementation when it starts; other plugins call it at run time, which fails with 503 when the
 * security plugin is not installed in this backend.
 *
 * @public
 */
export class InfraSecuritySpineService implements InfraSecuritySpine {
  private impl: InfraSecuritySpine | undefined;

  /** Called once by the infra-security backend plugin. */
  provide(impl: InfraSecuritySpine) {
    if (this.impl) throw new Error('The security spine is already provided');
    this.impl = impl;
  }

  private get spine(): InfraSecuritySpine {
    if (!this.impl) {
      throw new ServiceUnavailableError(
        'The Infra Hub security plugin (credential vault, workspaces) is not running in this backend',
      );
    }
    return this.impl;
  }

  describeCredential(tenantId: string, credentialId: string) {
    return this.spine.describeCredential(tenantId, credentialId);
  }

  useCredential<T>(
    request: Parameters<InfraSecuritySpine['useCredential']>[0],
    fn: (value: string) => Promise<T>,
  ) {
    return this.spine.useCredential(request, fn);
  }

  listWorkspaces(tenantId: string) {
    return this.spine.listWorkspaces(tenantId);
  }

  describeApiKey(tenantId: string, keyId: string) {
    return this.spine.describeApiKey(tenantId, keyId);
  }

  /**
   * Who answers for a request: the signed-in user, the user who minted the machine API key it
   * came with, or the service itself. Separation of duties compares these, so that a person
   * cannot act twice through keys they minted.
   */
  async personBehind(credentials: BackstageCredentials): Promise<string> {
    const key = apiKeyOf(credentials);
    if (key) {
      return (await this.describeApiKey(key.tenantId, key.keyId)).createdBy;
    }
    return actorOf(credentials);
  }

  storeCredential(
    tenantId: string,
    input: { name: string; kind: string; value: string },
    actor: string,
  ) {
    return this.spine.storeCredential(tenantId, input, actor);
  }

  recordAudit(event: Parameters<InfraSecuritySpine['recordAudit']>[0]) {
    return this.spine.recordAudit(event);
  }

  fingerprintSalt(tenantId: string) {
    return this.spine.fingerprintSalt(tenantId);
  }
}

/**
 * Root-scoped: one instance per backend process, shared by every plugin that depends on it. No
 * installation needed (it has a default factory).
 *
 * @public
 */
export const infraSecuritySpineServiceRef =
  createServiceRef<InfraSecuritySpineService>({
    id: 'infra-hub.security-spine',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new InfraSecuritySpineService(),
      }),
  });
