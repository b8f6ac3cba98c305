// @ts-check

/**
 * What the compliance rules say of each uploaded plan's changes (the compliance plugin's check,
 * or why there is none).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_change_plans', table => {
    table
      .text('compliance')
      .nullable()
      .comment('PlanCompliance, JSON; none for refresh-only plans');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_change_plans', table => {
    table.dropColumn('compliance');
  });
};
