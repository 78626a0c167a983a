import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
describe('per-IP limits in Redis (REDIS_URL)', { skip: redisUnavailable() }, () => {
  let redis: TestRedis;
  let inspector: Redis;

  before(async () => {
    redis = await startRedis();
    inspector = new Redis(redis.url);
  });

  after(async () => {
    await inspector?.quit();
    await redis?.stop();
  });

  for (const kind of testDatabases()) {
    describe(`on ${kind}`, () => {
      const clock = new ManualClock(new Date('2026-03-03T09:00:00.000Z'));
      let db: TestDatabase;
      let first: TestServer;
      let second: TestServer;

      before(async () => {
        await inspector.flushall();
        db = await createTestDatabase(kind);
        const options = { clock, env: { REDIS_URL: redis.url }, overrides: { outbox: { enabled: false } } };
        first = await startTestServer(db, options);
        second = await startTestServer(db, options);
        await seedUser(first.dataSource, { name: 'sender', password: 'sender-password' });
      });

      after(async () => {
        await first?.close();
        await second?.close();
        await db?.drop();
      });

      it('counts one IP across both instances, keeps the counters in Redis only, and opens a new window after 60 s', async () => {
        const a = await loginVia(first.baseUrl, 'sender', 'sender-password');
        const b = await loginVia(second.baseUrl, 'sender', 'sender-password');
        for (let i = 0; i < 10; i++) {
          assert.equal((await rejectedSend(i % 2 ? a : b)).status, 400);
        }
        for (const halo of [a, b]) {
          const limited = await rejectedSend(halo);
          assert.equal(limited.status, 429);
          assert.equal(limited.data.type, 'https://halo.run/probs/request-not-permitted');
          assert.equal(limited.headers['retry-after'], '60');
        }

        assert.equal(await inspector.hget('console-users:throttle:ip:send:per-minute:127.0.0.1', 'hits'), '12');
        assert.equal(await inspector.hget('console-users:throttle:ip:send:per-hour:127.0.0.1', 'hits'), '10');
        const inDatabase: unknown[] = await first.dataSource.query(`SELECT "key" FROM rate_limit_buckets WHERE "key" LIKE 'throttle:%'`);
        assert.deepEqual(inDatabase, []);

        clock.advance(60_000);
        assert.equal((await rejectedSend(b)).status, 400);
      });
    });
  }
});
