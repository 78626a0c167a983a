import { redisUnavailable, startRedis, TestRedis } from '../support/redis';
import { TestSmtpServer } from '../support/smtp';
import type { TestServer } from '../support/test-server';
import { until } from '../support/wait';
import { FaultPostgres } from './support/fault-postgres';
import { accepted, sendCode, sleep, startFaultServer } from './support/load';

const HANG_GUARD = 180_000;
const describeWithRedis = redisUnavailable() ? describe.skip : describe;

describeWithRedis('two instances on one PostgreSQL and one Redis', () => {
  let pg: FaultPostgres;
  let redis: TestRedis;
  let smtp: TestSmtpServer;
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    pg = await FaultPostgres.start();
    redis = await startRedis();
    smtp = new TestSmtpServer();
    await smtp.start();
    const env = {
      SMTP_URL: smtp.url,
      REDIS_URL: redis.url,
      TRUST_PROXY: '127.0.0.1',
      // Shared, as every replica must: one instance delivers what the other queued.
      APP_SECRET: 'fault-suite-secret-fault-suite-secret-0123',
    };
    // The shipped per-IP limits (send: 10 a minute), not the raised ones of the other scenarios.
    const limits = { throttling: {} };
    one = await startFaultServer(pg.urlOf(), env, 'instance-one.log', limits);
    two = await startFaultServer(pg.urlOf(), env, 'instance-two.log', limits);
  }, HANG_GUARD);

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
    await smtp?.stop();
    await pg?.close();
  }, HANG_GUARD);

  it(
    'the per-recipient cooldown and the per-IP limit hold across both, and each mail goes out once',
    async () => {
      const bases = [one.baseUrl, two.baseUrl];
      // Six clients at once, alternating instances, ask for a code to the same address.
      await Promise.all(Array.from({ length: 6 }, (_, i) => sendCode(bases[i % 2]!, 'same@example.test', `10.0.0.${i + 1}`)));
      // One client sends 20 codes to 20 addresses, alternating instances: 10 a minute pass.
      const fromOneIp = await Promise.all(Array.from({ length: 20 }, (_, i) => sendCode(bases[i % 2]!, `ip-${i}@example.test`, '10.0.0.100')));
      const passed = fromOneIp.filter(accepted).length;

      await until(async () => smtp.mailsTo('same@example.test').length >= 1 || undefined, 'the one mail to the shared address', 60_000);
      const ipAddresses = Array.from({ length: 20 }, (_, i) => `ip-${i}@example.test`);
      await until(async () => ipAddresses.filter((a) => smtp.mailsTo(a).length > 0).length >= passed || undefined, 'the mails of the passed sends', 60_000);
      await sleep(2_000); // anything extra would arrive by now

      const mailedIp = ipAddresses.filter((a) => smtp.mailsTo(a).length > 0);
      process.stdout.write(
        `[faults] two instances: ${smtp.mailsTo('same@example.test').length} mail for 6 concurrent sends to one address; ${passed} of 20 sends from one IP passed, ${mailedIp.length} mailed\n`,
      );
      expect(smtp.mailsTo('same@example.test').length).toBe(1);
      expect(passed).toBe(10);
      expect(mailedIp.length).toBe(10);
      expect(ipAddresses.filter((a) => smtp.mailsTo(a).length > 1)).toEqual([]);
      const rows: { status: string; n: string | number }[] = await one.dataSource.query(`SELECT status, COUNT(*) AS n FROM outbox_messages GROUP BY status`);
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['sent', 11]]);
    },
    HANG_GUARD,
  );
});
