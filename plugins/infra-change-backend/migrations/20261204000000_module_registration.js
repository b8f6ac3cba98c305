// @ts-check

/**
 * A module registered ahead of its first plan (the golden paths' infra:module:register): the
 * tenant's system it belongs to, the repository it was published to, and
 * who registered it when (its catalog entity goes in the existing entity_ref).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_change_modules', table => {
    table.string('system', 300).nullable().comment('System entity ref');
    table.text('repository').nullable().comment('Clone URL');
    table.string('registered_by', 300).nullable();
    table.timestamp('registered_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_change_modules', table => {
    table.dropColumns('system', 'repository', 'registered_by', 'registered_at');
  });
};
