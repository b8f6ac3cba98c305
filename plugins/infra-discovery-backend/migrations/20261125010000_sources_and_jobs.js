// @ts-check

/**
 * Discovery sources (what to discover, per tenant) and the jobs that ran them. A partial unique
 * index lets at most one job per source run at a time, on SQLite and PostgreSQL alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_discovery_sources', table => {
    table.comment('What to discover, per tenant (and workspace)');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 63).notNullable().comment('Slug, unique in the tenant');
    table
      .string('workspace_id', 63)
      .nullable()
      .comment('Workspace of the tenant, if any');
    table.string('name', 200).notNullable();
    table.string('provider', 64).notNullable().comment('terraform, aws, ...');
    table.text('settings').notNullable().comment('JSON object; never secrets');
    table
      .string('credential_id', 36)
      .nullable()
      .comment('Vault credential used at run time');
    table
      .string('schedule', 64)
      .nullable()
      .comment('ISO 8601 duration (PT1H) or cron; null = on demand only');
    table.boolean('enabled').notNullable().defaultTo(true);
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
  });
  await knex.schema.createTable('infra_discovery_jobs', table => {
    table.comment('Runs of discovery sources, with their outcome');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('source_id', 63).notNullable();
    table.string('trigger', 16).notNullable().comment('schedule or manual');
    table
      .string('status', 16)
      .notNullable()
      .comment('running, succeeded or failed');
    table.string('requested_by', 255).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('assets').nullable();
    table.integer('edges').nullable();
    table.integer('added').nullable();
    table.integer('gone').nullable();
    table
      .text('warnings')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of partial errors');
    table.text('error').nullable().comment('Why a failed job failed');
    table.primary(['tenant_id', 'id']);
    table
      .foreign(['tenant_id', 'source_id'])
      .references(['tenant_id', 'id'])
      .inTable('infra_discovery_sources')
      .onDelete('CASCADE');
    table.index(
      ['tenant_id', 'source_id', 'started_at'],
      'infra_discovery_jobs_source_idx',
    );
  });
  await knex.raw(
    `CREATE UNIQUE INDEX infra_discovery_jobs_one_running ON infra_discovery_jobs (tenant_id, source_id) WHERE status = 'running'`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_discovery_jobs');
  await knex.schema.dropTable('infra_discovery_sources');
};
