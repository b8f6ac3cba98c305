// @ts-check

/**
 * Where a source was defined, in a column of its own: `config` (app-config, changed there) or
 * `api` (created through the API). Until now it was read from a `config:` prefix of `created_by`;
 * existing rows are filled in from that prefix.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_discovery_sources', table => {
    table
      .string('origin', 16)
      .notNullable()
      .defaultTo('api')
      .comment('config (app-config) or api');
  });
  await knex('infra_discovery_sources')
    .where('created_by', 'like', 'config:%')
    .update({ origin: 'config' });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_discovery_sources', table => {
    table.dropColumn('origin');
  });
};
