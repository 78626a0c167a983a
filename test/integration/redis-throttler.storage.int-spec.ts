import { Redis } from 'ioredis';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import { RedisThrottlerStorage } from '../../libs/console-users/src/throttling/redis-throttler.storage';
import { redisUnavailable, startRedis, TestRedis } from '../support/redis';

const MINUTE = 60_000;

// Against a real redis-server (no persistence, random port); the window is driven by the clock.
(redisUnavailable() ? describe.skip : describe)('RedisThrottlerStorage on a real redis-server', () => {
  let redis: TestRedis;
  let first: Redis;
  let second: Redis;
  const clock = new ManualClock(new Date('2026-03-01T12:00:00.000Z'));

  beforeAll(async () => {
    redis = await startRedis();
    first = new Redis(redis.url);
    second = new Redis(redis.url);
  });

  afterAll(async () => {
    await first?.quit();
    await second?.quit();
    await redis?.stop();
  });

  it('counts 200 concurrent hits from two instances as exactly 1..200 and blocks above the limit', async () => {
    const a = new RedisThrottlerStorage(first, { clock });
    const b = new RedisThrottlerStorage(second, { clock });
    const records = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).increment('race', MINUTE, 10)));
    const hits = records.map((r) => r.totalHits).sort((x, y) => x - y);
    expect(hits).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    for (const record of records) {
      expect(record.isBlocked).toBe(record.totalHits > 10);
      expect(record.timeToExpire).toBe(60);
      expect(record.timeToBlockExpire).toBe(60);
    }
  });

  it('keeps one window until its last millisecond and opens a new one at its end', async () => {
    const start = clock.now().getTime();
    const moving = new ManualClock(new Date(start));
    const timed = new RedisThrottlerStorage(first, { clock: moving });
    expect((await timed.increment('edge', MINUTE, 2)).totalHits).toBe(1);
    moving.set(new Date(start + MINUTE - 1));
    const last = await timed.increment('edge', MINUTE, 2);
    expect(last.totalHits).toBe(2);
    expect(last.timeToExpire).toBe(1); // one millisecond left rounds up to one second
    moving.set(new Date(start + MINUTE));
    const fresh = await timed.increment('edge', MINUTE, 2);
    expect(fresh.totalHits).toBe(1);
    expect(fresh.timeToExpire).toBe(60);
  });

  it('stores under its prefix with a Redis expiry, so nothing outlives the window', async () => {
    const sut = new RedisThrottlerStorage(first, { clock, keyPrefix: 'test-prefix:' });
    await sut.increment('ip:send:per-hour:203.0.113.7', 3_600_000, 50);
    const ttl = await first.pttl('test-prefix:ip:send:per-hour:203.0.113.7');
    expect(ttl > 0 && ttl <= 3_600_000).toBeTruthy();
    expect(await first.keys('ip:*')).toEqual([]); // no key without the prefix
  });

  it('keeps separate keys apart', async () => {
    const sut = new RedisThrottlerStorage(first, { clock });
    await sut.increment('one', MINUTE, 5);
    await sut.increment('one', MINUTE, 5);
    expect((await sut.increment('two', MINUTE, 5)).totalHits).toBe(1);
  });

  it('reloads its script when Redis lost it (SCRIPT FLUSH, failover)', async () => {
    const sut = new RedisThrottlerStorage(first, { clock });
    await sut.increment('flush', MINUTE, 5);
    await first.script('FLUSH');
    expect((await sut.increment('flush', MINUTE, 5)).totalHits).toBe(2);
  });
});
