import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { InfraSecuritySpine } from './securitySpine';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  AuditRecord,
  INFRA_TENANT_RULE,
  InfraRole,
  isInfraRole,
  roleGrants,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';

/**
 * How long the suite's plugins reuse a user's permission decision, in milliseconds. The
 * permission policy remembers a user's roles as long again, so a role change reaches every
 * decision within two seconds.
 *
 * @public
 */
export const DECISION_REUSE_MS = 1_000;
/** Reused decisions kept at most (expired ones are dropped first). */
const MAX_REUSED_DECISIONS = 10_000;

/** The subject of a service principal that authenticated with a machine API key. */
const API_KEY_SUBJECT =
  /^infra-api-key:([a-z0-9][a-z0-9-]*):([a-z-]+):([A-Za-z0-9]+)$/;

/** @public */
export interface ApiKeyPrincipal {
  keyId: string;
  tenantId: string;
  role: InfraRole;
}

/** The service-principal subject that stands for a verified API key. @public */
export function apiKeySubject(key: ApiKeyPrincipal): string {
  return `infra-api-key:${key.tenantId}:${key.role}:${key.keyId}`;
}

/**
 * The API key a request authenticated with, or undefined for users and other services. Only
 * the suite's token handler issues these subjects, after checking the key against the store.
 *
 * @public
 */
export function apiKeyOf(
  credentials: BackstageCredentials,
): ApiKeyPrincipal | undefined {
  const principal = credentials.principal as {
    type?: string;
    subject?: string;
  };
  if (principal.type !== 'service' || typeof principal.subject !== 'string') {
    return undefined;
  }
  const match = API_KEY_SUBJECT.exec(principal.subject);
  if (!match || !isInfraRole(match[2])) return undefined;
  return { tenantId: match[1], role: match[2], keyId: match[3] };
}

/** Who did something, as the audit log records it. @public */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return principal.userEntityRef!;
  const key = apiKeyOf(credentials);
  if (key) return `api-key:${key.keyId}`;
  if (principal.type === 'service') return principal.subject!;
  return 'anonymous';
}

/**
 * The signed-in person making a request, for acts only a person may do (a CAB decision, minting
 * an API key). Machine API keys and service tokens are refused with a message naming the act.
 *
 * @public
 */
export function signedInUserOf(
  credentials: BackstageCredentials,
  act: string,
): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  if (principal.type !== 'user' || !principal.userEntityRef) {
    throw new NotAllowedError(
      `Only a signed-in user may ${act}; an API key or a service token cannot`,
    );
  }
  return principal.userEntityRef;
}

function allTenantsOf(
  criteria: PermissionCriteria<PermissionCondition>,
): boolean {
  return (
    'rule' in criteria &&
    criteria.rule === INFRA_TENANT_RULE &&
    (criteria.params as { allTenants?: unknown })?.allTenants === true
  );
}

function tenantIdsOf(
  criteria: PermissionCriteria<PermissionCondition>,
): string[] | undefined {
  if ('rule' in criteria && criteria.rule === INFRA_TENANT_RULE) {
    const ids = (criteria.params as { tenantIds?: unknown })?.tenantIds;
    return Array.isArray(ids)
      ? ids.filter((i): i is string => typeof i === 'string')
      : undefined;
  }
  if ('anyOf' in criteria) {
    const all = criteria.anyOf.map(tenantIdsOf);
    return all.every(Boolean)
      ? [...new Set(all.flat() as string[])]
      : undefined;
  }
  return undefined;
}

/**
 * Decides what a caller may do in a tenant, the same way for users (through Backstage's
 * permission framework and the suite's policy), machine API keys (their role, in their tenant
 * only) and backend services acting on their own (allowed, as Backstage allows them).
 *
 * @public
 */
export class InfraAuthorizer {
  /**
   * The authorizer of a suite plugin other than the spine: refusals are recorded in the
   * tenant's audit log through the security spine's `recordAudit`.
   */
  static withSpine(deps: {
    permissions: PermissionsService;
    auth: AuthService;
    spine: Pick<InfraSecuritySpine, 'recordAudit'>;
  }): InfraAuthorizer {
    return new InfraAuthorizer({
      permissions: deps.permissions,
      auth: deps.auth,
      recordDenial: event => deps.spine.recordAudit(event),
    });
  }

  /** Users' recent decisions of `infra.*` permissions, by user, permission and tenant. */
  private readonly decisions = new Map<
    string,
    { until: number; value: Promise<unknown> }
  >();

  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      auth: AuthService;
      /**
       * How long a user's decision of an `infra.*` permission is reused, in milliseconds
       * (default DECISION_REUSE_MS; 0 asks the permission framework every time). Requests of one
       * user that arrive together share one round trip to the permission backend.
       */
      decisionReuseMs?: number;
      /**
       * Records a refusal in the audit log (the security spine's `recordAudit`, which counts
       * repeats rather than writing each). Best effort: a refusal stays a refusal when the log
       * cannot be written.
       */
      recordDenial?: (record: AuditRecord) => Promise<void>;
    },
  ) {}

  /**
   * Throws NotAllowedError unless the caller holds `permission` in `tenantId` (or, for basic
   * permissions, in the system scope); the refusal is recorded in the audit log, once, here.
   */
  async authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission | BasicPermission,
    tenantId?: string,
  ): Promise<void> {
    if (!(await this.isAllowed(credentials, permission, tenantId))) {
      await this.deps
        .recordDenial?.({
          scope: tenantId ?? SYSTEM_SCOPE,
          actor: actorOf(credentials),
          action: 'permission.denied',
          outcome: 'denied',
          details: { permission: permission.name },
        })
        .catch(() => undefined);
      throw new NotAllowedError(
        tenantId
          ? `Not allowed to ${permission.name} in tenant '${tenantId}'`
          : `Not allowed to ${permission.name}`,
      );
    }
  }

  async isAllowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission | BasicPermission,
    tenantId?: string,
  ): Promise<boolean> {
    const key = apiKeyOf(credentials);
    if (key) {
      return (
        (tenantId ?? SYSTEM_SCOPE) === key.tenantId &&
        roleGrants(key.role, permission.name)
      );
    }
    const request =
      permission.type === 'resource'
        ? { permission, resourceRef: tenantId ?? SYSTEM_SCOPE }
        : { permission };
    return this.reused(
      credentials,
      permission,
      tenantId ?? SYSTEM_SCOPE,
      async () => {
        const [decision] = await this.deps.permissions.authorize(
          [request as any],
          { credentials },
        );
        return decision.result === AuthorizeResult.ALLOW;
      },
    );
  }

  /**
   * A user's decision of an `infra.*` permission, reused for `decisionReuseMs` (the roles behind
   * it are remembered as long again by the permission policy, so a role change reaches every
   * replica within twice that). Anyone else, and any other permission, is asked every time.
   */
  private reused<T>(
    credentials: BackstageCredentials,
    permission: ResourcePermission | BasicPermission,
    scope: string,
    decide: () => Promise<T>,
  ): Promise<T> {
    const ttl = this.deps.decisionReuseMs ?? DECISION_REUSE_MS;
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (
      ttl <= 0 ||
      principal.type !== 'user' ||
      !principal.userEntityRef ||
      !permission.name.startsWith('infra.')
    ) {
      return decide();
    }
    const key = `${principal.userEntityRef}\n${permission.name}\n${scope}`;
    const now = Date.now();
    const hit = this.decisions.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (this.decisions.size >= MAX_REUSED_DECISIONS) {
      for (const [k, entry] of this.decisions)
        if (entry.until <= now) this.decisions.delete(k);
      if (this.decisions.size >= MAX_REUSED_DECISIONS) this.decisions.clear();
    }
    const value = decide();
    this.decisions.set(key, { until: now + ttl, value });
    // A failed round trip is not remembered.
    value.catch(() => {
      if (this.decisions.get(key)?.value === value) this.decisions.delete(key);
    });
    return value;
  }

  /**
   * The tenants in which the caller holds `permission`, for list queries. `all` means every
   * tenant (a backend service acting on its own).
   */
  async allowedTenants(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<string[] | 'all'> {
    const key = apiKeyOf(credentials);
    if (key) {
      return roleGrants(key.role, permission.name) ? [key.tenantId] : [];
    }
    // A backend service is decided by Backstage from its access restrictions (an installation's
    // static token narrowed in app-config gets only the permissions listed there).
    const decision = await this.reused(
      credentials,
      permission,
      '\u0000tenants',
      async () =>
        (
          await this.deps.permissions.authorizeConditional([{ permission }], {
            credentials,
          })
        )[0],
    );
    if (decision.result === AuthorizeResult.DENY) return [];
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result !== AuthorizeResult.CONDITIONAL) return [];
    if (allTenantsOf(decision.conditions)) return 'all';
    const ids = tenantIdsOf(decision.conditions);
    if (!ids) {
      throw new NotAllowedError(
        `The permission policy answered ${permission.name} with conditions the suite does not know`,
      );
    }
    return ids;
  }
}
