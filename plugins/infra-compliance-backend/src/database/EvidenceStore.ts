import { EvidenceRecord } from '@infra-hub/plugin-infra-compliance-common';
import {
  migratedClient,
  StoreOptions,
  TenantScope,
  toIso,
} from '@infra-hub/plugin-infra-security-node';
import { Knex } from 'knex';
import { chunks, COMPLIANCE_MIGRATIONS } from './ComplianceStore';

const EVIDENCE = 'infra_compliance_evidence';
const BLOBS = 'infra_compliance_evidence_blobs';

/** The evidence of one evaluation as stored: its record, manifest text and signature text. */
export type StoredEvidence = EvidenceRecord & {
  manifest: string;
  signature?: string;
};

function toRecord(r: any): EvidenceRecord {
  return {
    evaluationId: r.evaluation_id,
    evaluatedAt: toIso(r.evaluated_at),
    ruleSetVersion: r.rule_set_version,
    controls: Number(r.controls),
    frameworks: JSON.parse(r.frameworks),
    sealed: !!r.signature,
    ...(r.key_id ? { keyId: r.key_id } : {}),
    ...(r.sealed_at ? { sealedAt: toIso(r.sealed_at) } : {}),
    ...(r.seal_error ? { sealError: r.seal_error } : {}),
  };
}

const RECORD_COLUMNS = [
  'evaluation_id',
  'evaluated_at',
  'rule_set_version',
  'controls',
  'frameworks',
  'signature',
  'key_id',
  'sealed_at',
  'seal_error',
];

/**
 * Each tenant's evidence: one manifest per evaluation (`infra_compliance_evidence`) and the rule
 * results snapshots they reference (`infra_compliance_evidence_blobs`), each stored once per
 * content (its SHA-256), so an estate that did not change adds only a manifest.
 */
export class EvidenceStore {
  static async create(options: StoreOptions) {
    return new EvidenceStore(
      await migratedClient({ ...options, ...COMPLIANCE_MIGRATIONS }),
    );
  }

  constructor(private readonly knex: Knex) {}

  async purgeTenant(tenantId: string) {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      return {
        evidence: await s.table(EVIDENCE).delete(),
        evidenceBlobs: await s.table(BLOBS).delete(),
      };
    });
  }

  /**
   * Stores an evaluation's evidence: the snapshots not stored yet, then the manifest (one
   * transaction, so a manifest never references a snapshot that is not there).
   */
  async add(
    tenantId: string,
    evidence: {
      evaluationId: string;
      evaluatedAt: Date;
      ruleSetVersion: string;
      controls: number;
      frameworks: string[];
      manifest: string;
    },
    blobs: ReadonlyMap<string, string>,
  ): Promise<{ newSnapshots: number }> {
    return this.knex.transaction(async trx => {
      const s = TenantScope.of(trx, tenantId);
      const known = new Set<string>();
      for (const part of chunks([...blobs.keys()])) {
        const rows = await s
          .table(BLOBS)
          .whereIn('sha256', part)
          .select('sha256');
        for (const r of rows) known.add(r.sha256);
      }
      const fresh = [...blobs].filter(([sha]) => !known.has(sha));
      const now = new Date();
      // Bodies can be large: a few per statement. Another replica may store the same one.
      for (const part of chunks(fresh, 20)) {
        await s
          .insert(
            BLOBS,
            part.map(([sha256, body]) => ({ sha256, body, created_at: now })),
          )
          .onConflict(['tenant_id', 'sha256'])
          .ignore();
      }
      await s.insert(EVIDENCE, {
        evaluation_id: evidence.evaluationId,
        evaluated_at: evidence.evaluatedAt,
        rule_set_version: evidence.ruleSetVersion,
        controls: evidence.controls,
        frameworks: JSON.stringify(evidence.frameworks),
        manifest: evidence.manifest,
      });
      return { newSnapshots: fresh.length };
    });
  }

  /** Newest first; `before` an evaluation time (the previous page's last). */
  async list(
    tenantId: string,
    options: { limit: number; before?: Date },
  ): Promise<EvidenceRecord[]> {
    let q = TenantScope.of(this.knex, tenantId).table(EVIDENCE);
    if (options.before) q = q.where('evaluated_at', '<', options.before);
    const rows = await q
      .select(RECORD_COLUMNS)
      .orderBy([
        { column: 'evaluated_at', order: 'desc' },
        { column: 'evaluation_id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toRecord);
  }

  async get(
    tenantId: string,
    evaluationId: string,
  ): Promise<StoredEvidence | undefined> {
    const row = await TenantScope.of(this.knex, tenantId)
      .table(EVIDENCE)
      .where({ evaluation_id: evaluationId })
      .first();
    return (
      row && {
        ...toRecord(row),
        manifest: row.manifest,
        ...(row.signature ? { signature: row.signature } : {}),
      }
    );
  }

  /** The newest evidence of the tenant (sealed only, when asked). */
  async latest(tenantId: string, options: { sealedOnly?: boolean } = {}) {
    let q = TenantScope.of(this.knex, tenantId).table(EVIDENCE);
    if (options.sealedOnly) q = q.whereNotNull('signature');
    const row = await q
      .select('evaluation_id')
      .orderBy([
        { column: 'evaluated_at', order: 'desc' },
        { column: 'evaluation_id', order: 'desc' },
      ])
      .first();
    return row ? this.get(tenantId, row.evaluation_id) : undefined;
  }

  /** The unsealed evidence of the tenant, oldest first. */
  async unsealed(tenantId: string, limit: number): Promise<EvidenceRecord[]> {
    const rows = await TenantScope.of(this.knex, tenantId)
      .table(EVIDENCE)
      .whereNull('signature')
      .select(RECORD_COLUMNS)
      .orderBy([{ column: 'evaluated_at' }, { column: 'evaluation_id' }])
      .limit(limit);
    return rows.map(toRecord);
  }

  /** Records the seal's signature (only on evidence not sealed yet); true when it did. */
  async sealed(
    tenantId: string,
    evaluationId: string,
    signature: { keyId: string; text: string },
    at: Date,
  ): Promise<boolean> {
    const n = await TenantScope.of(this.knex, tenantId)
      .table(EVIDENCE)
      .where({ evaluation_id: evaluationId })
      .whereNull('signature')
      .update({
        signature: signature.text,
        key_id: signature.keyId,
        sealed_at: at,
        seal_error: null,
      });
    return n > 0;
  }

  async sealFailed(tenantId: string, evaluationId: string, reason: string) {
    await TenantScope.of(this.knex, tenantId)
      .table(EVIDENCE)
      .where({ evaluation_id: evaluationId })
      .whereNull('signature')
      .update({ seal_error: reason.slice(0, 1000) });
  }

  /** The snapshots with these hashes (those that exist). */
  async blobs(tenantId: string, shas: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks(shas)) {
      const rows = await TenantScope.of(this.knex, tenantId)
        .table(BLOBS)
        .whereIn('sha256', part)
        .select('sha256', 'body');
      for (const r of rows) out.set(r.sha256, r.body);
    }
    return out;
  }
}
