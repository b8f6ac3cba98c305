// @ts-check

/**
 * The POA&M: weaknesses drafted from open findings, with their due dates, milestones and state
 * transitions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_compliance_poam_items', table => {
    table.comment('POA&M items: one per open finding until it is closed');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('finding_id', 32).notNullable();
    table.string('title', 600).notNullable().comment('The weakness');
    table.text('description').notNullable();
    table.string('severity', 16).notNullable();
    table
      .text('controls')
      .notNullable()
      .comment('Control ids by framework, JSON');
    table.string('resource_id', 2048).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('open, in_progress, verification, closed');
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true }).nullable();
    table.primary(['tenant_id', 'id']);
    table.index(
      ['tenant_id', 'finding_id'],
      'infra_compliance_poam_finding_idx',
    );
    table.index(['tenant_id', 'state'], 'infra_compliance_poam_state_idx');
  });
  await knex.schema.createTable('infra_compliance_poam_events', table => {
    table.comment('The transitions of each POA&M item');
    table.bigIncrements('seq').primary();
    table.string('tenant_id', 63).notNullable();
    table.string('item_id', 36).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('from_state', 16).nullable().comment('None when drafted');
    table.string('to_state', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.text('comment').nullable();
    table.index(['tenant_id', 'item_id'], 'infra_compliance_poam_events_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_compliance_poam_events');
  await knex.schema.dropTable('infra_compliance_poam_items');
};
