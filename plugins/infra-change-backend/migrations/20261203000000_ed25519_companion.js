// @ts-check

/**
 * The Ed25519 companion of each signing key (compliance evidence is signed with both ML-DSA-65
 * and Ed25519): its public key, the vault credential of its secret half, and the two signatures
 * that bind it to the ML-DSA-65 key. Keys made before this get a companion on first use.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_signing_keys', table => {
    table
      .text('ed25519_public_key')
      .nullable()
      .comment('The Ed25519 companion public key, base64');
    table
      .string('ed25519_credential_id')
      .nullable()
      .comment('The vault credential holding the companion secret half');
    table
      .timestamp('ed25519_created_at', { useTz: true })
      .nullable()
      .comment('When the companion was made');
    table
      .text('ed25519_binding')
      .nullable()
      .comment('ML-DSA-65 signature of the key over the binding statement');
    table
      .text('ed25519_proof')
      .nullable()
      .comment('Ed25519 signature of the companion over the binding statement');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_signing_keys', table => {
    table.dropColumn('ed25519_public_key');
    table.dropColumn('ed25519_credential_id');
    table.dropColumn('ed25519_created_at');
    table.dropColumn('ed25519_binding');
    table.dropColumn('ed25519_proof');
  });
};
