// @ts-check

/**
 * The asset graph. Each discovery source keeps its own view (a run replaces it atomically), so
 * every row carries tenant_id and source_id, and edges reference assets of the same tenant and
 * source through composite foreign keys.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_assets', table => {
    table.comment('Discovered assets, one row per asset per discovery source');
    table.string('tenant_id', 63).notNullable().comment('Owning tenant');
    table
      .string('source_id', 63)
      .notNullable()
      .comment('Discovery source that reported it');
    table
      .string('id', 2048)
      .notNullable()
      .comment('<provider>:<account>:<region>:<type>:<native id>');
    table.string('provider', 64).notNullable();
    table.string('account', 128).notNullable();
    table.string('region', 64).notNullable();
    table
      .string('type', 128)
      .notNullable()
      .comment('Terraform resource type, e.g. aws_s3_bucket');
    table.text('native_id').notNullable();
    table.string('name', 1024).notNullable();
    table.text('tags').notNullable().comment('JSON object');
    table
      .text('attributes')
      .notNullable()
      .comment('JSON object, secrets already removed');
    table
      .text('source_address')
      .nullable()
      .comment('e.g. the Terraform address');
    table.timestamp('first_seen', { useTz: true }).notNullable();
    table.timestamp('last_seen', { useTz: true }).notNullable();
    table
      .timestamp('gone_at', { useTz: true })
      .nullable()
      .comment('Set when a successful run no longer reports it');
    table.primary(['tenant_id', 'source_id', 'id']);
    table.index(['tenant_id', 'type'], 'infra_assets_type_idx');
    table.index(['tenant_id', 'account', 'region'], 'infra_assets_place_idx');
  });
  await knex.schema.createTable('infra_edges', table => {
    table.comment(
      'Typed relationships between assets of one tenant and source',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('source_id', 63).notNullable();
    table.string('from_id', 2048).notNullable();
    table.string('to_id', 2048).notNullable();
    table
      .string('type', 32)
      .notNullable()
      .comment('contains, attached_to, depends_on, executes_as, ...');
    table
      .text('details')
      .nullable()
      .comment('JSON object: what the edge is based on');
    table.primary(['tenant_id', 'source_id', 'from_id', 'to_id', 'type']);
    table
      .foreign(['tenant_id', 'source_id', 'from_id'])
      .references(['tenant_id', 'source_id', 'id'])
      .inTable('infra_assets')
      .onDelete('CASCADE');
    table
      .foreign(['tenant_id', 'source_id', 'to_id'])
      .references(['tenant_id', 'source_id', 'id'])
      .inTable('infra_assets')
      .onDelete('CASCADE');
    table.index(['tenant_id', 'to_id'], 'infra_edges_to_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_edges');
  await knex.schema.dropTable('infra_assets');
};
