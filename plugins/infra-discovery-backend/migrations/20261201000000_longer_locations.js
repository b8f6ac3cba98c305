// @ts-check

/**
 * Real identifiers are longer than the first limits: Google locations and zones, Azure
 * subscription-scoped names. Accounts and regions take up to 255 characters. (SQLite does not
 * enforce VARCHAR lengths; only PostgreSQL's columns change.)
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    'ALTER TABLE infra_assets ALTER COLUMN account TYPE varchar(255), ALTER COLUMN region TYPE varchar(255)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    'ALTER TABLE infra_assets ALTER COLUMN account TYPE varchar(128), ALTER COLUMN region TYPE varchar(64)',
  );
};
