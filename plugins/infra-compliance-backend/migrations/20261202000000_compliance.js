// @ts-check

/**
 * Compliance: evaluations of each tenant's discovered assets against the active rules, the
 * findings they keep (with their history), and the latest posture per framework, control,
 * system and owner.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_compliance_evaluations', table => {
    table.comment(
      'Evaluations of a tenant; their summaries are the posture trend',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table
      .string('status', 16)
      .notNullable()
      .comment('running, succeeded, failed');
    table
      .string('trigger', 32)
      .notNullable()
      .comment('manual, graph-changed, schedule, rules-changed');
    table.string('actor', 255).notNullable();
    table.string('rule_set_version', 64).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('assets').nullable();
    table
      .text('summary')
      .nullable()
      .comment('Counts and FrameworkPosture[], JSON, when it succeeded');
    table.text('error').nullable();
    table.primary(['tenant_id', 'id']);
    table.index(
      ['tenant_id', 'started_at'],
      'infra_compliance_evaluations_at_idx',
    );
  });
  await knex.schema.createTable('infra_compliance_findings', table => {
    table.comment('A rule failing on an asset, kept across evaluations');
    table.string('tenant_id', 63).notNullable();
    table
      .string('id', 32)
      .notNullable()
      .comment('Digest of tenant, rule and asset: stable across evaluations');
    table.string('rule_id', 128).notNullable();
    table.string('title', 300).notNullable();
    table.string('severity', 16).notNullable();
    table
      .smallint('severity_rank')
      .notNullable()
      .comment('0 critical to 4 info: the listing order');
    table
      .string('status', 16)
      .notNullable()
      .comment('open, resolved, suppressed');
    table.string('resource_id', 2048).notNullable().comment('Asset id');
    table.string('resource_type', 128).notNullable();
    table.string('resource_name', 512).notNullable();
    table.string('system', 63).nullable().comment('From the asset tags');
    table.string('owner', 63).nullable().comment('From the asset tags');
    table
      .text('controls')
      .notNullable()
      .comment('Control ids by framework, JSON');
    table.text('message').nullable();
    table.text('remediation').notNullable();
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.string('evaluation_id', 36).notNullable();
    table.text('suppression_reason').nullable();
    table.timestamp('suppression_expires_at', { useTz: true }).nullable();
    table.string('suppression_approver', 255).nullable();
    table.timestamp('suppressed_at', { useTz: true }).nullable();
    table.primary(['tenant_id', 'id']);
    table.index(
      ['tenant_id', 'status', 'severity_rank', 'id'],
      'infra_compliance_findings_status_idx',
    );
  });
  await knex.schema.createTable('infra_compliance_finding_events', table => {
    table.comment('The history of each finding');
    table.bigIncrements('seq').primary();
    table.string('tenant_id', 63).notNullable();
    table.string('finding_id', 32).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .string('kind', 16)
      .notNullable()
      .comment('opened, reopened, resolved, suppressed, unsuppressed, expired');
    table.string('actor', 255).notNullable();
    table.text('details').nullable().comment('JSON');
    table.index(
      ['tenant_id', 'finding_id'],
      'infra_compliance_finding_events_idx',
    );
  });
  await knex.schema.createTable('infra_compliance_posture', table => {
    table.comment(
      'Result counts of the latest evaluation per framework, control, system and owner',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('framework', 64).notNullable();
    table.string('control', 64).notNullable();
    table.string('system', 63).notNullable().comment("'' when untagged");
    table.string('owner', 63).notNullable().comment("'' when untagged");
    table.integer('pass').notNullable();
    table.integer('fail').notNullable();
    table.integer('unknown').notNullable();
    table.integer('error').notNullable();
    table.primary(['tenant_id', 'framework', 'control', 'system', 'owner']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_compliance_posture');
  await knex.schema.dropTable('infra_compliance_finding_events');
  await knex.schema.dropTable('infra_compliance_findings');
  await knex.schema.dropTable('infra_compliance_evaluations');
};
