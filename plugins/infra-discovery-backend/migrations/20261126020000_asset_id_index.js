// @ts-check

/**
 * Looking an asset up by id across the tenant's sources (asset detail, the changes feed merging
 * views): the primary key starts with the source, so it needs its own index.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_assets', table => {
    table.index(['tenant_id', 'id'], 'infra_assets_id_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_assets', table => {
    table.dropIndex(['tenant_id', 'id'], 'infra_assets_id_idx');
  });
};
