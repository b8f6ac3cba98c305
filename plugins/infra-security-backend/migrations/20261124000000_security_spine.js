// @ts-check

/**
 * The security spine's tables. Every row carries tenant_id and every reference between rows
 * includes it, so that a row of one tenant cannot point at another's. The system scope is a row
 * of infra_tenants (kind 'system') so that installation-wide role bindings and audit events are
 * scoped like everything else.
 *
 * infra_audit_events is append-only: triggers make the database itself refuse UPDATE and DELETE
 * (and TRUNCATE on PostgreSQL).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const isPg = knex.client.config.client === 'pg';

  await knex.schema.createTable('infra_tenants', table => {
    table.comment('Client organisations, and the one system scope');
    table
      .string('id', 63)
      .primary()
      .comment('Slug: lowercase letters, digits, dashes');
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('tenant')
      .comment("'tenant' or 'system'");
    table.string('title', 200).notNullable().comment('Display name');
    table.text('description').nullable();
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of who created it');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
  await knex('infra_tenants').insert({
    id: 'system',
    kind: 'system',
    title: 'System',
    description: 'Installation-wide role bindings and audit events',
    created_by: 'system',
  });

  await knex.schema.createTable('infra_workspaces', table => {
    table.comment('Scoped data environments inside a tenant');
    table.string('tenant_id', 63).notNullable().comment('Owning tenant');
    table.string('id', 63).notNullable().comment('Slug, unique in the tenant');
    table.string('title', 200).notNullable();
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['tenant_id', 'id']);
    table
      .foreign('tenant_id')
      .references('infra_tenants.id')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('infra_role_bindings', table => {
    table.comment(
      'Roles held by users, per tenant (or in the system scope for system-admin)',
    );
    table.string('tenant_id', 63).notNullable().comment('Tenant, or system');
    table.string('user_ref', 255).notNullable().comment('User entity ref');
    table.string('role', 32).notNullable().comment('One of the five roles');
    table
      .string('granted_by', 255)
      .notNullable()
      .comment('Who granted it (or config)');
    table
      .timestamp('granted_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['tenant_id', 'user_ref', 'role']);
    table.index(['user_ref'], 'infra_role_bindings_user_idx');
    table
      .foreign('tenant_id')
      .references('infra_tenants.id')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('infra_credentials', table => {
    table.comment('Encrypted cloud keys, tokens and passwords (AES-256-GCM)');
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('name', 200).notNullable().comment('Unique in the tenant');
    table
      .string('kind', 64)
      .notNullable()
      .comment('e.g. aws-access-key, token, password');
    table
      .string('key_id', 64)
      .notNullable()
      .comment('Vault master key that encrypted it');
    table.string('iv', 32).notNullable().comment('96-bit nonce, base64');
    table.text('ciphertext').notNullable().comment('base64');
    table.string('auth_tag', 32).notNullable().comment('GCM tag, base64');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.primary(['tenant_id', 'id']);
    table.unique(['tenant_id', 'name'], {
      indexName: 'infra_credentials_name_uq',
    });
    table
      .foreign('tenant_id')
      .references('infra_tenants.id')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('infra_api_keys', table => {
    table.comment(
      'Machine API keys: tenant-scoped, role-bound, stored as scrypt hashes',
    );
    table.string('tenant_id', 63).notNullable();
    table
      .string('id', 32)
      .notNullable()
      .comment('Public key id, part of the token');
    table.string('name', 200).notNullable();
    table.string('role', 32).notNullable();
    table
      .string('secret_hash', 255)
      .notNullable()
      .comment('scrypt$N$r$p$salt$hash');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
    table.primary(['tenant_id', 'id']);
    table.unique(['id'], { indexName: 'infra_api_keys_id_uq' });
    table
      .foreign('tenant_id')
      .references('infra_tenants.id')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('infra_audit_events', table => {
    table.comment(
      'Append-only, hash-chained audit log; UPDATE and DELETE are refused',
    );
    table.bigIncrements('seq').primary().comment('Order of the log');
    table.string('id', 36).notNullable().unique().comment('UUID');
    table
      .string('tenant_id', 63)
      .notNullable()
      .comment('Tenant or system; kept after a tenant is deleted');
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('User ref, service or api-key:<id>');
    table.string('action', 100).notNullable().comment('e.g. role.granted');
    table
      .string('outcome', 16)
      .notNullable()
      .comment('success, failure or denied');
    table
      .string('subject', 255)
      .nullable()
      .comment('What the action was about');
    table.text('details').notNullable().comment('JSON object');
    table
      .string('prev_hash', 64)
      .notNullable()
      .comment('hash of the previous event of the tenant');
    table
      .string('hash', 64)
      .notNullable()
      .comment('sha256 over prev_hash and the event');
    table.index(['tenant_id', 'seq'], 'infra_audit_events_tenant_idx');
  });

  if (isPg) {
    await knex.raw(`
      CREATE FUNCTION infra_audit_events_refuse() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'infra_audit_events is append-only: % refused', TG_OP;
      END;
      $$ LANGUAGE plpgsql`);
    await knex.raw(`
      CREATE TRIGGER infra_audit_events_no_update_delete
      BEFORE UPDATE OR DELETE ON infra_audit_events
      FOR EACH ROW EXECUTE FUNCTION infra_audit_events_refuse()`);
    await knex.raw(`
      CREATE TRIGGER infra_audit_events_no_truncate
      BEFORE TRUNCATE ON infra_audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION infra_audit_events_refuse()`);
  } else {
    await knex.raw(`
      CREATE TRIGGER infra_audit_events_no_update BEFORE UPDATE ON infra_audit_events
      BEGIN SELECT RAISE(ABORT, 'infra_audit_events is append-only: UPDATE refused'); END`);
    await knex.raw(`
      CREATE TRIGGER infra_audit_events_no_delete BEFORE DELETE ON infra_audit_events
      BEGIN SELECT RAISE(ABORT, 'infra_audit_events is append-only: DELETE refused'); END`);
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  const isPg = knex.client.config.client === 'pg';
  if (isPg) {
    await knex.raw(
      'DROP TRIGGER IF EXISTS infra_audit_events_no_truncate ON infra_audit_events',
    );
    await knex.raw(
      'DROP TRIGGER IF EXISTS infra_audit_events_no_update_delete ON infra_audit_events',
    );
    await knex.raw('DROP FUNCTION IF EXISTS infra_audit_events_refuse()');
  } else {
    await knex.raw('DROP TRIGGER IF EXISTS infra_audit_events_no_update');
    await knex.raw('DROP TRIGGER IF EXISTS infra_audit_events_no_delete');
  }
  await knex.schema.dropTable('infra_audit_events');
  await knex.schema.dropTable('infra_api_keys');
  await knex.schema.dropTable('infra_credentials');
  await knex.schema.dropTable('infra_role_bindings');
  await knex.schema.dropTable('infra_workspaces');
  await knex.schema.dropTable('infra_tenants');
};
