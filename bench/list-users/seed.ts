// Child process of the list benchmark: seeds users `from`..`to` into the server's database through
// a DataSource of its own, so the memory the seeding takes is not counted in the server's RSS (a
// real server never inserts a million users through itself). Usage: node seed.js <from> <to>,
// with the server's DATABASE_URL and DATA_DIR in the environment.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseConfig } from '../../apps/console-server/src/config/app-config';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { bindSqliteNumbersAsParameters } from '../../libs/console-users/src';
import { seedUsers } from './seed-data';

async function main(): Promise<void> {
  const [from, to] = process.argv.slice(2).map(Number);
  const options = dataSourceOptions(parseConfig(process.env).database);
  // The server ran the migrations; bulk inserts and VACUUM of a million rows outlast the server's
  // statement timeout, which protects requests, not a seed.
  const extra = options.type === 'postgres' ? { ...(options.extra as object), statement_timeout: 0, query_timeout: undefined } : undefined;
  // Configured exactly as the server's (app.module.ts) apart from the timeouts.
  const db = bindSqliteNumbersAsParameters(new DataSource({ ...options, migrationsRun: false, ...(extra ? { extra } : {}) } as typeof options));
  await db.initialize();
  try {
    await seedUsers(db, from!, to!);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
