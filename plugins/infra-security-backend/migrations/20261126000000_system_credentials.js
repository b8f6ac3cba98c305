// @ts-check

/**
 * Credentials of the installation itself (the system scope, which is not a tenant): e.g. the
 * private key that signs change approvals. Same columns and encryption as infra_credentials,
 * without the foreign key to a tenant. No endpoint reads or writes them; backend plugins use them
 * through the security spine service, every use audited in the system scope.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_system_credentials', table => {
    table.comment(
      'Encrypted secrets of the installation itself (AES-256-GCM), system scope only',
    );
    table
      .string('tenant_id', 63)
      .notNullable()
      .defaultTo('system')
      .comment("Always 'system'");
    table.string('id', 36).notNullable().comment('UUID');
    table.string('name', 200).notNullable().comment('Unique');
    table.string('kind', 64).notNullable().comment('e.g. ml-dsa-65-secret-key');
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
      indexName: 'infra_system_credentials_name_uq',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_system_credentials');
};
