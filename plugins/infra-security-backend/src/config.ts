import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  INFRA_ROLES,
  InfraRole,
  isInfraRole,
  SYSTEM_SCOPE,
} from '@infra-hub/plugin-infra-security-common';
import { isValidTenantId } from '@infra-hub/plugin-infra-security-node';
import { ApiKeyLifetimes } from './services/ApiKeys';
import { BootstrapConfig } from './services/Tenants';

export interface SecurityConfig {
  vault?: { activeKeyId: string; keys: Record<string, Buffer> };
  bootstrap: BootstrapConfig;
  apiKeys: ApiKeyLifetimes;
  /** How often the heads of the audit chains are signed. */
  checkpointMinutes: number;
  /** The secret behind the fingerprints of secrets found; none: derived from the vault key. */
  fingerprintSalt?: string;
}

const USER_REF = /^user:[a-z0-9._-]+\/[A-Za-z0-9._-]+$/;

function fail(key: string, message: string): never {
  throw new Error(`Invalid config at '${key}': ${message}`);
}

/** Reads and checks `infra.security` once; a bad value throws naming its key. */
export function readSecurityConfig(config: RootConfigService): SecurityConfig {
  const root = config.getOptionalConfig('infra.security');

  let vault: SecurityConfig['vault'];
  const vaultConfig = root?.getOptionalConfig('vault');
  if (vaultConfig) {
    const keysConfig = vaultConfig.getConfig('keys');
    const keys: Record<string, Buffer> = {};
    for (const id of keysConfig.keys()) {
      const value = keysConfig.getString(id);
      const key = Buffer.from(value, 'base64');
      if (key.length !== 32) {
        fail(
          `infra.security.vault.keys.${id}`,
          'must be 32 random bytes in base64 (openssl rand -base64 32)',
        );
      }
      keys[id] = key;
    }
    const activeKeyId = vaultConfig.getString('activeKey');
    if (!keys[activeKeyId]) {
      fail(
        'infra.security.vault.activeKey',
        `'${activeKeyId}' is not one of infra.security.vault.keys`,
      );
    }
    vault = { activeKeyId, keys };
  }

  const bootstrap: BootstrapConfig = { systemAdmins: [], tenants: [] };
  const b = root?.getOptionalConfig('bootstrap');
  for (const [i, ref] of (
    b?.getOptionalStringArray('systemAdmins') ?? []
  ).entries()) {
    if (!USER_REF.test(ref))
      fail(
        `infra.security.bootstrap.systemAdmins[${i}]`,
        `'${ref}' is not a user entity ref (user:<namespace>/<name>)`,
      );
    bootstrap.systemAdmins.push(ref);
  }
  const tenants = b?.getOptionalConfig('tenants');
  for (const id of tenants?.keys() ?? []) {
    const key = `infra.security.bootstrap.tenants.${id}`;
    if (!isValidTenantId(id) || id === SYSTEM_SCOPE)
      fail(
        key,
        'a tenant id is lowercase letters, digits and dashes, and not "system"',
      );
    const t = tenants!.getConfig(id);
    const workspaces = t.getOptionalConfig('workspaces');
    const members = t.getOptionalConfig('members');
    const byUser = new Map<string, InfraRole[]>();
    for (const role of members?.keys() ?? []) {
      if (!isInfraRole(role) || role === 'system-admin') {
        fail(
          `${key}.members.${role}`,
          `must be one of ${INFRA_ROLES.filter(r => r !== 'system-admin').join(
            ', ',
          )}`,
        );
      }
      for (const ref of members!.getStringArray(role)) {
        if (!USER_REF.test(ref))
          fail(`${key}.members.${role}`, `'${ref}' is not a user entity ref`);
        byUser.set(ref, [...(byUser.get(ref) ?? []), role]);
      }
    }
    bootstrap.tenants.push({
      id,
      title: t.getString('title'),
      description: t.getOptionalString('description'),
      workspaces: (workspaces?.keys() ?? []).map(ws => {
        if (!isValidTenantId(ws))
          fail(
            `${key}.workspaces.${ws}`,
            'a workspace id is lowercase letters, digits and dashes',
          );
        return { id: ws, title: workspaces!.getConfig(ws).getString('title') };
      }),
      members: [...byUser].map(([userRef, roles]) => ({ userRef, roles })),
    });
  }
  const checkpointMinutes =
    root?.getOptionalNumber('audit.checkpointMinutes') ?? 10;
  if (!(checkpointMinutes >= 1 && checkpointMinutes <= 1440))
    fail('infra.security.audit.checkpointMinutes', 'from 1 to 1440 minutes');
  return {
    vault,
    bootstrap,
    apiKeys: readLifetimes(root),
    checkpointMinutes,
    ...readFingerprintSalt(root),
  };
}

function readFingerprintSalt(
  root: ReturnType<RootConfigService['getOptionalConfig']>,
) {
  const salt = root?.getOptionalString('fingerprintSalt');
  if (salt === undefined) return {};
  if (salt.length < 16)
    fail(
      'infra.security.fingerprintSalt',
      'must be at least 16 characters of secret (openssl rand -base64 32)',
    );
  return { fingerprintSalt: salt };
}

function readLifetimes(
  root: ReturnType<RootConfigService['getOptionalConfig']>,
): ApiKeyLifetimes {
  const days = (key: string, fallback: number) => {
    const value = root?.getOptionalNumber(`apiKeys.${key}`) ?? fallback;
    if (!Number.isInteger(value) || value < 1 || value > 3650)
      fail(
        `infra.security.apiKeys.${key}`,
        'must be whole days from 1 to 3650',
      );
    return value;
  };
  const maxDays = days('maxDays', 365);
  const defaultDays = days('defaultDays', Math.min(90, maxDays));
  if (defaultDays > maxDays)
    fail('infra.security.apiKeys.defaultDays', 'must not exceed maxDays');
  return { defaultDays, maxDays };
}
