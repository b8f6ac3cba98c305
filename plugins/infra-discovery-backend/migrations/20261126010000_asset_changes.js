// @ts-check

/**
 * When each asset last changed in content (its fields or its outgoing relationships), so that
 * consumers such as the catalog can take only what changed since they last looked.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_assets', table => {
    table
      .string('content_hash', 64)
      .nullable()
      .comment('SHA-256 of the asset and its outgoing edges, as last stored');
    table
      .timestamp('changed_at', { useTz: true })
      .nullable()
      .comment('When the content, or whether it is gone, last changed');
  });
  await knex('infra_assets').update({
    changed_at: knex.raw('COALESCE(gone_at, last_seen)'),
  });
  await knex.schema.alterTable('infra_assets', table => {
    table.index(['tenant_id', 'changed_at', 'id'], 'infra_assets_changed_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_assets', table => {
    table.dropIndex(
      ['tenant_id', 'changed_at', 'id'],
      'infra_assets_changed_idx',
    );
    table.dropColumn('content_hash');
    table.dropColumn('changed_at');
  });
};
