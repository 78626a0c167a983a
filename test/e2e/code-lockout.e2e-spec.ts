import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';
import { assertZitadelError, userIdOf } from '../support/zitadel';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };

for (const kind of testDatabases()) {
  // Failed code verifications count only where there was a code to guess: a stranger cannot
  // spend a user's hourly budget, and a client that repeats a right code is told it was used.
  describe(`code verification lockout on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let linker: HaloClients;
    let serial = 0;

    async function freshUser(): Promise<{ name: string; id: string; password: string; email: string }> {
      const name = `lockout-${++serial}`;
      const password = `password-of-${name}`;
      const email = `${name}@example.test`;
      await seedUser(server.dataSource, { name, password, email });
      return { name, password, email, id: await userIdOf(server.dataSource, name) };
    }

    /** A public call from its own client address, so the per-IP limits never decide the outcome. */
    const fromAddress = (ip: string) => ({ headers: { 'X-Forwarded-For': ip }, validateStatus: () => true });
    const setPasswordWithCode = (id: string, code: string, ip: string) =>
      axios.post(`${server.baseUrl}/v2/users/${id}/password`, { newPassword: { password: 'a brand new password' }, verificationCode: code }, fromAddress(ip));
    const verifyEmail = (id: string, code: string, ip: string) =>
      axios.post(`${server.baseUrl}/v2/users/${id}/email/verify`, { verificationCode: code }, fromAddress(ip));
    /** A live code for `id`, returned to the recovery-links holder instead of mailed. */
    async function returnedCode(id: string, suffix: '/password_reset' | '/email/send'): Promise<string> {
      const res = await linker.http.post(`/v2/users/${id}${suffix}`, { returnCode: {} });
      expect(res.status).toBe(200);
      expect(res.data.verificationCode).toMatch(/^\d{6}$/);
      return res.data.verificationCode;
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' }, overrides: { outbox: OUTBOX } });
      await seedUser(server.dataSource, { name: 'lockout-linker', password: 'lockout-linker-password', roles: ['role-template-issue-recovery-links'] });
    });

    beforeEach(async () => {
      server.clock.advance(61_000);
      linker = await loginAs(server.baseUrl, 'lockout-linker', 'lockout-linker-password');
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('40 wrong reset codes from strangers while no code is out lock nothing: the owner’s own code then works', async () => {
      const victim = await freshUser();
      for (let i = 0; i < 40; i++) {
        const res = await setPasswordWithCode(victim.id, String(100000 + i), `203.0.113.${i + 1}`);
        expect(res.status).not.toBe(429);
        expect(res.status).toBe(400);
      }
      const code = await returnedCode(victim.id, '/password_reset');
      const res = await setPasswordWithCode(victim.id, code, '198.51.100.1');
      expect(res.status).toBe(200);
      const login = await axios.post(`${server.baseUrl}/login`, { username: victim.name, password: 'a brand new password' });
      expect(login.status).toBe(200);
    });

    it('guesses at a live code still count: the per-code cap of 5 and the hourly cap of 20 stay', async () => {
      const user = await freshUser();
      for (let round = 0; round < 4; round++) {
        const code = await returnedCode(user.id, '/password_reset');
        const wrong = code === '000000' ? '000001' : '000000';
        for (let i = 0; i < 5; i++) {
          assertZitadelError(await setPasswordWithCode(user.id, wrong, `192.0.2.${round * 5 + i + 1}`), 400, 3);
        }
        if (round < 3) {
          // The sixth try, even the right code, meets a burned code.
          assertZitadelError(await setPasswordWithCode(user.id, code, '192.0.2.100'), 400, 9, { key: 'Errors.User.Code.Exhausted' });
        }
        server.clock.advance(61_000); // the resend cooldown
      }
      const right = await returnedCode(user.id, '/password_reset');
      assertZitadelError(await setPasswordWithCode(user.id, right, '192.0.2.101'), 429, 8);
    });

    it('a right code submitted 10 times at once and 25 times more: one success, every other answer "already used", no lock', async () => {
      const user = await freshUser();
      const code = await returnedCode(user.id, '/email/send');
      const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => verifyEmail(user.id, code, `198.51.100.${10 + i}`)));
      expect(burst.filter((r) => r.status === 200).length).toBe(1);
      const late = burst.filter((r) => r.status !== 200);
      for (let i = 0; i < 25; i++) {
        late.push(await verifyEmail(user.id, code, `198.51.100.${30 + i}`));
      }
      for (const res of late) {
        assertZitadelError(res, 400, 9, { key: 'Errors.User.Code.AlreadyUsed' });
      }
      const rows: { attempts: number | string }[] = await server.dataSource.query(
        `SELECT attempts FROM verification_codes WHERE user_id = ${user.id} AND purpose = 'email-verify'`,
      );
      expect(rows.map((r) => Number(r.attempts))).toEqual([0]); // a right code uses no try

      // 35 duplicates later the account is not locked: its next code (same hourly budget) works.
      const reset = await returnedCode(user.id, '/password_reset');
      expect((await setPasswordWithCode(user.id, reset, '198.51.100.99')).status).toBe(200);
    });

    it('Halo verify-email: a double-submitted right code is one success and "already used" for the rest', async () => {
      const user = await freshUser();
      const halo = await loginAs(server.baseUrl, user.name, user.password);
      await halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: `halo-${user.email}` } });
      const code = codeIn(await smtp.waitFor((m) => m.to === `halo-${user.email}`));
      const calls = Array.from({ length: 8 }, () =>
        halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: user.password } }).then(
          (res) => res,
          (error: unknown) => failure(Promise.reject(error)),
        ),
      );
      const answers = await Promise.all(calls);
      expect(answers.filter((r) => r.status === 200).length).toBe(1);
      for (const res of answers.filter((r) => r.status !== 200)) {
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The verification code has already been used.');
      }
      const again = await failure(halo.console.user.verifyEmail({ verifyCodeRequest: { code, password: user.password } }));
      expect(again.data.detail).toBe('The verification code has already been used.');
    });
  });
}
