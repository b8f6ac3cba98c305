// @ts-check

/**
 * Signed checkpoints of the audit chains: now and then the head of each scope's chain (its last
 * seq and hash) is signed with the installation's ML-DSA-65 audit key, so that removing the
 * newest events (which the chain alone cannot show) is detected. Append-only, like the log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const isPg = knex.client.config.client === 'pg';
  await knex.schema.createTable('infra_audit_keys', table => {
    table.comment('ML-DSA-65 keys that sign audit checkpoints (public halves)');
    table
      .string('id', 64)
      .primary()
      .comment('mldsa65:<SHA-256 of the public key, 32 hex>');
    table.text('public_key').notNullable().comment('base64');
    table
      .string('credential_id', 36)
      .notNullable()
      .comment('System-scope vault credential holding the secret key');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('infra_audit_checkpoints', table => {
    table.comment(
      'Signed heads of the audit chains; UPDATE and DELETE are refused',
    );
    table.bigIncrements('id').primary();
    table.string('tenant_id', 63).notNullable().comment('Scope of the chain');
    table
      .bigInteger('head_seq')
      .notNullable()
      .comment('seq of the last event then');
    table.string('head_hash', 64).notNullable().comment('hash of that event');
    table.timestamp('signed_at', { useTz: true }).notNullable();
    table.string('key_id', 64).notNullable();
    table.text('signature').notNullable().comment('ML-DSA-65, base64');
    table.index(['tenant_id', 'id'], 'infra_audit_checkpoints_scope_idx');
  });
  if (isPg) {
    await knex.raw(`
      CREATE TRIGGER infra_audit_checkpoints_no_update_delete
      BEFORE UPDATE OR DELETE ON infra_audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION infra_audit_events_refuse()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER infra_audit_checkpoints_no_update BEFORE UPDATE ON infra_audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'infra_audit_checkpoints is append-only: UPDATE refused'); END`);
    await knex.raw(`
      CREATE TRIGGER infra_audit_checkpoints_no_delete BEFORE DELETE ON infra_audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'infra_audit_checkpoints is append-only: DELETE refused'); END`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      'DROP TRIGGER IF EXISTS infra_audit_checkpoints_no_update_delete ON infra_audit_checkpoints',
    );
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS infra_audit_checkpoints_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS infra_audit_checkpoints_no_delete');
  }
  await knex.schema.dropTable('infra_audit_checkpoints');
  await knex.schema.dropTable('infra_audit_keys');
};
