import { readFileSync } from 'node:fs';
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

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>' }, overrides: { outbox: OUTBOX } });
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('401 for anonymous callers on both operations', async () => {
      const anon = anonymous(server.baseUrl);
      expect((await failure(anon.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'a@example.test' } }))).status).toBe(401);
      expect((await failure(anon.console.user.verifyEmail({ verifyCodeRequest: { code: '123456', password: 'x' } }))).status).toBe(401);
    });

    it('mails a code over SMTP; verifying it with the password sets spec.email and emailVerified', async () => {
      const { halo, password, name } = await freshUser();
      const res = await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'New.Address@Example.TEST' } });
      expect(res.status).toBe(200);
      expect(res.data).toBe('');
      const mail = await smtp.waitFor((m) => m.to === 'new.address@example.test');
      expect(mail.from).toBe('console@example.test');
      expect(mail.subject).toBe('Verify your email address');
      expect(mail.html).toMatch(new RegExp(codeIn(mail)));
      expect(mail.text).toMatch(new RegExp(name));

      const me = await halo.console.user.getCurrentUserDetail();
      expect(me.data.user.metadata.annotations?.['halo.run/email-to-verify']).toBe('new.address@example.test');

      const verified = await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
      expect(verified.status).toBe(200);
      const after = await halo.console.user.getCurrentUserDetail();
      expect(after.data.user.spec.email).toBe('new.address@example.test');
      expect(after.data.user.spec.emailVerified).toBe(true);

      const again = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'new.address@example.test' } }));
      expect(again.status).toBe(400);
      expect(again.data.detail).toBe('Email already verified.');
    });

    it('uses zh-CN templates for a Chinese Accept-Language', async () => {
      const { halo } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'zh@example.test' } }, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
      const mail = await smtp.waitFor((m) => m.to === 'zh@example.test');
      expect(mail.subject).toBe('邮箱验证');
    });

    it('rejects an invalid address with 400 and a second send within a minute with 429 + Retry-After', async () => {
      const { halo } = await freshUser();
      const bad = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'not an address' } }));
      expect(bad.status).toBe(400);
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'cooldown@example.test' } });
      const limited = await failure(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'cooldown@example.test' } }));
      expect(limited.status).toBe(429);
      expect(limited.data.type).toBe('https://halo.run/probs/request-not-permitted');
      expect(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60).toBeTruthy();
    });

    it('requires the current password (400) and rejects a wrong code (400)', async () => {
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'pw@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'pw@example.test');
      const wrongPassword = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password: 'wrong-password' } }));
      expect(wrongPassword.status).toBe(400);
      expect(wrongPassword.data.detail).toBe('The password does not match.');
      const wrongCode = codeIn(mail) === '000000' ? '000001' : '000000';
      const bad = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: wrongCode, password } }));
      expect(bad.status).toBe(400);
      expect(bad.data.detail).toBe('Invalid email verification code.');
      await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
    });

    it("spends login's per-account budget: after 10 wrong passwords, right and wrong ones get the same 429", async () => {
      server.clock.advance(61_000); // a fresh per-IP verify window (30/min)
      const { halo, password, name } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'budget@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'budget@example.test'));
      for (let i = 0; i < 10; i++) {
        const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: `wrong-${i}` } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The password does not match.');
      }
      const right = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } }));
      const wrong = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: 'wrong-again' } }));
      for (const res of [right, wrong]) {
        expect(res.status).toBe(429);
        expect(res.data.type).toBe('https://halo.run/probs/request-not-permitted');
        expect(Number(res.headers['retry-after']) > 0).toBeTruthy();
      }
      const shape = (data: { type: string; title: string; status: number; detail: string }) => [data.type, data.title, data.status, data.detail];
      expect(shape(right.data)).toEqual(shape(wrong.data));
      const me = await halo.console.user.getCurrentUserDetail();
      expect(me.data.user.spec.email).not.toBe('budget@example.test'); // the right code with the right password did not get through
      expect(me.data.user.metadata.name).toBe(name);
    });

    it('a code expires after 10 minutes', async () => {
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'ttl@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'ttl@example.test');
      server.clock.advance(10 * 60_000 + 1);
      try {
        const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } }));
        expect(res.status).toBe(400);
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
      expect(res.status).toBe(400);
      expect(res.data.detail).toBe('The email has been used, please change the email and retry.');
    });

    it('tells the previously verified address that the email changed', async () => {
      const { halo, password } = await freshUser({ email: 'old-verified@example.test', emailVerified: true });
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'replacement@example.test' } });
      const mail = await smtp.waitFor((m) => m.to === 'replacement@example.test');
      await halo.console.user.verifyEmail({ verifyCodeRequest: { code: codeIn(mail), password } });
      const notice = await smtp.waitFor((m) => m.to === 'old-verified@example.test');
      expect(notice.subject).toBe('Your email address was changed');
      expect(notice.text).toMatch(/r\*\*\*@example\.test/);
      expect(notice.text).not.toMatch(/\b\d{6}\b/);
    });

    it('20 concurrent verifies with the right code: exactly one succeeds', async () => {
      server.clock.advance(61_000); // a fresh per-IP verify window (30/min)
      const { halo, password } = await freshUser();
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'race@example.test' } });
      const code = codeIn(await smtp.waitFor((m) => m.to === 'race@example.test'));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
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
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(0);
      const rows: { attempts: number | string }[] = await server.dataSource.query(
        `SELECT attempts FROM verification_codes WHERE target = 'guess@example.test'`,
      );
      expect(rows.every((r) => Number(r.attempts) <= 5)).toBeTruthy(); // no more than 5 guesses evaluated
      server.clock.advance(61_000); // past the per-IP verify limit the 50 guesses ran into
      const res = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } }));
      expect(res.status).toBe(400);
      expect(res.data.detail).toBe('Too many verification attempts, please try again later.');
      expect(name).toBeTruthy();
    });

    it('SMTP down when the code is requested: 200 now, the mail arrives exactly once after SMTP is back', async () => {
      const { halo } = await freshUser();
      const port = smtp.port;
      await smtp.stop();
      try {
        const res = await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'outage@example.test' } });
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 300));
        const rows: { status: string; attempts: number | string; last_error: string | null }[] = await server.dataSource.query(
          `SELECT status, attempts, last_error FROM outbox_messages WHERE recipient = 'outage@example.test'`,
        );
        expect(rows.length).toBe(1);
        expect(rows[0]!.status).toBe('pending');
        expect(rows[0]!.last_error).toBeTruthy();
      } finally {
        await smtp.start(port);
      }
      server.clock.advance(60_000);
      const mail = await smtp.waitFor((m) => m.to === 'outage@example.test');
      expect(codeIn(mail)).toBeTruthy();
      server.clock.advance(10 * 60_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.mailsTo('outage@example.test').length).toBe(1);
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
              expect(standalone.test(value)).toBe(false);
            }
          }
        }
      }
      const sent: { payload_encrypted: string | null }[] = await server.dataSource.query(
        `SELECT payload_encrypted FROM outbox_messages WHERE recipient = 'plain@example.test'`,
      );
      expect(sent[0]!.payload_encrypted).toBe(null);
      const log = readFileSync(server.logFile, 'utf8');
      for (const mail of smtp.received) {
        const match = /\b(\d{6})\b/.exec(mail.text);
        if (match) {
          // As a number of its own: six digits inside a 13-digit log timestamp are not the code.
          expect(new RegExp(`(?<!\\d)${match[1]!}(?!\\d)`).test(log)).toBe(false); // a code reached the log
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
          expect(Number(rows[0]!.attempts)).toBe(1); // the attempt counter survived
          const again = await loginAs(second.baseUrl, 'restarter', 'restarter-password');
          await again.console.user.verifyEmail({ verifyCodeRequest: { code, password: 'restarter-password' } });
          const me = await again.console.user.getCurrentUserDetail();
          expect(me.data.user.spec.emailVerified).toBe(true);
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
