// @ts-check

/**
 * Outcomes of approval signature checks, by a hash of everything checked, so that every replica
 * and every restart reuses them instead of verifying again (the compliance report).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_change_verifications', table => {
    table.comment('Remembered outcomes of approval signature checks');
    table.string('tenant_id', 63).notNullable();
    table
      .string('check_key', 64)
      .notNullable()
      .comment(
        'SHA-256 of the request fields, payload, signature and key checked',
      );
    table.boolean('valid').notNullable();
    table.timestamp('checked_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'check_key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_change_verifications');
};
