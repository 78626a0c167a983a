import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/console-server/src/database/data-source-options';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import { DatabaseThrottlerStorage } from '../../libs/console-users/src/throttling/database-throttler.storage';
import { RateLimitRepository } from '../../libs/console-users/src/throttling/rate-limit.repository';
import { createTestDatabase, TestDatabase, testDatabases } from '../support/databases';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

for (const kind of testDatabases()) {
  describe(`DatabaseThrottlerStorage on ${kind}`, () => {
    let db: TestDatabase;
    let dataSource: DataSource;
    let limits: RateLimitRepository;
    const clock = new ManualClock(new Date('2026-05-01T09:00:00.000Z'));

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      dataSource = await new DataSource(dataSourceOptions(db.config)).initialize();
      limits = new RateLimitRepository(dataSource);
    });

    afterAll(async () => {
      await dataSource?.destroy();
      await db?.drop();
    });

    const hitsOf = async (key: string) => (await limits.peek(`throttle:${key}`, clock.now())).hits;

    it('counts a request in every window with one upsert, and answers as one window after another would', async () => {
      const sut = new DatabaseThrottlerStorage(limits, clock);
      const windows = [
        { key: 'a:per-minute', ttl: MINUTE, limit: 3 },
        { key: 'a:per-hour', ttl: HOUR, limit: 5 },
      ];
      const many = jest.spyOn(limits, 'hitMany');
      const one = jest.spyOn(limits, 'hit');
      const first = await sut.incrementInOrder(windows);
      expect(many).toHaveBeenCalledTimes(1); // one upsert of both windows
      expect(one).not.toHaveBeenCalled();
      many.mockRestore();
      one.mockRestore();
      expect(first).toEqual([
        { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 60 },
        { totalHits: 1, timeToExpire: 3600, isBlocked: false, timeToBlockExpire: 3600 },
      ]);

      await sut.incrementInOrder(windows);
      await sut.incrementInOrder(windows);
      // The fourth request is over the minute's limit: refused there, and not counted in the hour.
      const refused = await sut.incrementInOrder(windows);
      expect(refused).toEqual([{ totalHits: 4, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 }]);
      expect(await hitsOf('a:per-minute')).toBe(4);
      expect(await hitsOf('a:per-hour')).toBe(3);

      // A new minute: the hour goes on and refuses the sixth counted request.
      clock.advance(MINUTE);
      expect((await sut.incrementInOrder(windows)).map((r) => r.isBlocked)).toEqual([false, false]);
      expect((await sut.incrementInOrder(windows)).map((r) => r.isBlocked)).toEqual([false, false]);
      const overHour = await sut.incrementInOrder(windows);
      expect(overHour.map((r) => [r.totalHits, r.isBlocked])).toEqual([
        [3, false],
        [6, true],
      ]);
      expect(overHour[1]!.timeToBlockExpire).toBe(3540);
    });

    it('counts a single window as increment does', async () => {
      const sut = new DatabaseThrottlerStorage(limits, clock);
      expect(await sut.incrementInOrder([{ key: 'b:per-minute', ttl: MINUTE, limit: 1 }])).toEqual([
        { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 60 },
      ]);
      expect(await sut.increment('b:per-minute', MINUTE, 1)).toEqual({ totalHits: 2, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 });
    });
  });
}
