// @ts-check

/**
 * Pipelines: each tenant's connections to CI systems, the runs and jobs they report (webhooks
 * and pulls), and the webhook deliveries already received (replays are refused).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_pipeline_connections', table => {
    table.comment('A tenant connection to GitHub, GitLab or Azure DevOps');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 63).notNullable();
    table
      .string('provider', 32)
      .notNullable()
      .comment('github, gitlab, azure-devops');
    table.string('name', 200).notNullable();
    table.text('base_url').notNullable();
    table
      .string('token_credential_id', 64)
      .nullable()
      .comment('Vault credential holding the API token');
    table
      .string('webhook_secret_credential_id', 64)
      .nullable()
      .comment('Vault credential holding the webhook secret');
    table.string('origin', 16).notNullable().comment('config or api');
    table.integer('pull_minutes').notNullable().defaultTo(0);
    table.timestamp('last_pulled_at', { useTz: true }).nullable();
    table.text('last_pull_error').nullable();
    table
      .timestamp('pull_after', { useTz: true })
      .nullable()
      .comment('No pull before this time (a rate limit asked to wait)');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
  });

  await knex.schema.createTable('infra_pipeline_runs', table => {
    table.comment('Pipeline runs of a tenant, one per provider run');
    table.uuid('id').primary();
    table.string('tenant_id', 63).notNullable();
    table.string('connection_id', 63).notNullable();
    table.string('provider', 32).notNullable();
    table.string('repository', 300).notNullable();
    table.string('pipeline', 500).notNullable();
    table.string('pipeline_id', 500).nullable();
    table
      .string('external_id', 100)
      .notNullable()
      .comment('The provider run id');
    table.integer('number').nullable();
    table.integer('attempt').nullable();
    table.string('status', 16).notNullable();
    table
      .integer('attention')
      .notNullable()
      .comment('0 for failed runs, 1 otherwise: failed runs list first');
    table.string('branch', 500).nullable();
    table.string('commit_sha', 64).nullable();
    table.string('actor', 500).nullable();
    table.string('event', 500).nullable();
    table.text('url').nullable();
    table.text('entity_refs').notNullable().comment('JSON list of entity refs');
    table.string('module', 200).nullable();
    table.string('environment', 100).nullable();
    table
      .timestamp('queued_at', { useTz: true })
      .notNullable()
      .comment('When the provider created the run (the list order)');
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.bigInteger('duration_ms').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('received_via', 16).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.unique(['tenant_id', 'connection_id', 'external_id'], {
      indexName: 'infra_pipeline_runs_external',
    });
    table.index(['tenant_id', 'queued_at', 'id'], 'infra_pipeline_runs_recent');
    table.index(
      ['tenant_id', 'attention', 'queued_at', 'id'],
      'infra_pipeline_runs_attention',
    );
    table.index(['tenant_id', 'module'], 'infra_pipeline_runs_module');
  });

  await knex.schema.createTable('infra_pipeline_run_entities', table => {
    table.comment('Which entities each run belongs to (for the entity tabs)');
    table.string('tenant_id', 63).notNullable();
    table.uuid('run_id').notNullable();
    table.string('entity_ref', 300).notNullable();
    table.timestamp('queued_at', { useTz: true }).notNullable();
    table.primary(['run_id', 'entity_ref']);
    table.index(
      ['tenant_id', 'entity_ref', 'queued_at'],
      'infra_pipeline_run_entities_recent',
    );
  });

  await knex.schema.createTable('infra_pipeline_jobs', table => {
    table.comment(
      'Jobs of pipeline runs; failed ones keep the end of their log',
    );
    table.string('tenant_id', 63).notNullable();
    table.uuid('run_id').notNullable();
    table.string('external_id', 100).notNullable();
    table.string('name', 500).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.bigInteger('duration_ms').nullable();
    table.text('url').nullable();
    table.string('log_id', 100).nullable();
    table
      .text('log_excerpt')
      .nullable()
      .comment('The end of a failed job log, secrets redacted');
    table.boolean('log_truncated').notNullable().defaultTo(false);
    table.primary(['run_id', 'external_id']);
    table.index(['tenant_id'], 'infra_pipeline_jobs_tenant');
  });

  await knex.schema.createTable('infra_pipeline_deliveries', table => {
    table.comment(
      'Webhook deliveries received, by their provider id (replays are refused)',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('connection_id', 63).notNullable();
    table.string('delivery_id', 200).notNullable();
    table.string('event', 200).notNullable();
    table.string('outcome', 300).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'connection_id', 'delivery_id']);
    table.index(['received_at'], 'infra_pipeline_deliveries_age');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_pipeline_deliveries');
  await knex.schema.dropTable('infra_pipeline_jobs');
  await knex.schema.dropTable('infra_pipeline_run_entities');
  await knex.schema.dropTable('infra_pipeline_runs');
  await knex.schema.dropTable('infra_pipeline_connections');
};
