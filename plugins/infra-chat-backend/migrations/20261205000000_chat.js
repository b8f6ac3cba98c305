// @ts-check

/**
 * The chat's index of each tenant's catalog, assets, attack paths, drift, change requests,
 * findings and modules (full-text searchable: a `tsvector` column on PostgreSQL, an FTS5 table on
 * SQLite), and people's conversations.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('infra_chat_documents', table => {
    table.comment(
      'Indexed items: one per catalog entity, module, asset, attack path, drift, change request or finding of a tenant',
    );
    table.bigIncrements('id').primary();
    table.string('tenant_id', 63).notNullable();
    table
      .string('kind', 32)
      .notNullable()
      .comment(
        'entity, module, asset, attack-path, drift, change-request, finding',
      );
    table
      .string('source_key', 64)
      .notNullable()
      .comment('SHA-256 (hex) of the item id, for the unique key');
    table.text('source_id').notNullable().comment('The item id in its plugin');
    table
      .string('permission', 64)
      .notNullable()
      .comment(
        'The permission a person needs in the tenant to be answered from it',
      );
    table.text('title').notNullable();
    table
      .text('body')
      .notNullable()
      .comment('The searchable text, secrets removed');
    table.text('url').notNullable().comment('The portal page showing the item');
    table
      .text('entity_ref')
      .nullable()
      .comment(
        'The catalog entity the item belongs to, for questions asked from its page',
      );
    table
      .binary('embedding')
      .nullable()
      .comment(
        'The vector of title and body, float32 little-endian (similarity in process)',
      );
    table
      .string('content_hash', 64)
      .notNullable()
      .comment('SHA-256 of title and body');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['tenant_id', 'kind', 'source_key'], {
      indexName: 'infra_chat_documents_key',
    });
    table.index(['tenant_id', 'permission'], 'infra_chat_documents_perm_idx');
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      ALTER TABLE infra_chat_documents ADD COLUMN search tsvector
        GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', body), 'B')
        ) STORED`);
    await knex.raw(
      'CREATE INDEX infra_chat_documents_search_idx ON infra_chat_documents USING GIN (search)',
    );
  } else {
    // External-content FTS5 table kept in step by triggers.
    await knex.raw(`
      CREATE VIRTUAL TABLE infra_chat_documents_fts USING fts5(
        title, body, content='infra_chat_documents', content_rowid='id',
        tokenize='porter unicode61')`);
    await knex.raw(`
      CREATE TRIGGER infra_chat_documents_ai AFTER INSERT ON infra_chat_documents BEGIN
        INSERT INTO infra_chat_documents_fts(rowid, title, body)
          VALUES (new.id, new.title, new.body);
      END`);
    await knex.raw(`
      CREATE TRIGGER infra_chat_documents_ad AFTER DELETE ON infra_chat_documents BEGIN
        INSERT INTO infra_chat_documents_fts(infra_chat_documents_fts, rowid, title, body)
          VALUES ('delete', old.id, old.title, old.body);
      END`);
    await knex.raw(`
      CREATE TRIGGER infra_chat_documents_au AFTER UPDATE ON infra_chat_documents BEGIN
        INSERT INTO infra_chat_documents_fts(infra_chat_documents_fts, rowid, title, body)
          VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO infra_chat_documents_fts(rowid, title, body)
          VALUES (new.id, new.title, new.body);
      END`);
  }

  await knex.schema.createTable('infra_chat_index_state', table => {
    table.comment(
      'When each kind of a tenant was last indexed, and how it went',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('kind', 32).notNullable();
    table.integer('documents').notNullable();
    table.timestamp('indexed_at', { useTz: true }).notNullable();
    table
      .text('error')
      .nullable()
      .comment('Why the last indexing failed, if it did');
    table.primary(['tenant_id', 'kind']);
  });

  await knex.schema.createTable('infra_chat_conversations', table => {
    table.comment(
      'Conversations of people with the chat; only the owner reads one',
    );
    table.string('tenant_id', 63).notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table
      .string('owner', 255)
      .notNullable()
      .comment('User entity ref (or API key actor)');
    table.string('title', 200).notNullable();
    table.text('entity_ref').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'id']);
    table.index(
      ['tenant_id', 'owner', 'updated_at'],
      'infra_chat_conv_owner_idx',
    );
  });

  await knex.schema.createTable('infra_chat_messages', table => {
    table.comment('The questions and answers of each conversation');
    table.string('tenant_id', 63).notNullable();
    table.string('conversation_id', 36).notNullable();
    table.integer('seq').notNullable();
    table.string('id', 36).notNullable().comment('UUID');
    table.string('role', 16).notNullable().comment('user or assistant');
    table.text('content').notNullable();
    table.text('sources').notNullable().comment('Cited sources, JSON');
    table.text('tables').notNullable().comment('Tool results as tables, JSON');
    table.string('mode', 16).nullable().comment('extractive or model');
    table.string('model', 200).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'conversation_id', 'seq']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('infra_chat_messages');
  await knex.schema.dropTable('infra_chat_conversations');
  await knex.schema.dropTable('infra_chat_index_state');
  if (knex.client.config.client !== 'pg') {
    await knex.raw('DROP TRIGGER IF EXISTS infra_chat_documents_au');
    await knex.raw('DROP TRIGGER IF EXISTS infra_chat_documents_ad');
    await knex.raw('DROP TRIGGER IF EXISTS infra_chat_documents_ai');
    await knex.raw('DROP TABLE IF EXISTS infra_chat_documents_fts');
  }
  await knex.schema.dropTable('infra_chat_documents');
};
