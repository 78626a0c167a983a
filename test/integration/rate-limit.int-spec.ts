import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { RateLimitRepository } from '../../libs/console-users/src/throttling/rate-limit.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const MINUTE = 60_000;

for (const kind of testDatabases()) {
  describe(`RateLimitRepository on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let sut: RateLimitRepository;
    const start = new Date('2026-03-01T12:00:00.000Z');

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      // The server's own settings: pool of 10 on PostgreSQL, WAL and busy_timeout on SQLite.
      dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
      sut = new RateLimitRepository(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('counts 50 concurrent hits on one key as exactly 1..50', async () => {
      const states = await Promise.all(Array.from({ length: 50 }, () => sut.hit('race', MINUTE, start)));
      const counts = states.map((s) => s.hits).sort((a, b) => a - b);
      expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // Every hit saw the same window, the one the first hit opened.
      expect(new Set(states.map((s) => s.resetAt.getTime()))).toEqual(new Set([start.getTime() + MINUTE]));
      expect((await sut.peek('race', start)).hits).toBe(50);
    });

    it('keeps counting inside the window and starts again once it has expired', async () => {
      const inside = await sut.hit('race', MINUTE, new Date(start.getTime() + MINUTE - 1));
      expect(inside.hits).toBe(51);
      expect(inside.resetAt.getTime()).toBe(start.getTime() + MINUTE);

      const atExpiry = new Date(start.getTime() + MINUTE);
      expect((await sut.peek('race', atExpiry)).hits).toBe(0); // an expired window counts nothing
      const fresh = await sut.hit('race', MINUTE, atExpiry);
      expect(fresh).toEqual({ hits: 1, resetAt: new Date(atExpiry.getTime() + MINUTE) });
    });

    it('a new window is shared by concurrent hits too', async () => {
      const later = new Date(start.getTime() + 10 * MINUTE);
      const states = await Promise.all(Array.from({ length: 20 }, () => sut.hit('race', MINUTE, later)));
      expect(states.map((s) => s.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(new Set(states.map((s) => s.resetAt.getTime()))).toEqual(new Set([later.getTime() + MINUTE]));
    });

    it('keeps keys apart and purges only expired windows', async () => {
      const now = new Date(start.getTime() + 20 * MINUTE);
      await sut.hit('short', 1_000, now);
      await sut.hit('long', MINUTE, now);
      const afterShort = new Date(now.getTime() + 1_000);
      await sut.purgeExpired(afterShort);
      expect((await sut.peek('long', afterShort)).hits).toBe(1);
      const rows: { key: string }[] = await dataSource.query(`SELECT "key" FROM rate_limit_buckets WHERE "key" = 'short'`);
      expect(rows).toEqual([]);
    });
  });
}

for (const kind of testDatabases()) {
  describe(`RateLimitRepository.hitMany on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let sut: RateLimitRepository;
    const start = new Date('2026-04-01T08:00:00.000Z');

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
      sut = new RateLimitRepository(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    it('counts several keys in one statement, each in its own window, answering in the order asked', async () => {
      const entries = [
        { key: 'many:b', windowMs: MINUTE },
        { key: 'many:a', windowMs: 60 * MINUTE },
      ];
      const first = await sut.hitMany(entries, start);
      expect(first.map((s) => s.hits)).toEqual([1, 1]);
      expect(first.map((s) => s.resetAt.getTime())).toEqual([start.getTime() + MINUTE, start.getTime() + 60 * MINUTE]);
      const concurrent = await Promise.all(Array.from({ length: 20 }, () => sut.hitMany(entries, start)));
      expect(concurrent.map((s) => s[0]!.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      const later = await sut.hitMany(entries, new Date(start.getTime() + MINUTE));
      expect(later[0]!.hits).toBe(1); // the one-minute window started again
      expect(later[1]!.hits).toBe(22); // the hour window goes on
      expect((await sut.peek('many:a', new Date(start.getTime() + MINUTE))).hits).toBe(22);
    });

    it('takes back one hit on each of several keys in one statement, never below zero nor in an ended window', async () => {
      const at = new Date(start.getTime() + 5 * MINUTE);
      await sut.hitMany(
        [
          { key: 'back:a', windowMs: MINUTE },
          { key: 'back:b', windowMs: MINUTE },
        ],
        at,
      );
      await sut.hit('back:a', MINUTE, at);
      await sut.releaseMany(['back:a', 'back:b', 'back:none'], at);
      expect((await sut.peek('back:a', at)).hits).toBe(1);
      expect((await sut.peek('back:b', at)).hits).toBe(0);
      await sut.releaseMany(['back:b'], at);
      expect((await sut.peek('back:b', at)).hits).toBe(0);
      await sut.releaseMany([], at);
      // Once the window has ended, nothing is taken back (the next hit starts a new window).
      await sut.releaseMany(['back:a'], new Date(at.getTime() + MINUTE));
      const rows: { hits: number | string }[] = await dataSource.query(`SELECT hits FROM rate_limit_buckets WHERE "key" = 'back:a'`);
      expect(rows.map((r) => Number(r.hits))).toEqual([1]);
    });
  });
}
