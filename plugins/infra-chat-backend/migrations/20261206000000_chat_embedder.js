// @ts-check

/**
 * Which embedder made each item's vector, so vectors of different embedders (the local one, a
 * configured embedding model, another size) are never compared, and items whose vector is
 * missing or of another embedder are embedded again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('infra_chat_documents', table => {
    table
      .string('embedded_by', 200)
      .nullable()
      .comment(
        'The embedder that made the vector (its id and size); null: no vector yet',
      );
  });
  await knex('infra_chat_documents')
    .whereNotNull('embedding')
    .update({ embedded_by: 'local-hash-256' });
  if (knex.client.config.client !== 'pg') {
    // Writing a vector no longer rewrites the item's full-text entry.
    await ftsUpdateTrigger(knex, 'AFTER UPDATE OF title, body');
  }
};

/**
 * @param {import('knex').Knex} knex
 * @param {string} when
 */
async function ftsUpdateTrigger(knex, when) {
  await knex.raw('DROP TRIGGER IF EXISTS infra_chat_documents_au');
  await knex.raw(`
    CREATE TRIGGER infra_chat_documents_au ${when} ON infra_chat_documents BEGIN
      INSERT INTO infra_chat_documents_fts(infra_chat_documents_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
      INSERT INTO infra_chat_documents_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END`);
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') {
    await ftsUpdateTrigger(knex, 'AFTER UPDATE');
  }
  await knex.schema.alterTable('infra_chat_documents', table => {
    table.dropColumn('embedded_by');
  });
};
