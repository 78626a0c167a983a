import { readFileSync } from 'node:fs';
import { TestSmtpServer } from '../support/smtp';
import type { TestServer } from '../support/test-server';
import { until } from '../support/wait';
import { FaultPostgres } from './support/fault-postgres';
import { accepted, sendCode, sleep, startFaultServer } from './support/load';

const SENDS = 200;
const HANG_GUARD = 240_000;

describe('SMTP server down during 200 sends, then back (real smtp-server, real PostgreSQL)', () => {
  let pg: FaultPostgres;
  let smtp: TestSmtpServer;
  let server: TestServer;

  beforeAll(async () => {
    pg = await FaultPostgres.start();
    smtp = new TestSmtpServer();
    await smtp.start();
    server = await startFaultServer(pg.urlOf(), { SMTP_URL: smtp.url }, 'smtp-faults.log');
  }, HANG_GUARD);

  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
    await pg?.close();
  }, HANG_GUARD);

  const logLines = (pattern: RegExp): string[] =>
    readFileSync(server.logFile, 'utf8')
      .split('\n')
      .filter((line) => pattern.test(line));

  it(
    'delivers all 200 exactly once after it is back, and logs the outage once and the recovery once, not a line per try',
    async () => {
      expect(accepted(await sendCode(server.baseUrl, 'warm-up@example.test'))).toBe(true);
      await smtp.nextMailTo('warm-up@example.test', 30_000);
      await smtp.stop();

      const addresses = Array.from({ length: SENDS }, (_, i) => `smtp-down-${i}@example.test`);
      for (let i = 0; i < SENDS; i += 20) {
        const answers = await Promise.all(addresses.slice(i, i + 20).map((address) => sendCode(server.baseUrl, address)));
        expect(answers.filter((a) => !accepted(a))).toEqual([]); // sends never wait for mail
      }
      // Tries fail while it is away (the outbox keeps every message).
      await until(async () => {
        const rows: { n: string | number }[] = await server.dataSource.query(
          `SELECT COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'smtp-down-%' AND attempts >= 2 AND status <> 'sent'`,
        );
        return Number(rows[0]!.n) > 0 || undefined;
      }, 'retries while SMTP is down', 60_000);
      await sleep(2_500); // at least one periodic summary while failing

      await smtp.start(smtp.port);
      await until(async () => addresses.every((address) => smtp.mailsTo(address).length >= 1) || undefined, 'all 200 delivered', 180_000);
      await sleep(1_000); // a duplicate would arrive right behind

      const delivered = addresses.filter((address) => smtp.mailsTo(address).length === 1).length;
      const lost = addresses.filter((address) => smtp.mailsTo(address).length === 0).length;
      const duplicates = addresses.filter((address) => smtp.mailsTo(address).length > 1).length;
      process.stdout.write(`[faults] SMTP down during ${SENDS} sends: ${delivered} delivered, ${lost} lost, ${duplicates} duplicates\n`);
      expect({ delivered, lost, duplicates }).toEqual({ delivered: SENDS, lost: 0, duplicates: 0 });
      const rows: { status: string; n: string | number }[] = await server.dataSource.query(
        `SELECT status, COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'smtp-down-%' GROUP BY status`,
      );
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['sent', SENDS]]);

      // The operator's view: one warning when delivery started failing, one line when it works
      // again, a summary while it failed; retries themselves at debug level only.
      const retried: { n: string | number }[] = await server.dataSource.query(`SELECT SUM(attempts - 1) AS n FROM outbox_messages WHERE recipient LIKE 'smtp-down-%'`);
      expect(Number(retried[0]!.n)).toBeGreaterThan(SENDS); // many tries failed…
      expect(logLines(/Mail delivery is failing/).length).toBe(1); // …and said so once
      expect(logLines(/Mail delivery works again/).length).toBe(1);
      expect(logLines(/Outbox since the last summary: \d+ sent, \d+ retried/).length).toBeGreaterThanOrEqual(1);
      expect(logLines(/will be retried/).length).toBe(0); // LOG_LEVEL=info
    },
    HANG_GUARD,
  );
});
