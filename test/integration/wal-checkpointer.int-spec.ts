import Database from 'better-sqlite3';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { checkpointInBackground } from '../../apps/console-server/src/database/wal-checkpointer';
import { until } from '../support/wait';

/** The server's SQLite connection under TypeORM (better-sqlite3). */
const connectionOf = (dataSource: DataSource) => (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;

describe('SQLite WAL checkpoints in a worker thread (real SQLite file)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-users-wal-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the server connection never checkpoints in a commit; the background thread copies the WAL into the database file', async () => {
    const file = join(dir, 'console.sqlite');
    const dataSource = await new DataSource(dataSourceOptions({ type: 'sqlite', path: file })).initialize();
    try {
      // The thread starts a moment after boot, and from then on the connection leaves checkpoints to it.
      await until(async () => connectionOf(dataSource).pragma('wal_autocheckpoint', { simple: true }) === 0, 'the checkpointer started');
      await dataSource.query('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      const before = statSync(file).size;
      const body = 'x'.repeat(2_000);
      for (let batch = 0; batch < 20; batch++) {
        await dataSource.transaction(async (manager) => {
          for (let i = 0; i < 50; i++) {
            await manager.query('INSERT INTO filler (body) VALUES (?)', [body]);
          }
        });
      }
      // 1 000 rows of 2 kB: ≈ 2 MB that only a checkpoint moves from the WAL into the file.
      await until(async () => statSync(file).size > before + 1_500_000, 'the database file has the rows');
      expect((await dataSource.query('SELECT COUNT(*) AS n FROM filler'))[0].n).toBe(1_000);
    } finally {
      await dataSource.destroy();
    }
  });

  it('when the thread cannot work, the connection checkpoints by itself again and says so once', async () => {
    const file = join(dir, 'moved.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    renameSync(file, join(dir, 'elsewhere.sqlite')); // the thread cannot open the file by its name any more
    const warnings: string[] = [];
    try {
      checkpointInBackground(db, { warn: (line: string) => void warnings.push(line) }, 0);
      await until(async () => warnings.length > 0, 'the warning');
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^SQLite checkpoints run on the request thread again: the background checkpointer stopped \(.+\)$/);
    } finally {
      db.close();
    }
  });
});
