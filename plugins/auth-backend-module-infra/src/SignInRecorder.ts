import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { SYSTEM_SCOPE } from '@infra-hub/plugin-infra-security-common';

/** The `sub` claim of a Backstage token the auth plugin has just issued. */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
    );
    return typeof payload.sub === 'string' ? payload.sub : undefined;
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
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  async record(event: {
    provider: string;
    actor: string;
    outcome: 'success' | 'failure';
    reason?: string;
  }): Promise<void> {
    try {
      const baseUrl = await this.deps.discovery.getBaseUrl('infra-security');
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'infra-security',
      });
      const res = await fetch(`${baseUrl}/audit/events`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
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
        }),
      });
      if (!res.ok) throw new Error(`infra-security answered ${res.status}`);
    } catch (error) {
      this.deps.logger.error('Could not record a sign-in in the audit log', {
        provider: event.provider,
        outcome: event.outcome,
        error: String(error),
      });
    }
  }
}
