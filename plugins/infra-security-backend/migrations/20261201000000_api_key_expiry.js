// @ts-check

/**
 * Machine API keys expire. Keys made before this migration get the default lifetime (90 days)
 * counted from their creation, so an old key is not valid for ever.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_api_keys', table => {
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('The key is refused after this moment');
  });
  const rows = await knex('infra_api_keys').select(
    'tenant_id',
    'id',
    'created_at',
  );
  for (const row of rows) {
    await knex('infra_api_keys')
      .where({ tenant_id: row.tenant_id, id: row.id })
      .update({
        expires_at: new Date(
          new Date(row.created_at).getTime() + 90 * 24 * 3600 * 1000,
        ),
      });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_api_keys', table => {
    table.dropColumn('expires_at');
  });
};
