import {
  createBackendModule,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import path from 'node:path';
import { ProviderCommand } from './runner';

/**
 * Where a source's settings come from: app-config (written by the operator) or the API (written
 * by a tenant admin, so it must not reach the backend's own files or ambient credentials).
 *
 * @public
 */
export type SettingsOrigin = 'config' | 'api';

/**
 * A kind of discovery provider: the program to start for a run, and the check of a source's
 * settings before they are stored.
 *
 * @public
 */
export interface DiscoveryProviderDefinition {
  /** Stored on sources as `provider`, e.g. `terraform` or `aws`. */
  id: string;
  title: string;
  /** What the program needs from the vault, shown to whoever configures a source. */
  credentialHint: string;
  command(): ProviderCommand;
  /**
   * Returns the settings to store (normalised), or throws an Error naming the bad key. Settings
   * never hold secrets: those come from a vault credential at run time.
   */
  validateSettings(
    settings: Record<string, unknown>,
    origin: SettingsOrigin,
  ): Record<string, unknown>;
}

/** @public */
export interface InfraDiscoveryProvidersExtensionPoint {
  addProvider(provider: DiscoveryProviderDefinition): void;
}

/**
 * Modules of the `infra-discovery` plugin add provider kinds through this.
 *
 * @public
 */
export const infraDiscoveryProvidersExtensionPoint =
  createExtensionPoint<InfraDiscoveryProvidersExtensionPoint>({
    id: 'infra-discovery.providers',
  });

const SECRET_KEY =
  /secret|password|passwd|token|private|session|credential|apikey|api_key/i;

/**
 * Refuses settings that look like they carry a secret (by key, at any depth), so that secrets
 * only ever live in the vault.
 *
 * @public
 */
export function assertNoSecretSettings(value: unknown, at = 'settings'): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoSecretSettings(v, `${at}[${i}]`));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_KEY.test(key)) {
        throw new Error(
          `${at}.${key} looks like a secret; store it as a vault credential and reference it with credentialId`,
        );
      }
      assertNoSecretSettings(v, `${at}.${key}`);
    }
  }
}

/**
 * The credential a provider receives, from a vault value: a JSON object of strings is passed as
 * it is (e.g. `{"accessKeyId":…,"secretAccessKey":…}`), anything else as `{ token }`.
 *
 * @public
 */
export function credentialsFromVaultValue(
  value: string,
): Record<string, string> {
  try {
    const parsed = JSON.parse(value);
    if (
      parsed &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every(v => typeof v === 'string')
    ) {
      return parsed;
    }
  } catch {
    // not JSON: a single token
  }
  return { token: value };
}

/**
 * How a provider program shipped in a package is started. A provider module exports its program
 * as the subpath `./provider` of its package and passes what it resolves to:
 *
 * ```ts
 * command: () =>
 *   nodeProviderCommand(require.resolve('@acme/plugin-infra-discovery-backend-module-x/provider')),
 * ```
 *
 * Installed from a registry (or in a bundled backend) that is compiled JavaScript in the
 * package's `dist`, started with plain Node; inside a source checkout it is the TypeScript
 * source, started with Backstage's transform like the backend itself.
 *
 * @public
 */
export function nodeProviderCommand(program: string): ProviderCommand {
  const fromSource = /\.tsx?$/.test(program);
  return {
    command: process.execPath,
    args: fromSource
      ? [
          '--require',
          require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
          program,
        ]
      : [program],
    cwd: path.dirname(program),
  };
}

/**
 * A backend module of the `infra-discovery` plugin that adds one provider kind.
 *
 * @public
 */
export function createDiscoveryProviderModule(options: {
  moduleId: string;
  provider: DiscoveryProviderDefinition;
}) {
  return createBackendModule({
    pluginId: 'infra-discovery',
    moduleId: options.moduleId,
    register(reg) {
      reg.registerInit({
        deps: { providers: infraDiscoveryProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(options.provider);
        },
      });
    },
  });
}
