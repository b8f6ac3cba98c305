// @ts-check

/**
 * The evidence of each evaluation: its manifest (canonical JSON) and the installation's seal of
 * it, and the rule results snapshots the manifests reference, stored once per content.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_compliance_evidence', table => {
    table.comment('The evidence manifest of each evaluation, and its seal');
    table.string('tenant_id', 63).notNullable();
    table.string('evaluation_id', 36).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.string('rule_set_version', 64).notNullable();
    table.integer('controls').notNullable();
    table.text('frameworks').notNullable().comment('Framework ids, JSON');
    table.text('manifest').notNullable().comment('EvidenceManifest, canonical JSON');
    table.text('signature').nullable().comment('HybridSignature of the seal, JSON');
    table.string('key_id', 80).nullable();
    table.timestamp('sealed_at', { useTz: true }).nullable();
    table.text('seal_error').nullable().comment('Why it is not sealed yet');
    table.primary(['tenant_id', 'evaluation_id']);
    table.index(['tenant_id', 'evaluated_at'], 'infra_compliance_evidence_time');
  });
  await knex.schema.createTable('infra_compliance_evidence_blobs', table => {
    table.comment('Rule results snapshots, named by the SHA-256 of their canonical JSON');
    table.string('tenant_id', 63).notNullable();
    table.string('sha256', 64).notNullable();
    table.text('body').notNullable().comment('RuleResultsSnapshot, canonical JSON');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'sha256']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_compliance_evidence_blobs');
  await knex.schema.dropTable('infra_compliance_evidence');
};
