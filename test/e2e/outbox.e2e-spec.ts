import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionRunner } from '../../libs/console-users/src/database/transaction-runner';
import { NotificationsService } from '../../libs/console-users/src/notifications/notifications.service';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { failure, HaloClients, loginAs } from '../support/http';
import { seedUser, SeedUser } from '../support/seed';
import { codeIn, rawHeaders, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';
import { until } from '../support/wait';

/** Three attempts in all, retries after 1 s then 2 s of (manual) clock time. */
const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000, maxAttempts: 3 };

interface OutboxRow {
  id: number;
  status: string;
  attempts: number;
  lastError: string | null;
  payload: string | null;
  messageId: string;
  nextAttemptAt: number;
}

for (const kind of testDatabases()) {
  describe(`mail outbox delivery on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let templates: string;
    let serial = 0;

    async function userSession(extra: Partial<SeedUser> = {}): Promise<HaloClients> {
      const name = `mailer-${++serial}`;
      await seedUser(server.dataSource, { name, password: `password-of-${name}`, ...extra });
      return loginAs(server.baseUrl, name, `password-of-${name}`);
    }

    async function row(recipient: string): Promise<OutboxRow> {
      const rows: Record<string, unknown>[] = await server.dataSource.query(
        `SELECT id, status, attempts, last_error, payload_encrypted, message_id, next_attempt_at FROM outbox_messages WHERE recipient = '${recipient}'`,
      );
      expect(rows.length).toBe(1);
      const r = rows[0]!;
      return {
        id: Number(r.id),
        status: String(r.status),
        attempts: Number(r.attempts),
        lastError: (r.last_error as string | null) ?? null,
        payload: (r.payload_encrypted as string | null) ?? null,
        messageId: String(r.message_id),
        nextAttemptAt: Number(r.next_attempt_at),
      };
    }

    const rowWhen = (recipient: string, test: (r: OutboxRow) => boolean, what: string) =>
      until(async () => {
        const r = await row(recipient);
        return test(r) ? r : undefined;
      }, `${recipient}: ${what}`);

    /** Sends one more mail and waits for it: every due row has had its turn once this returns. */
    async function workerRoundDone(): Promise<void> {
      const address = `barrier-${++serial}@example.test`;
      const halo = await userSession();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: address } });
      await smtp.waitFor((m) => m.to === address, 15_000);
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      // A host template that puts user-controlled text in the subject, to prove it cannot add headers.
      templates = mkdtempSync(join(tmpdir(), 'console-users-templates-'));
      mkdirSync(join(templates, 'en'));
      writeFileSync(join(templates, 'en', 'email-verify.subject.hbs'), 'Code for {{displayName}}');
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>' },
        overrides: { outbox: OUTBOX, mailTemplatesDir: templates },
      });
    });

    // Every test in a fresh per-IP minute (all calls come from 127.0.0.1; 10 sends a minute).
    beforeEach(() => server.clock.advance(60_000));

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
      rmSync(templates, { recursive: true, force: true });
    });

    it('a permanent SMTP failure (550) ends the row failed at once: no retry, error kept, payload dropped, audited', async () => {
      const halo = await userSession();
      smtp.rejectWith = 550;
      try {
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'bounce@example.test' } });
        const failed = await rowWhen('bounce@example.test', (r) => r.status === 'failed', 'failed');
        expect(failed.attempts).toBe(1);
        expect(failed.lastError ?? '').toMatch(/550/);
        expect(failed.payload).toBe(null);
      } finally {
        smtp.rejectWith = undefined;
      }
      server.clock.advance(60 * 60_000);
      await workerRoundDone();
      const later = await row('bounce@example.test');
      expect(later.status).toBe('failed');
      expect(later.attempts).toBe(1); // never retried
      expect(smtp.mailsTo('bounce@example.test').length).toBe(0);
      const audit: { outcome: string }[] = await server.dataSource.query(
        `SELECT outcome FROM audit_events WHERE action = 'delivery.failed' AND target = 'bounce@example.test'`,
      );
      expect(audit.map((a) => a.outcome)).toEqual(['failure']);
    });

    it('a transient refusal after DATA (451) is retried after the backoff with the same Message-ID and code', async () => {
      const halo = await userSession();
      smtp.rejectDataWith = 451;
      let first;
      try {
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'greylist@example.test' } });
        first = await until(async () => smtp.refused.find((m) => m.to === 'greylist@example.test'), 'the refused first attempt');
        const pending = await rowWhen('greylist@example.test', (r) => r.status === 'pending' && r.attempts === 1, 'pending after one attempt');
        expect(pending.lastError ?? '').toMatch(/451/);
        expect(pending.nextAttemptAt).toBe(server.clock.now().getTime() + 1_000); // first retry one backoff later
        expect(pending.payload).toBeTruthy(); // the payload stays (encrypted) until the mail is out
      } finally {
        smtp.rejectDataWith = undefined;
      }
      server.clock.advance(999);
      await workerRoundDone();
      expect((await row('greylist@example.test')).attempts).toBe(1); // not retried before the backoff ends

      server.clock.advance(1);
      const mail = await smtp.waitFor((m) => m.to === 'greylist@example.test');
      const sent = await rowWhen('greylist@example.test', (r) => r.status === 'sent', 'sent');
      expect(sent.attempts).toBe(2);
      expect(sent.payload).toBe(null);
      expect(mail.messageId).toBe(first.messageId); // a retried mail keeps its Message-ID
      expect(mail.messageId).toBe(sent.messageId);
      expect(codeIn(mail)).toBe(codeIn(first)); // and carries the same code
    });

    it('connection refused: retried with growing backoff, then sent once SMTP is back', async () => {
      const halo = await userSession();
      const port = smtp.port;
      await smtp.stop();
      try {
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'later@example.test' } });
        const once = await rowWhen('later@example.test', (r) => r.attempts === 1 && r.status === 'pending', 'first attempt');
        expect(once.lastError ?? '').toMatch(/ECONNREFUSED/);
        expect(once.nextAttemptAt - server.clock.now().getTime()).toBe(1_000);
        server.clock.advance(1_000);
        const twice = await rowWhen('later@example.test', (r) => r.attempts === 2 && r.status === 'pending', 'second attempt');
        expect(twice.nextAttemptAt - server.clock.now().getTime()).toBe(2_000); // the backoff doubled
      } finally {
        await smtp.start(port);
      }
      server.clock.advance(2_000);
      await smtp.waitFor((m) => m.to === 'later@example.test');
      const sent = await rowWhen('later@example.test', (r) => r.status === 'sent', 'sent');
      expect(sent.attempts).toBe(3);
      expect(smtp.mailsTo('later@example.test').length).toBe(1);
    });

    it('after the last attempt the row is failed, with the error kept and the payload dropped', async () => {
      const halo = await userSession();
      const port = smtp.port;
      await smtp.stop();
      try {
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'never@example.test' } });
        await rowWhen('never@example.test', (r) => r.attempts === 1 && r.status === 'pending', 'first attempt');
        server.clock.advance(1_000);
        await rowWhen('never@example.test', (r) => r.attempts === 2 && r.status === 'pending', 'second attempt');
        server.clock.advance(2_000);
        const failed = await rowWhen('never@example.test', (r) => r.status === 'failed', 'failed');
        expect(failed.attempts).toBe(3);
        expect(failed.lastError ?? '').toMatch(/ECONNREFUSED/);
        expect(failed.payload).toBe(null);
      } finally {
        await smtp.start(port);
      }
    });

    it('a burst larger than a claim: every mail arrives exactly once, and every row ends sent with one audit event', async () => {
      // More than the 20 a claim takes: the worker claims again while earlier mails are still on
      // their way, and writes the sent marks of several mails in one transaction.
      const addresses = Array.from({ length: 45 }, (_, i) => `burst-${i}@example.test`);
      const notifications = server.app.get(NotificationsService);
      await server.app.get(TransactionRunner).run(async (manager) => {
        for (const [i, recipient] of addresses.entries()) {
          const variables = { code: String(700_000 + i), username: `burst-${i}`, displayName: `Burst ${i}`, expiresInMinutes: 10 };
          await notifications.enqueue(manager, { channel: 'email', recipient, template: 'email-verify', locale: 'en', variables });
        }
      });
      await until(async () => {
        const [done] = await server.dataSource.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE recipient LIKE 'burst-%' AND status = 'sent'`);
        return Number(done.n) === addresses.length || undefined;
      }, 'every burst row sent');

      for (const [i, address] of addresses.entries()) {
        const mails = smtp.mailsTo(address);
        expect(mails).toHaveLength(1);
        expect(codeIn(mails[0]!)).toBe(String(700_000 + i));
      }
      const payloads = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient LIKE 'burst-%' AND payload_encrypted IS NOT NULL`);
      expect(payloads).toEqual([]);
      const audits: { target: string; n: number | string }[] = await server.dataSource.query(
        `SELECT target, COUNT(*) AS n FROM audit_events WHERE action = 'delivery.sent' AND target LIKE 'burst-%' GROUP BY target`,
      );
      expect(audits.map((a) => [a.target, Number(a.n)]).sort()).toEqual(addresses.map((a) => [a, 1]).sort());
    });

    it('exactly one recipient, and CR/LF in a display name cannot add headers', async () => {
      const halo = await userSession({ displayName: 'Eve\r\nBcc: spy@attacker.test\r\nX-Injected: yes' });
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'victim@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'victim@example.test');
      expect(mail.rcptTo).toEqual(['victim@example.test']);
      const headers = rawHeaders(mail.raw);
      expect(headers.filter((h) => /^to:/i.test(h)).length).toBe(1);
      expect(headers.filter((h) => /^subject:/i.test(h)).length).toBe(1);
      expect(headers.some((h) => /^(bcc|cc|x-injected):/i.test(h))).toBe(false);
      expect(mail.subject).toBe('Code for Eve Bcc: spy@attacker.test X-Injected: yes');
      expect(smtp.received.some((m) => m.rcptTo.includes('spy@attacker.test'))).toBe(false);
    });

    it('refuses recipient lists and line breaks in the address (400, nothing queued)', async () => {
      const halo = await userSession();
      for (const email of ['a@example.test,b@example.test', 'a@example.test\r\nBcc: spy@attacker.test', 'Eve <a@example.test>']) {
        const res = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email } }));
        expect(res.status).toBe(400);
      }
      const rows: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient LIKE '%attacker%' OR recipient LIKE '%,%'`);
      expect(rows).toEqual([]);
    });

    it("the user's stored language beats Accept-Language", async () => {
      const chinese = await userSession({ language: 'zh-CN' });
      await chinese.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'zh-pref@example.test' } }, { headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
      expect((await smtp.waitFor((m) => m.to === 'zh-pref@example.test')).subject).toBe('邮箱验证');

      const english = await userSession({ language: 'en', displayName: 'Ann' });
      await english.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'en-pref@example.test' } }, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
      expect((await smtp.waitFor((m) => m.to === 'en-pref@example.test')).subject).toBe('Code for Ann');
    });
  });
}
