// @ts-check

/**
 * AI governance: the usage log of every model call (and every call a policy refused), and the
 * per-team policies enforced before a call.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_chat_ai_usage', table => {
    table.comment(
      'Every model call of a tenant, and every call a policy refused',
    );
    table.bigIncrements('id').primary();
    table.string('tenant_id', 63).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('Who asked (user ref or API key)');
    table
      .string('team', 255)
      .notNullable()
      .comment('The team whose policy applied');
    table
      .string('feature', 32)
      .notNullable()
      .comment(
        'chat, plan-summary, risk-assessment, rollback-plan, failure-diagnosis, module-scaffold',
      );
    table.string('model', 200).notNullable();
    table.integer('tokens_in').notNullable();
    table.integer('tokens_out').notNullable();
    table.double('cost').notNullable().comment('By the configured price table');
    table.integer('latency_ms').notNullable();
    table.string('outcome', 16).notNullable().comment('ok, refused or error');
    table
      .text('detail')
      .nullable()
      .comment('The policy that refused, or the error');
    table.index(['tenant_id', 'at'], 'infra_chat_ai_usage_at_idx');
    table.index(['tenant_id', 'team', 'at'], 'infra_chat_ai_usage_team_idx');
  });
  await knex.schema.createTable('infra_chat_ai_policies', table => {
    table.comment('What each team of a tenant may do with models');
    table.string('tenant_id', 63).notNullable();
    table
      .string('team', 255)
      .notNullable()
      .comment('A group entity ref, or "default" for everyone else');
    table.text('features').notNullable().comment('Allowed features, JSON');
    table
      .text('models')
      .notNullable()
      .comment('Allowed models, JSON ([] = any)');
    table
      .bigInteger('monthly_token_budget')
      .nullable()
      .comment('None: no budget');
    table
      .text('data_classes')
      .notNullable()
      .comment('Data classes that may be sent, JSON');
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'team']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_chat_ai_policies');
  await knex.schema.dropTable('infra_chat_ai_usage');
};
