// @ts-check

/**
 * Frameworks a tenant defines for itself: controls, and which rules support which of them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_compliance_frameworks', table => {
    table.comment('Frameworks a tenant defines, applied to its evaluations');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 63).notNullable();
    table.string('title', 200).notNullable();
    table.string('version', 64).nullable();
    table.text('controls').notNullable().comment('[{ id, title? }], JSON');
    table.text('mappings').notNullable().comment('Rule id → control ids, JSON');
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_compliance_frameworks');
};
