// @ts-check

/**
 * Signing keys form a history: each key after the first names the key it replaced and carries
 * that key's signature over the rotation, so that a verifier who trusts the first key can trust
 * every later one without trusting this database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_signing_keys', table => {
    table
      .string('previous_key_id', 64)
      .nullable()
      .comment('The key this one replaced; null for the first key');
    table
      .text('endorsement')
      .nullable()
      .comment(
        'ML-DSA-65 signature of the previous key over the rotation statement',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('infra_signing_keys', table => {
    table.dropColumn('previous_key_id');
    table.dropColumn('endorsement');
  });
};
