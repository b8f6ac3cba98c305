import {
  ApiKeySummary,
  InfraRole,
} from '@infra-hub/plugin-infra-security-common';
import {
  API_KEY_PREFIX,
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { SECURITY_MIGRATIONS } from './migrations';

/** The table of machine API keys (rows of a deleted tenant go with it, see TenantStore). */
export const API_KEYS_TABLE = 'infra_api_keys';

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

/** A key as stored: what anyone may see of it, and the hash its secret is checked against. */
export type StoredApiKey = {
  summary: ApiKeySummary;
  secretHash: string;
  /** False only for a row that predates expiry (the migration gave every key one). */
  expires: boolean;
};

function toStored(row: Row): StoredApiKey {
  return {
    summary: {
      tenantId: row.tenant_id,
      id: row.id,
      name: row.name,
      role: row.role,
      prefix: `${API_KEY_PREFIX}${row.tenant_id}.${row.id}`,
      createdAt: toIso(row.created_at),
      createdBy: row.created_by,
      expiresAt: toIso(row.expires_at ?? row.created_at),
      lastUsedAt: toIso(row.last_used_at),
      revokedAt: toIso(row.revoked_at),
    },
    secretHash: row.secret_hash,
    expires: row.expires_at !== null,
  };
}

/** Machine API keys, per tenant: the table `infra_api_keys`. */
export class ApiKeyStore {
  /** The store on the plugin's database, migrated (see `migratedClient`). */
  static async create(options: StoreOptions) {
    return new ApiKeyStore(
      await migratedClient({ ...options, ...SECURITY_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async insert(
    tenantId: string,
    key: {
      id: string;
      name: string;
      role: InfraRole;
      secretHash: string;
      createdBy: string;
      expiresAt: Date;
    },
  ): Promise<StoredApiKey> {
    await TenantScope.of(this.knex, tenantId).insert(API_KEYS_TABLE, {
      id: key.id,
      name: key.name,
      role: key.role,
      secret_hash: key.secretHash,
      created_by: key.createdBy,
      created_at: new Date(),
      expires_at: key.expiresAt,
    });
    return (await this.get(tenantId, key.id))!;
  }

  /** The tenant's keys, newest first. */
  async list(tenantId: string): Promise<ApiKeySummary[]> {
    const rows: Row[] = await TenantScope.of(this.knex, tenantId)
      .table(API_KEYS_TABLE)
      .orderBy('created_at', 'desc');
    return rows.map(row => toStored(row).summary);
  }

  async get(tenantId: string, id: string): Promise<StoredApiKey | undefined> {
    const row: Row | undefined = await TenantScope.of(this.knex, tenantId)
      .table(API_KEYS_TABLE)
      .where({ id })
      .first();
    return row && toStored(row);
  }

  async markRevoked(tenantId: string, id: string, by: string): Promise<void> {
    await TenantScope.of(this.knex, tenantId)
      .table(API_KEYS_TABLE)
      .where({ id })
      .update({ revoked_at: new Date(), revoked_by: by });
  }

  async markUsed(tenantId: string, id: string): Promise<void> {
    await TenantScope.of(this.knex, tenantId)
      .table(API_KEYS_TABLE)
      .where({ id })
      .update({ last_used_at: new Date() });
  }
}
