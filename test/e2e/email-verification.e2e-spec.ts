import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };

for (const kind of testDatabases()) {
  describe(`Halo email verification on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    /** A fresh user with its own session, so limits of one test do not touch another. */
    async function freshUser(extra: { email?: string; emailVerified?: boolean } = {}): Promise<{ name: string; password: string; halo: HaloClients }> {
      const name = `user-${++serial}`;
      const password = `password-of-${name}`;
      await seedUser(server.dataSource, { name, password, ...extra });
      return { name, password, halo: await loginAs(server.baseUrl, name, password) };
    }

    before(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>' }, overrides: { outbox: OUTBOX } });
    });

    after(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('401 for anonymous callers on both operations', async () => {
      const anon = anonymous(server.baseUrl);
      assert.equal((await failure(anon.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'a@example.test' } }))).status, 401);
      assert.equal((await failure(anon.console.user.verifyEmail({ verifyCodeRequest: { code: '123456', password: 'x' } }))).status, 401);
    });

    it('mails a code over SMTP; verifying it with the password sets spec.email and emailVerified', async () => {
      const { halo, password, name } = await freshUser();
      const res = await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'New.Address@Example.TEST' } });
      assert.equal(res.status, 200);
      assert.equal(res.data, '');
      const mail = await smtp.waitFor((m) => m.to === 'new.address@example.test');
      assert.equal(mail.from, 'console@example.test');
      assert.equal(mail.subject, 'Verify your email address');
      assert.match(mail.html, new RegExp(codeIn(mail)));
      assert.match(mail.text, new RegExp(name));

      const me = await halo.console.user.getCurrentUserDetail();
      assert.equal(me.data.user.metadata.annotations?.['halo.run/email-to-verify'], 'new.address@example.test');

      const verified = await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
      assert.equal(verified.status, 200);
      const after = await halo.console.user.getCurrentUserDetail();
      assert.equal(after.data.user.spec.email, 'new.address@example.test');
      assert.equal(after.data.user.spec.emailVerified, true);

      const again = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'new.address@example.test' } }));
      assert.equal(again.status, 400);
      assert.equal(again.data.detail, 'Email already verified.');
    });

    it('uses zh-CN templates for a Chinese Accept-Language', async () => {
      const { halo } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'zh@example.test' } }, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
      const mail = await smtp.waitFor((m) => m.to === 'zh@example.test');
      assert.equal(mail.subject, '邮箱验证');
    });

    it('rejects an invalid address with 400 and a second send within a minute with 429 + Retry-After', async () => {
      const { halo } = await freshUser();
      const bad = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'not an address' } }));
      assert.equal(bad.status, 400);
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'cooldown@example.test' } });
      const limited = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'cooldown@example.test' } }));
      assert.equal(limited.status, 429);
      assert.equal(limited.data.type, 'https://halo.run/probs/request-not-permitted');
      assert.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60);
    });

    it('requires the current password (400) and rejects a wrong code (400)', async () => {
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'pw@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'pw@example.test');
      const wrongPassword = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password: 'wrong-password' } }));
      assert.equal(wrongPassword.status, 400);
      assert.equal(wrongPassword.data.detail, 'The password does not match.');
      const wrongCode = codeIn(mail) === '000000' ? '000001' : '000000';
      const bad = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: wrongCode, password } }));
      assert.equal(bad.status, 400);
      assert.equal(bad.data.detail, 'Invalid email verification code.');
      await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
    });

    it('a code expires after 10 minutes', async () => {
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'ttl@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'ttl@example.test');
      server.clock.advance(10 * 60_000 + 1);
      try {
        const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } }));
        assert.equal(res.status, 400);
      } finally {
        // Sessions idle out after 30 minutes; keep the others alive.
      }
    });

    it('refuses an address another user already verified', async () => {
      await seedUser(server.dataSource, { name: `holder-${kind}`, password: 'holder-password', email: 'taken@example.test', emailVerified: true });
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'taken@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'taken@example.test');
      const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } }));
      assert.equal(res.status, 400);
      assert.equal(res.data.detail, 'The email has been used, please change the email and retry.');
    });

    it('tells the previously verified address that the email changed', async () => {
      const { halo, password } = await freshUser({ email: 'old-verified@example.test', emailVerified: true });
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'replacement@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'replacement@example.test');
      await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
      const notice = await smtp.waitFor((m) => m.to === 'old-verified@example.test');
      assert.equal(notice.subject, 'Your email address was changed');
      assert.match(notice.text, /r\*\*\*@example\.test/);
      assert.doesNotMatch(notice.text, /\b\d{6}\b/);
    });

    it('20 concurrent verifies with the right code: exactly one succeeds', async () => {
      server.clock.advance(61_000); // a fresh per-IP verify window (30/min)
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'race@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'race@example.test'));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    it('50 concurrent wrong guesses: at most 5 are evaluated, then the right code is burned', async () => {
      server.clock.advance(61_000);
      const { halo, password, name } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'guess@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'guess@example.test'));
      const wrong = code === '999999' ? '999998' : '999999';
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => halo.console.user.verifyEmail({ verifyCodeRequest: { code: wrong, password } })),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 0);
      const rows: { attempts: number | string }[] = await server.dataSource.query(
        `SELECT attempts FROM verification_codes WHERE target = 'guess@example.test'`,
      );
      assert.ok(rows.every((r) => Number(r.attempts) <= 5), 'no more than 5 guesses evaluated');
      server.clock.advance(61_000); // past the per-IP verify limit the 50 guesses ran into
      const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } }));
      assert.equal(res.status, 400);
      assert.equal(res.data.detail, 'Too many verification attempts, please try again later.');
      assert.ok(name);
    });

    it('SMTP down when the code is requested: 200 now, the mail arrives exactly once after SMTP is back', async () => {
      const { halo } = await freshUser();
      const port = smtp.port;
      await smtp.stop();
      try {
        const res = await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'outage@example.test' } });
        assert.equal(res.status, 200);
        await new Promise((r) => setTimeout(r, 300));
        const rows: { status: string; attempts: number | string; last_error: string | null }[] = await server.dataSource.query(
          `SELECT status, attempts, last_error FROM outbox_messages WHERE recipient = 'outage@example.test'`,
        );
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.status, 'pending');
        assert.ok(rows[0]!.last_error);
      } finally {
        await smtp.start(port);
      }
      server.clock.advance(60_000);
      const mail = await smtp.waitFor((m) => m.to === 'outage@example.test');
      assert.ok(codeIn(mail));
      server.clock.advance(10 * 60_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(smtp.mailsTo('outage@example.test').length, 1);
    });

    it('after delivery no table holds a code in plain text, and the logs never contain one', async () => {
      const { halo } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'plain@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'plain@example.test'));
      await new Promise((r) => setTimeout(r, 200));
      // A stored code would be text standing on its own; numbers (timestamps) and hashes are not
      // it, and six digits can turn up inside them by chance.
      const standalone = new RegExp(`(^|[^0-9a-f])${code}([^0-9a-f]|$)`);
      for (const table of ['verification_codes', 'outbox_messages', 'users', 'rate_limit_buckets', 'audit_events']) {
        const rows: Record<string, unknown>[] = await server.dataSource.query(`SELECT * FROM ${table}`);
        for (const row of rows) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value === 'string' && !/(_hash|_encrypted)$/.test(column)) {
              assert.equal(standalone.test(value), false, `${table}.${column} holds the code`);
            }
          }
        }
      }
      const sent: { payload_encrypted: string | null }[] = await server.dataSource.query(
        `SELECT payload_encrypted FROM outbox_messages WHERE recipient = 'plain@example.test'`,
      );
      assert.equal(sent[0]!.payload_encrypted, null);
      const log = readFileSync(server.logFile, 'utf8');
      for (const mail of smtp.received) {
        const match = /\b(\d{6})\b/.exec(mail.text);
        if (match) {
          // As a number of its own: six digits inside a 13-digit log timestamp are not the code.
          assert.equal(new RegExp(`(?<!\\d)${match[1]!}(?!\\d)`).test(log), false, 'a code reached the log');
        }
      }
    });
  });
}

describe('a code survives a server restart', () => {
  for (const kind of testDatabases()) {
    it(`on ${kind}`, async () => {
      const db = await createTestDatabase(kind);
      const smtp = new TestSmtpServer();
      await smtp.start();
      try {
        const first = await startTestServer(db, { env: { SMTP_URL: smtp.url }, overrides: { outbox: OUTBOX } });
        await seedUser(first.dataSource, { name: 'restarter', password: 'restarter-password' });
        const halo = await loginAs(first.baseUrl, 'restarter', 'restarter-password');
        await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'restart@example.test' } });
        const code = codeIn(await smtp.waitFor((m) => m.to === 'restart@example.test'));
        const wrong = code === '111111' ? '111112' : '111111';
        await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: wrong, password: 'restarter-password' } }));
        await first.close();

        const second = await startTestServer(db, { env: { SMTP_URL: smtp.url }, overrides: { outbox: OUTBOX }, clock: first.clock });
        try {
          const rows: { attempts: number | string }[] = await second.dataSource.query(`SELECT attempts FROM verification_codes WHERE target = 'restart@example.test'`);
          assert.equal(Number(rows[0]!.attempts), 1, 'the attempt counter survived');
          const again = await loginAs(second.baseUrl, 'restarter', 'restarter-password');
          await again.console.user.verifyEmail({ verifyCodeRequest: { code, password: 'restarter-password' } });
          const me = await again.console.user.getCurrentUserDetail();
          assert.equal(me.data.user.spec.emailVerified, true);
        } finally {
          await second.close();
        }
      } finally {
        await smtp.stop();
        await db.drop();
      }
    });
  }
});
