import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * Runs a plugin's migrations up, all the way down, and up again on `knex`, checking after each
 * step which of `tables` exist: every one after going up, none after going down. Returns the
 * migrations' file names in the order they ran.
 */
export async function migrateUpAndDown(
  knex: Knex,
  options: { packageName: string; tableName: string; tables: string[] },
) {
  const config = {
    directory: resolvePackagePath(options.packageName, 'migrations'),
    tableName: options.tableName,
  };
  const present = async () => {
    const found: string[] = [];
    for (const table of options.tables)
      if (await knex.schema.hasTable(table)) found.push(table);
    return found;
  };
  const [, up] = await knex.migrate.latest(config);
  const afterUp = await present();
  await knex.migrate.rollback(config, true);
  const afterDown = await present();
  await knex.migrate.latest(config);
  const afterUpAgain = await present();
  return { ran: up as string[], afterUp, afterDown, afterUpAgain };
}
