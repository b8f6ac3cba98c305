import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ApiKeySummary,
  InfraRole,
  rolesCover,
} from '@infra-hub/plugin-infra-security-common';
import {
  API_KEY_PREFIX,
  isValidTenantId,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { AuditLog } from './AuditLog';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const TABLE = 'infra_api_keys';
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

type Row = {
  tenant_id: string;
  id: string;
  name: string;
  role: InfraRole;
  secret_hash: string;
  created_by: string;
  created_at: Date | string | number;
  last_used_at: Date | string | number | null;
  revoked_at: Date | string | number | null;
  expires_at: Date | string | number | null;
};

function toSummary(row: Row): ApiKeySummary {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: `${API_KEY_PREFIX}${row.tenant_id}.${row.id}`,
    createdAt: toIso(row.created_at)!,
    createdBy: row.created_by,
    expiresAt: toIso(row.expires_at ?? row.created_at)!,
    lastUsedAt: toIso(row.last_used_at),
    revokedAt: toIso(row.revoked_at),
  };
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
    private readonly knex: Knex,
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
    const scope = TenantScope.of(this.knex, tenantId);
    await scope.insert(TABLE, {
      id: keyId,
      name: input.name,
      role: input.role,
      secret_hash: await hashSecret(secret),
      created_by: creator,
      created_at: new Date(),
      expires_at: new Date(Date.now() + days * DAY_MS),
    });
    await this.audit.record({
      scope: tenantId,
      actor: creator,
      action: 'api-key.created',
      subject: keyId,
      details: { name: input.name, role: input.role, expiresInDays: days },
    });
    const row = await scope.table(TABLE).where({ id: keyId }).first();
    return {
      key: toSummary(row),
      token: `${API_KEY_PREFIX}${tenantId}.${keyId}.${secret}`,
    };
  }

  async list(tenantId: string): Promise<ApiKeySummary[]> {
    const rows: Row[] = await TenantScope.of(this.knex, tenantId)
      .table(TABLE)
      .orderBy('created_at', 'desc');
    return rows.map(toSummary);
  }

  async revoke(
    tenantId: string,
    keyId: string,
    actor: string,
  ): Promise<ApiKeySummary> {
    const scope = TenantScope.of(this.knex, tenantId);
    const row: Row | undefined = await scope
      .table(TABLE)
      .where({ id: keyId })
      .first();
    if (!row)
      throw new NotFoundError(`No API key '${keyId}' in tenant '${tenantId}'`);
    if (row.revoked_at === null) {
      await scope
        .table(TABLE)
        .where({ id: keyId })
        .update({ revoked_at: new Date(), revoked_by: actor });
      await this.audit.record({
        scope: tenantId,
        actor,
        action: 'api-key.revoked',
        subject: keyId,
        details: { name: row.name },
      });
    }
    return toSummary(await scope.table(TABLE).where({ id: keyId }).first());
  }

  /** A key's summary, without its secret; NotFoundError when the tenant has no such key. */
  async get(tenantId: string, keyId: string): Promise<ApiKeySummary> {
    const row: Row | undefined = await TenantScope.of(this.knex, tenantId)
      .table(TABLE)
      .where({ id: keyId })
      .first();
    if (!row)
      throw new NotFoundError(`No API key '${keyId}' in tenant '${tenantId}'`);
    return toSummary(row);
  }

  /**
   * The key a token stands for, if it is valid: not revoked, not expired, and its creator still
   * holds roles in its tenant that grant everything its role does.
   */
  async introspect(token: string): Promise<VerifiedApiKey | undefined> {
    const parsed = parseApiKey(token);
    if (!parsed) return undefined;
    const scope = TenantScope.of(this.knex, parsed.tenantId);
    const row: Row | undefined = await scope
      .table(TABLE)
      .where({ id: parsed.keyId })
      .first();
    if (!row || row.revoked_at !== null) return undefined;
    if (
      row.expires_at === null ||
      new Date(row.expires_at).getTime() <= Date.now()
    ) {
      return undefined;
    }
    if (
      !rolesCover(
        await this.deps.rolesIn(row.created_by, row.tenant_id),
        row.role,
      )
    ) {
      return undefined;
    }

    const fingerprint = crypto.createHash('sha256').update(token).digest('hex');
    const now = Date.now();
    if ((this.verified.get(fingerprint) ?? 0) < now) {
      if (!(await secretMatches(parsed.secret, row.secret_hash)))
        return undefined;
      this.verified.set(fingerprint, now + VERIFIED_TTL_MS);
    }
    if ((this.usageRecorded.get(row.id) ?? 0) < now) {
      this.usageRecorded.set(row.id, now + USAGE_RECORD_INTERVAL_MS);
      await scope
        .table(TABLE)
        .where({ id: row.id })
        .update({ last_used_at: new Date() });
      await this.audit.record({
        scope: row.tenant_id,
        actor: `api-key:${row.id}`,
        action: 'api-key.used',
        subject: row.id,
        details: { name: row.name, role: row.role },
      });
    }
    return {
      keyId: row.id,
      tenantId: row.tenant_id,
      role: row.role,
      createdBy: row.created_by,
    };
  }
}
