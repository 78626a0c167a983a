import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { serializeSqliteAccess } from '../../libs/console-users/src/database/sqlite-access-serializer';
import { RateLimitRepository } from '../../libs/console-users/src/throttling/rate-limit.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const MINUTE = 60_000;
const now = new Date('2026-03-01T12:00:00.000Z');

/** A promise and the function that settles it, to hold a transaction open on purpose. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

for (const kind of testDatabases()) {
  describe(`transactions are isolated from other requests' work on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let sut: RateLimitRepository;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
      serializeSqliteAccess(dataSource);
      sut = new RateLimitRepository(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('a statement issued while another transaction is open survives that transaction rolling back', async () => {
      const hold = gate();
      const begun = gate();
      const failing = dataSource
        .transaction(async (manager) => {
          await sut.hit('inside-rolled-back', MINUTE, now, manager);
          begun.open();
          await hold.opened;
          throw new Error('roll back');
        })
        .catch((error: Error) => error.message);
      // Another request's plain write, issued while the transaction is open.
      await begun.opened;
      const outside = sut.hit('outside', MINUTE, now);
      setTimeout(hold.open, 50);
      expect(await failing).toBe('roll back');
      expect((await outside).hits).toBe(1);
      expect((await sut.peek('outside', now)).hits).toBe(1); // the outside write was not rolled back
      expect((await sut.peek('inside-rolled-back', now)).hits).toBe(0);
    });

    it('two concurrent transactions commit or roll back independently', async () => {
      const hold = gate();
      const first = dataSource
        .transaction(async (manager) => {
          await sut.hit('first', MINUTE, now, manager);
          await hold.opened;
          throw new Error('first fails');
        })
        .catch(() => 'rolled back');
      const second = dataSource.transaction(async (manager) => {
        await sut.hit('second', MINUTE, now, manager);
        return 'committed';
      });
      setTimeout(hold.open, 50);
      expect(await Promise.all([first, second])).toEqual(['rolled back', 'committed']);
      expect((await sut.peek('first', now)).hits).toBe(0);
      expect((await sut.peek('second', now)).hits).toBe(1);
    });

    it('a transaction nested in another joins it (savepoint) instead of waiting for it', async () => {
      const result = await dataSource.transaction(async (outer) => {
        await sut.hit('nested', MINUTE, now, outer);
        return outer.transaction(async (inner) => (await sut.hit('nested', MINUTE, now, inner)).hits);
      });
      expect(result).toBe(2);
    });
  });
}
