import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ApiKeySummary,
  InfraRole,
  rolesCover,
} from '@infra-hub/plugin-infra-security-common';
import {
  API_KEY_PREFIX,
  isValidTenantId,
} from '@infra-hub/plugin-infra-security-node';
import { ApiKeyStore } from '../database/ApiKeyStore';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { AuditLog } from './AuditLog';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_ID = /^[A-Za-z0-9]{16}$/;
/** How long a verified token is remembered, to spare the slow hash on every request. */
const VERIFIED_TTL_MS = 60_000;
/** Usage is written to the key's row and the audit log at most this often. */
const USAGE_RECORD_INTERVAL_MS = 5 * 60_000;

function randomKeyId() {
  const alphabet =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(
    crypto.randomBytes(16),
    b => alphabet[b % alphabet.length],
  ).join('');
}

async function hashSecret(
  secret: string,
  salt = crypto.randomBytes(16),
): Promise<string> {
  const hash = await scrypt(secret, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString(
    'base64',
  )}$${hash.toString('base64')}`;
}

async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(
    secret,
    Buffer.from(salt, 'base64'),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    },
  );
  return crypto.timingSafeEqual(actual, expected);
}

/** `sk_<tenant>.<keyId>.<secret>` → its parts, or undefined when it is not of that form. */
export function parseApiKey(token: string) {
  if (!token.startsWith(API_KEY_PREFIX)) return undefined;
  const [tenantId, keyId, secret, ...rest] = token
    .slice(API_KEY_PREFIX.length)
    .split('.');
  if (
    rest.length ||
    !isValidTenantId(tenantId) ||
    !KEY_ID.test(keyId ?? '') ||
    !secret
  ) {
    return undefined;
  }
  return { tenantId, keyId, secret };
}

/** How long keys live: the default when none is asked for, and the most that may be asked. */
export type ApiKeyLifetimes = { defaultDays: number; maxDays: number };

/** The key a valid token stands for. */
export type VerifiedApiKey = {
  keyId: string;
  tenantId: string;
  role: InfraRole;
  createdBy: string;
};

const DAY_MS = 24 * 3600 * 1000;

/**
 * Machine API keys: tenant-scoped, bound to one role, expiring. The secret is shown once, at
 * creation, and stored only as an scrypt hash. Only a signed-in user mints a key, in a tenant
 * where their own roles grant everything the key's role does; a key whose creator no longer holds
 * such roles there is refused, as are revoked and expired keys, on their very next request
 * (read from the database on every check; only the slow hash comparison is remembered).
 */
export class ApiKeys {
  private readonly verified = new Map<string, number>();
  private readonly usageRecorded = new Map<string, number>();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly audit: AuditLog,
    private readonly deps: {
      /** The roles a user holds in a tenant, now. */
      rolesIn(userRef: string, tenantId: string): Promise<InfraRole[]>;
      lifetimes: ApiKeyLifetimes;
    },
  ) {}

  async create(
    tenantId: string,
    input: { name: string; role: InfraRole; expiresInDays?: number },
    creator: string,
  ) {
    const { lifetimes } = this.deps;
    const days = input.expiresInDays ?? lifetimes.defaultDays;
    if (!Number.isInteger(days) || days < 1 || days > lifetimes.maxDays) {
      throw new InputError(
        `expiresInDays must be a whole number of days from 1 to ${lifetimes.maxDays}`,
      );
    }
    const held = await this.deps.rolesIn(creator, tenantId);
    if (!rolesCover(held, input.role)) {
      throw new NotAllowedError(
        `A key cannot hold more than its creator: your roles in '${tenantId}' (${
          held.join(', ') || 'none'
        }) do not grant everything ${input.role} does`,
      );
    }
    const keyId = randomKeyId();
    const secret = crypto.randomBytes(32).toString('base64url');
    const stored = await this.store.insert(tenantId, {
      id: keyId,
      name: input.name,
      role: input.role,
      secretHash: await hashSecret(secret),
      createdBy: creator,
      expiresAt: new Date(Date.now() + days * DAY_MS),
    });
    await this.audit.record({
      scope: tenantId,
      actor: creator,
      action: 'api-key.created',
      subject: keyId,
      details: { name: input.name, role: input.role, expiresInDays: days },
    });
    return {
      key: stored.summary,
      token: `${API_KEY_PREFIX}${tenantId}.${keyId}.${secret}`,
    };
  }

  async list(tenantId: string): Promise<ApiKeySummary[]> {
    return this.store.list(tenantId);
  }

  async revoke(
    tenantId: string,
    keyId: string,
    actor: string,
  ): Promise<ApiKeySummary> {
    const { summary } = await this.stored(tenantId, keyId);
    if (!summary.revokedAt) {
      await this.store.markRevoked(tenantId, keyId, actor);
      await this.audit.record({
        scope: tenantId,
        actor,
        action: 'api-key.revoked',
        subject: keyId,
        details: { name: summary.name },
      });
    }
    return (await this.stored(tenantId, keyId)).summary;
  }

  /** A key's summary, without its secret; NotFoundError when the tenant has no such key. */
  async get(tenantId: string, keyId: string): Promise<ApiKeySummary> {
    return (await this.stored(tenantId, keyId)).summary;
  }

  private async stored(tenantId: string, keyId: string) {
    const stored = await this.store.get(tenantId, keyId);
    if (!stored)
      throw new NotFoundError(`No API key '${keyId}' in tenant '${tenantId}'`);
    return stored;
  }

  /**
   * The key a token stands for, if it is valid: not revoked, not expired, and its creator still
   * holds roles in its tenant that grant everything its role does.
   */
  async introspect(token: string): Promise<VerifiedApiKey | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const stored = await this.store.get(parsed.tenantId, parsed.keyId);
    if (!stored) return undefined;
    const key = stored.summary;
    if (key.revokedAt || !stored.expires) return undefined;
    if (new Date(key.expiresAt).getTime() <= Date.now()) return undefined;
    if (
      !rolesCover(
        await this.deps.rolesIn(key.createdBy, key.tenantId),
        key.role,
      )
    ) {
      return undefined;
    }

    const fingerprint = crypto.createHash('sha256').update(token).digest('hex');
    const now = Date.now();
    if ((this.verified.get(fingerprint) ?? 0) < now) {
      if (!(await secretMatches(parsed.secret, stored.secretHash)))
        return undefined;
      this.verified.set(fingerprint, now + VERIFIED_TTL_MS);
    }
    if ((this.usageRecorded.get(key.id) ?? 0) < now) {
      this.usageRecorded.set(key.id, now + USAGE_RECORD_INTERVAL_MS);
      await this.store.markUsed(key.tenantId, key.id);
      await this.audit.record({
        scope: key.tenantId,
        actor: `api-key:${key.id}`,
        action: 'api-key.used',
        subject: key.id,
        details: { name: key.name, role: key.role },
      });
    }
    return {
      keyId: key.id,
      tenantId: key.tenantId,
      role: key.role,
      createdBy: key.createdBy,
    };
  }
}
