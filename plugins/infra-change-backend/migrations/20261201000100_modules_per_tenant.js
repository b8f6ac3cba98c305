// @ts-check

/**
 * Module names are per tenant: two tenants may each have a module `network`, and neither learns
 * of the other's. The (tenant_id, id) primary key stays; the installation-wide unique index goes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_change_modules', table => {
    table.dropUnique(['id'], 'infra_change_modules_id_uq');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_change_modules', table => {
    table.unique(['id'], { indexName: 'infra_change_modules_id_uq' });
  });
};
