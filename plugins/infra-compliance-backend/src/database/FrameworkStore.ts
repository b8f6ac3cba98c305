import { NotFoundError } from '@backstage/errors';
import {
  CustomFramework,
  TenantFramework,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { COMPLIANCE_MIGRATIONS } from './ComplianceStore';

const FRAMEWORKS = 'infra_compliance_frameworks';

function toFramework(r: any): TenantFramework {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    title: r.title,
    ...(r.version ? { version: r.version } : {}),
    controls: JSON.parse(r.controls),
    mappings: JSON.parse(r.mappings),
    updatedBy: r.updated_by,
    updatedAt: toIso(r.updated_at),
  };
}

/** The frameworks each tenant defined for itself. */
export class FrameworkStore {
  static async create(options: StoreOptions) {
    return new FrameworkStore(
      await migratedClient({ ...options, ...COMPLIANCE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async purgeTenant(tenantId: string) {
    return {
      frameworks: await TenantScope.of(this.knex, tenantId)
        .table(FRAMEWORKS)
        .delete(),
    };
  }

  async list(tenantId: string): Promise<TenantFramework[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(FRAMEWORKS)
      .orderBy('id');
    return rows.map(toFramework);
  }

  /** Creates or replaces a framework; true when it was new. */
  async put(
    tenantId: string,
    framework: CustomFramework,
    actor: string,
    at: Date,
  ): Promise<boolean> {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const row = {
        title: framework.title,
        version: framework.version ?? null,
        controls: JSON.stringify(framework.controls),
        mappings: JSON.stringify(framework.mappings),
        updated_by: actor,
        updated_at: at,
      };
      const updated = await s
        .table(FRAMEWORKS)
        .where({ id: framework.id })
        .update(row);
      if (updated) return false;
      await s.insert(FRAMEWORKS, { id: framework.id, ...row });
      return true;
    });
  }

  async delete(tenantId: string, id: string) {
    const n = await TenantScope.of(this.knex, tenantId)
      .table(FRAMEWORKS)
      .where({ id })
      .delete();
    if (!n) throw new NotFoundError(`No framework '${id}' in this tenant`);
  }
}
