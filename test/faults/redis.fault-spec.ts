import { readFileSync } from 'node:fs';
import { redisUnavailable, startRedis, TestRedis } from '../support/redis';
import { TestSmtpServer } from '../support/smtp';
import type { TestServer } from '../support/test-server';
import { until } from '../support/wait';
import { FaultPostgres } from './support/fault-postgres';
import { accepted, call, sendCode, startFaultServer } from './support/load';

const HANG_GUARD = 180_000;
const skip = redisUnavailable();
const describeWithRedis = skip ? describe.skip : describe;

describeWithRedis('Redis stopped and started again (real redis-server holding the per-IP limits)', () => {
  let pg: FaultPostgres;
  let redis: TestRedis;
  let smtp: TestSmtpServer;
  let server: TestServer;

  beforeAll(async () => {
    pg = await FaultPostgres.start();
    redis = await startRedis();
    smtp = new TestSmtpServer();
    await smtp.start();
    server = await startFaultServer(pg.urlOf(), { SMTP_URL: smtp.url, REDIS_URL: redis.url }, 'redis-faults.log');
  }, HANG_GUARD);

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
    await smtp?.stop();
    await pg?.close();
  }, HANG_GUARD);

  const logLines = (pattern: RegExp): string[] =>
    readFileSync(server.logFile, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));

  it(
    'throttled routes answer 503 with Retry-After and readiness is DOWN while it is away; both recover when it is back, without a restart',
    async () => {
      const base = server.baseUrl;
      expect(accepted(await sendCode(base, 'redis-up@example.test'))).toBe(true);
      const ready = await call(`${base}/actuator/health/readiness`);
      expect(JSON.parse(ready.body)).toEqual({ status: 'UP', components: { db: { status: 'UP' }, redis: { status: 'UP' }, mail: { status: 'UP' } } });

      await redis.stop();
      const sends = await Promise.all(Array.from({ length: 10 }, (_, i) => sendCode(base, `redis-down-${i}@example.test`)));
      for (const send of sends) {
        expect(send.status).toBe(503);
        expect(JSON.parse(send.body)).toMatchObject({ code: 503 });
        expect(Number(send.retryAfter)).toBeGreaterThanOrEqual(1);
      }
      const login = await call(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
      });
      expect(login.status).toBe(503);
      expect(login.contentType).toMatch(/^application\/problem\+json/);
      const down = await call(`${base}/actuator/health/readiness`);
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toMatchObject({ status: 'DOWN', components: { db: { status: 'UP' }, redis: { status: 'DOWN' } } });
      expect((await call(`${base}/actuator/health/liveness`)).status).toBe(200);
      process.stdout.write(
        `[faults] Redis stopped: slowest of 10 sends ${Math.max(...sends.map((s) => s.ms))} ms, login ${login.ms} ms, readiness ${down.ms} ms\n`,
      );
      // Refused sends did nothing.
      const rows: { n: string | number }[] = await server.dataSource.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'redis-down-%'`);
      expect(Number(rows[0]!.n)).toBe(0);

      redis = await startRedis(redis.port);
      await until(async () => (await call(`${base}/actuator/health/readiness`)).status === 200 || undefined, 'readiness UP with Redis back', 60_000);
      expect(accepted(await sendCode(base, 'redis-back@example.test'))).toBe(true);
      expect(logLines(/Redis unreachable/).length).toBe(1);
      expect(logLines(/Redis reachable again/).length).toBe(1);
    },
    HANG_GUARD,
  );
});
