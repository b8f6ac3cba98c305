// @ts-check

/**
 * CI runs in change control: the run that uploaded a plan, and the run that applied an approved
 * change request (the pipelines gate: an apply is recorded only for exactly the approved plan).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_change_plans', table => {
    table
      .string('ci_run', 700)
      .nullable()
      .comment('The CI run that uploaded the plan: provider:repository:runId');
    table.index(['tenant_id', 'ci_run'], 'infra_change_plans_ci_run');
  });
  await knex.schema.alterTable('infra_change_requests', table => {
    table
      .text('applied_run')
      .nullable()
      .comment(
        'The CI run that applied the change (JSON: provider, repository, runId, url)',
      );
    table.index(['tenant_id', 'plan_hash'], 'infra_change_requests_plan_hash');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_change_requests', table => {
    table.dropIndex(
      ['tenant_id', 'plan_hash'],
      'infra_change_requests_plan_hash',
    );
    table.dropColumn('applied_run');
  });
  await knex.schema.alterTable('infra_change_plans', table => {
    table.dropIndex(['tenant_id', 'ci_run'], 'infra_change_plans_ci_run');
    table.dropColumn('ci_run');
  });
};
