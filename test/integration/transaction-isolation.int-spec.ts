import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { DomainError } from '../../libs/console-users/src/errors/domain-error';
import { ErrorCode } from '../../libs/console-users/src/errors/error-code';
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

    it('runs transactions and statements without an AsyncLocalStorage (one enabled once slows every later request of the process)', async () => {
      const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
      const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');
      try {
        await dataSource.transaction(async (manager) => {
          await sut.hit('no-context', MINUTE, now, manager);
          await manager.transaction(async (inner) => sut.hit('no-context', MINUTE, now, inner));
        });
        await sut.hit('no-context', MINUTE, now);
        expect((await sut.peek('no-context', now)).hits).toBe(3);
        expect([run.mock.calls.length, enterWith.mock.calls.length]).toEqual([0, 0]);
      } finally {
        run.mockRestore();
        enterWith.mockRestore();
      }
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

describe('on SQLite, work that waits too long behind a transaction fails instead of waiting for ever', () => {
  const WAIT_LIMIT_MS = 300;
  let db: TestDatabase;
  let dataSource: DataSource;
  let sut: RateLimitRepository;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
    serializeSqliteAccess(dataSource, { waitLimitMs: WAIT_LIMIT_MS });
    sut = new RateLimitRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it("a transaction whose work uses the DataSource's own manager gets a busy error and rolls back; the database answers afterwards", async () => {
    const outcome = await dataSource
      .transaction(async (manager) => {
        await sut.hit('given-manager', MINUTE, now, manager);
        // The mistake: the DataSource's own repository, not the manager this work was given.
        await sut.hit('own-manager', MINUTE, now);
        return 'committed';
      })
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).code).toBe(ErrorCode.ServiceUnavailable);
    expect((await sut.peek('given-manager', now)).hits).toBe(0); // rolled back
    expect((await sut.peek('own-manager', now)).hits).toBe(0); // never ran
    expect((await sut.hit('afterwards', MINUTE, now)).hits).toBe(1);
  });

  it('a statement kept waiting by a long transaction fails, the transaction commits, and later statements run after it', async () => {
    const hold = gate();
    const begun = gate();
    const long = dataSource.transaction(async (manager) => {
      await sut.hit('long', MINUTE, now, manager);
      begun.open();
      await hold.opened;
      return 'committed';
    });
    await begun.opened;
    const waiting = sut.hit('waiting', MINUTE, now).catch((error: unknown) => error);
    expect(await waiting).toBeInstanceOf(DomainError);
    // Issued after the first one gave up: it still runs only once the transaction is over.
    let later: number | undefined;
    const after = sut.hit('later', MINUTE, now).then((row) => (later = row.hits));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(later).toBeUndefined();
    hold.open();
    expect(await long).toBe('committed');
    await after;
    expect(later).toBe(1);
    expect((await sut.peek('long', now)).hits).toBe(1);
    expect((await sut.peek('waiting', now)).hits).toBe(0);
  });
});
