import { DataSource, DataSourceOptions } from 'typeorm';
import { CONSOLE_USERS_ENTITIES, CONSOLE_USERS_MIGRATIONS } from '../../libs/console-users/src';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

function connectionOptions(db: TestDatabase): DataSourceOptions {
  const common = {
    entities: [...CONSOLE_USERS_ENTITIES],
    migrations: [...CONSOLE_USERS_MIGRATIONS],
    migrationsRun: false,
    synchronize: false,
    logging: false,
  };
  return db.config.type === 'sqlite'
    ? { ...common, type: 'better-sqlite3', database: db.config.path }
    : { ...common, type: 'postgres', url: db.config.url };
}

for (const kind of testDatabases()) {
  describe(`migrations on ${kind}`, () => {
    let db: TestDatabase;
    let sut: DataSource;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      sut = await new DataSource(connectionOptions(db)).initialize();
    });

    afterAll(async () => {
      await sut?.destroy();
      await db?.drop();
    });

    it('create a schema that matches the entities exactly', async () => {
      const applied = await sut.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toEqual(CONSOLE_USERS_MIGRATIONS.map((m) => m.name));
      const pending = await sut.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]); // the entities and the migrations describe the same schema
      expect(await sut.showMigrations()).toBe(false); // nothing left to run
    });

    it('revert cleanly, one migration at a time, and apply again', async () => {
      for (let i = 0; i < CONSOLE_USERS_MIGRATIONS.length; i++) {
        await sut.undoLastMigration({ transaction: 'each' });
      }
      const runner = sut.createQueryRunner();
      try {
        const tables = sut.entityMetadatas.map((m) => m.tableName);
        expect(tables.includes('users') && tables.includes('rate_limit_buckets')).toBeTruthy();
        for (const table of tables) {
          expect(await runner.hasTable(table)).toBe(false);
        }
        const executed: unknown[] = await runner.query(`SELECT * FROM ${sut.driver.escape('migrations')}`);
        expect(executed).toEqual([]);
      } finally {
        await runner.release();
      }
      await sut.runMigrations({ transaction: 'each' });
      expect((await sut.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    });

    it("store authentik's stock template name of existing email stages as our recovery-link mail, and give it back on revert", async () => {
      const templates = async (): Promise<string[]> =>
        ((await sut.query(`SELECT template FROM email_stages ORDER BY name`)) as { template: string }[]).map((row) => row.template);
      // Back to just before the migration that made the template names ours (and whatever came after it).
      const undo = async (): Promise<void> => {
        const index = CONSOLE_USERS_MIGRATIONS.findIndex((m) => m.name === 'EmailStageMailTemplates1763791800000');
        for (let i = index; i < CONSOLE_USERS_MIGRATIONS.length; i++) {
          await sut.undoLastMigration({ transaction: 'each' });
        }
      };
      await undo();
      await sut.query(
        `INSERT INTO email_stages (id, name, subject, template, from_address, token_expiry, version, created_at, updated_at) VALUES
         ('00000000-0000-4000-8000-000000000001', 'a-stock', NULL, 'email/password_reset.html', NULL, 'minutes=60', 0, 1, 1),
         ('00000000-0000-4000-8000-000000000002', 'b-own', NULL, 'account-notice', NULL, 'minutes=60', 0, 1, 1)`,
      );
      await sut.runMigrations({ transaction: 'each' });
      expect(await templates()).toEqual(['recovery-link', 'account-notice']);
      await undo();
      expect(await templates()).toEqual(['email/password_reset.html', 'account-notice']);
      await sut.runMigrations({ transaction: 'each' });
      await sut.query(`DELETE FROM email_stages`);
    });
  });
}
