import { Redis } from 'ioredis';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginVia, outcome } from '../support/forwarded';
import type { HaloClients } from '../support/http';
import { redisUnavailable, startRedis, TestRedis } from '../support/redis';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';

const rejectedSend = (halo: HaloClients) =>
  outcome(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'not-an-address' } }));

// REDIS_URL set: two instances on one database share their per-IP limits through a real redis-server.
(redisUnavailable() ? describe.skip : describe)('per-IP limits in Redis (REDIS_URL)', () => {
  let redis: TestRedis;
  let inspector: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    inspector = new Redis(redis.url);
  });

  afterAll(async () => {
    await inspector?.quit();
    await redis?.stop();
  });

  for (const kind of testDatabases()) {
    describe(`on ${kind}`, () => {
      const clock = new ManualClock(new Date('2026-03-03T09:00:00.000Z'));
      let db: TestDatabase;
      let first: TestServer;
      let second: TestServer;

      beforeAll(async () => {
        await inspector.flushall();
        db = await createTestDatabase(kind);
        const options = { clock, env: { REDIS_URL: redis.url }, overrides: { outbox: { enabled: false } } };
        first = await startTestServer(db, options);
        second = await startTestServer(db, options);
        await seedUser(first.dataSource, { name: 'sender', password: 'sender-password' });
      });

      afterAll(async () => {
        await first?.close();
        await second?.close();
        await db?.drop();
      });

      it('counts one IP across both instances, keeps the counters in Redis only, and opens a new window after 60 s', async () => {
        const a = await loginVia(first.baseUrl, 'sender', 'sender-password');
        const b = await loginVia(second.baseUrl, 'sender', 'sender-password');
        for (let i = 0; i < 10; i++) {
          expect((await rejectedSend(i % 2 ? a : b)).status).toBe(400);
        }
        for (const halo of [a, b]) {
          const limited = await rejectedSend(halo);
          expect(limited.status).toBe(429);
          expect(limited.data.type).toBe('https://halo.run/probs/request-not-permitted');
          expect(limited.headers['retry-after']).toBe('60');
        }

        expect(await inspector.hget('console-users:throttle:ip:send:per-minute:127.0.0.1', 'hits')).toBe('12');
        expect(await inspector.hget('console-users:throttle:ip:send:per-hour:127.0.0.1', 'hits')).toBe('10');
        const inDatabase: unknown[] = await first.dataSource.query(`SELECT "key" FROM rate_limit_buckets WHERE "key" LIKE 'throttle:%'`);
        expect(inDatabase).toEqual([]);

        clock.advance(60_000);
        expect((await rejectedSend(b)).status).toBe(400);
      });
    });
  }
});
