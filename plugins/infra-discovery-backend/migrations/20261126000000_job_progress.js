// @ts-check

/**
 * Live progress of a running job (and an index for walking edges outwards), kept in the database so that every backend replica answers
 * the same (the replica running the job updates it at most once a second).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_discovery_jobs', table => {
    table
      .string('progress_message', 1000)
      .nullable()
      .comment("The provider's last progress message");
    table.integer('progress_done').nullable();
    table.integer('progress_total').nullable();
    table
      .integer('progress_assets')
      .nullable()
      .comment('Assets received so far');
    table
      .integer('progress_edges')
      .nullable()
      .comment('Relationships received so far');
  });
  // Walking the graph outwards from an asset (the neighbourhood view, attack paths).
  await knex.schema.alterTable('infra_edges', table => {
    table.index(['tenant_id', 'from_id'], 'infra_edges_from_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_edges', table => {
    table.dropIndex(['tenant_id', 'from_id'], 'infra_edges_from_idx');
  });
  await knex.schema.alterTable('infra_discovery_jobs', table => {
    table.dropColumn('progress_message');
    table.dropColumn('progress_done');
    table.dropColumn('progress_total');
    table.dropColumn('progress_assets');
    table.dropColumn('progress_edges');
  });
};
