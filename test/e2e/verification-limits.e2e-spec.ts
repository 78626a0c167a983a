import type { AxiosResponse } from 'axios';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginVia, outcome } from '../support/forwarded';
import type { HaloClients } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

for (const kind of testDatabases()) {
  // The engine's limits through Halo's two operations, edges found by moving the clock.
  describe(`verification limits on ${kind}`, () => {
    const clock = new ManualClock(new Date('2026-03-04T06:00:00.000Z'));
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    /**
     * A fresh user with a session from its own forwarded address, so the per-IP limits of one
     * test (or one step) never decide another's outcome.
     */
    async function freshUser(): Promise<{ halo: HaloClients; password: string; name: string }> {
      const name = `limited-${++serial}`;
      const password = `password-of-${name}`;
      await seedUser(server.dataSource, { name, password });
      return { name, password, halo: await loginVia(server.baseUrl, name, password, `203.0.113.${serial}`) };
    }

    const relogin = async (user: { name: string; password: string }) => loginVia(server.baseUrl, user.name, user.password, `198.51.100.${++serial % 250}`);

    const send = (halo: HaloClients, email: string): Promise<AxiosResponse> =>
      outcome(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email } }));
    const verify = (halo: HaloClients, password: string, code: string): Promise<AxiosResponse> =>
      outcome(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password } }));
    /** Sends a code that must be accepted and returns it from the mail that arrives for it. */
    async function sendForCode(halo: HaloClients, email: string): Promise<string> {
      const before = smtp.mailsTo(email).length;
      expect((await send(halo, email)).status).toBe(200);
      await smtp.waitFor(() => smtp.mailsTo(email).length > before, 15_000);
      return codeIn(smtp.mailsTo(email)[before]!);
    }

    function assertLimited(res: AxiosResponse, retryAfterSeconds: number): void {
      expect(res.status).toBe(429);
      expect(res.data.type).toBe('https://halo.run/probs/request-not-permitted');
      expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, {
        clock,
        env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' },
        overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } },
      });
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('resend cooldown per recipient: another user at 59 s gets 429, at 60 s gets a code', async () => {
      const start = clock.now().getTime();
      const first = await freshUser();
      const second = await freshUser();
      expect((await send(first.halo, 'cooldown@example.test')).status).toBe(200);
      clock.set(new Date(start + 59 * SECOND));
      assertLimited(await send(second.halo, 'cooldown@example.test'), 1);
      clock.set(new Date(start + MINUTE));
      expect((await send(second.halo, 'cooldown@example.test')).status).toBe(200);
    });

    it('5 mails per recipient per hour and 10 per day, whoever asks', async () => {
      const start = clock.now().getTime();
      const user = await freshUser();
      let halo = user.halo;
      for (let i = 0; i < 5; i++) {
        clock.set(new Date(start + i * MINUTE));
        expect((await send(halo, 'capped@example.test')).status).toBe(200);
      }
      clock.set(new Date(start + 5 * MINUTE));
      assertLimited(await send(halo, 'capped@example.test'), (HOUR - 5 * MINUTE) / SECOND);
      clock.set(new Date(start + HOUR - 1));
      halo = await relogin(user);
      assertLimited(await send(halo, 'capped@example.test'), 1);

      for (let i = 0; i < 5; i++) {
        clock.set(new Date(start + HOUR + i * MINUTE));
        expect((await send(halo, 'capped@example.test')).status).toBe(200);
      }
      clock.set(new Date(start + 2 * HOUR));
      halo = await relogin(user);
      assertLimited(await send(halo, 'capped@example.test'), (DAY - 2 * HOUR) / SECOND);
      clock.set(new Date(start + DAY));
      halo = await relogin(user);
      expect((await send(halo, 'capped@example.test')).status).toBe(200); // a new day
    });

    it('20 failed verifies per account per hour: then even the right code gets 429 until the hour is over', async () => {
      const start = clock.now().getTime();
      const user = await freshUser();
      let halo = user.halo;
      for (let round = 0; round < 4; round++) {
        clock.set(new Date(start + round * MINUTE));
        const email = `guesser-${round}@example.test`;
        const code = await sendForCode(halo, email);
        const wrong = code === '000000' ? '000001' : '000000';
        for (let guess = 0; guess < 5; guess++) {
          expect((await verify(halo, user.password, wrong)).status).toBe(400);
        }
      }
      clock.set(new Date(start + 4 * MINUTE));
      const right = await sendForCode(halo, 'guesser-4@example.test');
      assertLimited(await verify(halo, user.password, right), (HOUR - 4 * MINUTE) / SECOND);

      clock.set(new Date(start + HOUR));
      halo = await relogin(user);
      expect((await verify(halo, user.password, await sendForCode(halo, 'guesser-5@example.test'))).status).toBe(200);
    });

    it('TTL edge: a code works until 10 minutes minus 1 ms and fails at 10 minutes', async () => {
      const start = clock.now().getTime();
      const early = await freshUser();
      const late = await freshUser();
      const earlyCode = await sendForCode(early.halo, 'ttl-early@example.test');
      const lateCode = await sendForCode(late.halo, 'ttl-late@example.test');
      clock.set(new Date(start + 10 * MINUTE - 1));
      expect((await verify(early.halo, early.password, earlyCode)).status).toBe(200);
      clock.set(new Date(start + 10 * MINUTE));
      const expired = await verify(late.halo, late.password, lateCode);
      expect(expired.status).toBe(400);
      expect(expired.data.detail).toBe('Invalid email verification code.');
    });

    it('a new code replaces the old one: the old code fails, the new one works', async () => {
      const user = await freshUser();
      const old = await sendForCode(user.halo, 'replace@example.test');
      clock.advance(MINUTE);
      const current = await sendForCode(user.halo, 'replace@example.test');
      if (current !== old) {
        const res = await verify(user.halo, user.password, old);
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('Invalid email verification code.');
      }
      expect((await verify(user.halo, user.password, current)).status).toBe(200);
      const rows: { revoked_at: unknown }[] = await server.dataSource.query(
        `SELECT revoked_at FROM verification_codes WHERE target = 'replace@example.test' ORDER BY id`,
      );
      expect(rows.length).toBe(2);
      expect(rows[0]!.revoked_at).toBeTruthy(); // the first code was revoked when the second was issued
    });
  });
}
