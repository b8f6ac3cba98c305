// @ts-check

/**
 * Change control: Terraform modules per tenant, uploaded plans with their analysis (drift
 * history), change requests, decisions (approvals signed with ML-DSA-65) and the installation's
 * signing keys (public halves; the private halves are in the credential vault).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_change_modules', table => {
    table.comment('Terraform modules (root modules) whose plans are uploaded');
    table.string('tenant_id', 63).notNullable();
    table
      .string('id', 100)
      .notNullable()
      .comment('Slug, unique in the installation');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('Catalog entity, if known');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
    table.unique(['id'], { indexName: 'infra_change_modules_id_uq' });
  });
  await knex.schema.createTable('infra_change_plans', table => {
    table.comment(
      'Uploaded plans and their analysis; the drift history of each module',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('module_id', 100).notNullable();
    table.string('kind', 16).notNullable().comment('plan or refresh-only');
    table
      .string('sha256', 64)
      .notNullable()
      .comment('Of the canonical JSON of the plan');
    table.string('format_version', 16).notNullable();
    table.string('terraform_version', 32).nullable();
    table.bigInteger('size_bytes').notNullable();
    table.string('risk', 16).notNullable();
    table
      .integer('drifted')
      .notNullable()
      .comment('Resources changed outside Terraform');
    table.text('summary').notNullable().comment('PlanSummary, JSON');
    table
      .text('drift')
      .notNullable()
      .comment('Drifted resources with attribute diffs, JSON');
    table
      .text('changes')
      .notNullable()
      .comment('Planned changes with attribute diffs, JSON');
    table.string('uploaded_by', 255).notNullable();
    table.timestamp('uploaded_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
    table
      .foreign(['tenant_id', 'module_id'])
      .references(['tenant_id', 'id'])
      .inTable('infra_change_modules');
    table.index(
      ['tenant_id', 'module_id', 'uploaded_at'],
      'infra_change_plans_module_idx',
    );
  });
  await knex.schema.createTable('infra_change_requests', table => {
    table.comment('Change requests and where they stand');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('module_id', 100).notNullable();
    table.string('plan_id', 36).notNullable();
    table.string('plan_hash', 64).notNullable();
    table.string('risk', 16).notNullable();
    table
      .text('summary')
      .notNullable()
      .comment('PlanSummary at request time, JSON');
    table.string('requester', 255).notNullable();
    table.text('rollback_note').notNullable();
    table
      .string('state', 32)
      .notNullable()
      .comment(
        'draft, pending_approval, approved, rejected, applied, cancelled',
      );
    table.integer('required_approvals').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
    table
      .foreign(['tenant_id', 'plan_id'])
      .references(['tenant_id', 'id'])
      .inTable('infra_change_plans');
    table.index(
      ['tenant_id', 'state', 'created_at'],
      'infra_change_requests_state_idx',
    );
  });
  await knex.schema.createTable('infra_change_decisions', table => {
    table.comment('Approvals (signed) and rejections of change requests');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('change_request_id', 36).notNullable();
    table.string('approver', 255).notNullable();
    table.string('decision', 16).notNullable().comment('approve or reject');
    table.text('comment').notNullable();
    table.timestamp('decided_at', { useTz: true }).notNullable();
    table
      .text('payload')
      .nullable()
      .comment('Signed payload, canonical JSON (approvals)');
    table.text('signature').nullable().comment('ML-DSA-65, base64 (approvals)');
    table.string('key_id', 64).nullable().comment('Signing key');
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'change_request_id', 'approver'], {
      indexName: 'infra_change_decisions_once_uq',
    });
    table
      .foreign(['tenant_id', 'change_request_id'])
      .references(['tenant_id', 'id'])
      .inTable('infra_change_requests');
  });
  await knex.schema.createTable('infra_signing_keys', table => {
    table.comment(
      'ML-DSA-65 keys of the installation (public halves), system scope',
    );
    table.string('tenant_id', 63).notNullable().defaultTo('system');
    table
      .string('id', 64)
      .notNullable()
      .comment('mldsa65:<SHA-256 of the public key, 32 hex>');
    table.string('algorithm', 16).notNullable();
    table.text('public_key').notNullable().comment('base64');
    table
      .string('credential_id', 36)
      .notNullable()
      .comment('Vault credential of the secret key');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('retired_at', { useTz: true })
      .nullable()
      .comment('Kept for verification');
    table.primary(['tenant_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_signing_keys');
  await knex.schema.dropTable('infra_change_decisions');
  await knex.schema.dropTable('infra_change_requests');
  await knex.schema.dropTable('infra_change_plans');
  await knex.schema.dropTable('infra_change_modules');
};
