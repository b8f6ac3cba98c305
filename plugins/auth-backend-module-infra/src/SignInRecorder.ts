import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { decodeJwt } from 'jose';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';

/**
 * The `sub` claim of a Backstage token the auth plugin has just issued (read, not verified: the
 * token comes from the auth plugin itself, in this process).
 */
export function subjectOf(token: string): string | undefined {
  try {
    return decodeJwt(token).sub;
  } catch {
    return undefined;
  }
}

/**
 * Writes sign-ins to the suite's audit log (system scope) through the infra-security plugin.
 * A sign-in is not refused when the audit log cannot be reached; the failure is logged as an
 * error instead, so that an outage of one plugin does not lock everybody out.
 */
export class SignInRecorder {
  private readonly security: InfraPluginClient;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {
    this.security = new InfraPluginClient({
      discovery: deps.discovery,
      auth: deps.auth,
      pluginId: 'infra-security',
    });
  }

  async record(event: {
    provider: string;
    actor: string;
    outcome: 'success' | 'failure';
    reason?: string;
  }): Promise<void> {
    try {
      await this.security.request('/audit/events', {
        body: {
          scope: SYSTEM_SCOPE,
          actor: event.actor,
          action:
            event.outcome === 'success'
              ? 'user.signed-in'
              : 'user.sign-in-failed',
          outcome: event.outcome,
          details: {
            provider: event.provider,
            ...(event.reason ? { reason: event.reason } : {}),
          },
        },
      });
    } catch (error) {
      this.deps.logger.error('Could not record a sign-in in the audit log', {
        provider: event.provider,
        outcome: event.outcome,
        error: String(error),
      });
    }
  }
}
