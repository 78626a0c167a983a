import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs, withToken } from '../support/http';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';
import { assertDetails, assertZitadelError, createPat, linkIn, userIdOf } from '../support/zitadel';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
const PUBLIC_URL = 'http://console.example.test';
const FORM = { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };

for (const kind of testDatabases()) {
  describe(`ZITADEL password reset on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;
    let manager: HaloClients;
    let linker: HaloClients;

    interface Fresh {
      name: string;
      id: string;
      email: string;
      password: string;
      halo: HaloClients;
    }

    async function freshUser(phone?: string): Promise<Fresh> {
      const name = `puser-${++serial}`;
      const password = `password-of-${name}`;
      const email = `${name}@example.test`;
      await seedUser(server.dataSource, { name, password, email });
      if (phone) {
        await server.dataSource.query(`UPDATE users SET phone = '${phone}' WHERE name = '${name}'`);
      }
      return { name, password, email, id: await userIdOf(server.dataSource, name), halo: await loginAs(server.baseUrl, name, password) };
    }

    const url = (id: string, suffix: string) => `${server.baseUrl}/v2/users/${id}${suffix}`;
    const setPassword = (id: string, body: unknown) => axios.post(url(id, '/password'), body);

    async function login(name: string, password: string): Promise<number> {
      const res = await axios.post(`${server.baseUrl}/login`, { username: name, password }, { validateStatus: () => true });
      return res.status;
    }

    /** Waits for the dev SMS sender's file for `number` (the outbox delivers asynchronously). */
    async function smsTo(number: string): Promise<string> {
      const dir = join(db.dataDir, 'mail');
      const suffix = `-sms-${number.replace(/[^0-9+]/g, '')}.txt`;
      for (let waited = 0; waited < 10_000; waited += 50) {
        const file = (() => {
          try {
            return readdirSync(dir).find((f) => f.endsWith(suffix));
          } catch {
            return undefined;
          }
        })();
        if (file) {
          return readFileSync(join(dir, file), 'utf8');
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no SMS to ${number}`);
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, PUBLIC_URL }, overrides: { outbox: OUTBOX } });
      await seedUser(server.dataSource, { name: 'pmanager', password: 'pmanager-password', roles: ['role-template-manage-users'] });
      await seedUser(server.dataSource, { name: 'plinker', password: 'plinker-password', roles: ['role-template-issue-recovery-links'] });
    });

    beforeEach(async () => {
      server.clock.advance(61_000);
      manager = await loginAs(server.baseUrl, 'pmanager', 'pmanager-password');
      linker = await loginAs(server.baseUrl, 'plinker', 'plinker-password');
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('reset by a mailed code: the new password logs in, the old one and every session and PAT stop working', async () => {
      const user = await freshUser();
      const token = await createPat(user.halo);
      const res = await manager.http.post(`/v2/users/${user.id}/password_reset`, { sendLink: { notificationType: 'NOTIFICATION_TYPE_Email' } });
      expect(res.status).toBe(200);
      assertDetails(res.data);
      expect(res.data.verificationCode).toBe(undefined);
      const mail = await smtp.waitFor((m) => m.to === user.email);
      expect(mail.subject).toBe('Reset your password');
      const code = codeIn(mail);
      expect(linkIn(mail.text)).toBe(`${PUBLIC_URL}/reset-password?user=${user.id}&code=${code}`);

      const done = await setPassword(user.id, { newPassword: { password: 'brand-new-password', changeRequired: true }, verificationCode: code });
      expect(done.status).toBe(200);
      assertDetails(done.data);

      assertZitadelError(await failure(user.halo.http.get(`/v2/users/${user.id}`)), 401, 16);
      assertZitadelError(await failure(withToken(server.baseUrl, token).http.get(`/v2/users/${user.id}`)), 401, 16);
      expect(await login(user.name, user.password)).toBe(401);
      expect(await login(user.name, 'brand-new-password')).toBe(200);
      const again = await loginAs(server.baseUrl, user.name, 'brand-new-password');
      // changeRequired holds: the new session may do nothing but change the password.
      assertZitadelError(await failure(again.http.get(`/v2/users/${user.id}`)), 403, 7);
      const me = await manager.http.get(`/v2/users/${user.id}`);
      expect(me.data.user.human.passwordChangeRequired).toBe(true);

      // A replay of the used code is told so (and counts as no failure).
      assertZitadelError(await failure(setPassword(user.id, { newPassword: { password: 'another-new-password' }, verificationCode: code })), 400, 9, {
        key: 'Errors.User.Code.AlreadyUsed',
      });
      const audit: { actor: string; outcome: string }[] = await server.dataSource.query(
        `SELECT actor, outcome FROM audit_events WHERE action = 'password.reset' AND target = '${user.name}' ORDER BY id`,
      );
      expect(audit.map((a) => [a.actor, a.outcome])).toEqual([[user.name, 'success'], [null, 'failure']]);
    });

    it('self-service reset with a URL template; a password the policy refuses leaves the code usable', async () => {
      const user = await freshUser();
      const res = await user.halo.http.post(`/v2/users/${user.id}/password_reset`, {
        sendLink: { urlTemplate: 'https://login.example/{{.OrgID}}/reset/{{.UserID}}?code={{.Code}}' },
      });
      expect(res.status).toBe(200);
      const mail = await smtp.waitFor((m) => m.to === user.email);
      const code = codeIn(mail);
      expect(linkIn(mail.text)).toBe(`https://login.example/console/reset/${user.id}?code=${code}`);
      assertZitadelError(await failure(setPassword(user.id, { newPassword: { password: 'short' }, verificationCode: code })), 400, 3);
      const ok = await setPassword(user.id, { newPassword: { password: 'a long enough password' }, verificationCode: code });
      expect(ok.status).toBe(200);
      expect(await login(user.name, 'a long enough password')).toBe(200);
    });

    it('returnCode: the recovery-links role gets the code and nothing is mailed; manage-users alone gets 403', async () => {
      const user = await freshUser();
      assertZitadelError(await failure(manager.http.post(`/v2/users/${user.id}/password_reset`, { returnCode: {} })), 403, 7);
      const res = await linker.http.post(`/v2/users/${user.id}/password_reset`, { returnCode: {} });
      expect(res.status).toBe(200);
      expect(res.data.verificationCode).toMatch(/^\d{6}$/);
      const queued: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient = '${user.email}'`);
      expect(queued.length).toBe(0);
      const done = await setPassword(user.id, { newPassword: { password: 'returned-code-password' }, verificationCode: res.data.verificationCode });
      expect(done.status).toBe(200);
      expect(await login(user.name, 'returned-code-password')).toBe(200);
    });

    it('403 for a plain user resetting another user; 401 anonymous; wrong and unknown codes are 3', async () => {
      const actor = await freshUser();
      const victim = await freshUser();
      assertZitadelError(await failure(actor.halo.http.post(`/v2/users/${victim.id}/password_reset`, {})), 403, 7);
      assertZitadelError(await failure(anonymous(server.baseUrl).http.post(`/v2/users/${victim.id}/password_reset`, {})), 401, 16);
      assertZitadelError(await failure(setPassword(victim.id, { newPassword: { password: 'guessing-password' }, verificationCode: '123456' })), 400, 3, {
        key: 'Errors.User.Code.Invalid',
      });
      assertZitadelError(await failure(setPassword('888888', { newPassword: { password: 'guessing-password' }, verificationCode: '123456' })), 400, 3);
      expect(await login(victim.name, victim.password)).toBe(200);
    });

    it('SetPassword with the current password: yourself yes, a wrong one 3, someone else 403, anonymous 401', async () => {
      const user = await freshUser();
      const other = await freshUser();
      const wrong = await failure(user.halo.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'next-password-1' }, currentPassword: 'nope' }));
      assertZitadelError(wrong, 400, 3, { key: 'Errors.User.Password.Invalid' });
      assertZitadelError(
        await failure(other.halo.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'next-password-1' }, currentPassword: user.password })),
        403,
        7,
      );
      assertZitadelError(
        await failure(setPassword(user.id, { newPassword: { password: 'next-password-1' }, currentPassword: user.password })),
        401,
        16,
      );
      const ok = await user.halo.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'next-password-1' }, currentPassword: user.password });
      expect(ok.status).toBe(200);
      expect(await login(user.name, 'next-password-1')).toBe(200);
      const audit: { actor: string }[] = await server.dataSource.query(
        `SELECT actor FROM audit_events WHERE action = 'password.change' AND target = '${user.name}' ORDER BY id`,
      );
      expect(audit.map((a) => a.actor)).toEqual([user.name]);
    });

    it('SetPassword without proof needs users/password update: a manager yes, the user itself no; malformed hashes are refused', async () => {
      const user = await freshUser();
      assertZitadelError(await failure(user.halo.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'self-set-password' } })), 403, 7);
      const ok = await manager.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'manager-set-password' } });
      expect(ok.status).toBe(200);
      expect(await login(user.name, 'manager-set-password')).toBe(200);
      assertZitadelError(await failure(manager.http.post(`/v2/users/${user.id}/password`, { hashedPassword: { hash: '$2a$10$x' } })), 400, 3);
      assertZitadelError(
        await failure(manager.http.post(`/v2/users/${user.id}/password`, { newPassword: { password: 'x-password-1' }, currentPassword: 'a', verificationCode: '1' })),
        400,
        3,
      );
    });

    it('SMS: a reset code goes to the phone and replaces the mailed one; without a phone it is FailedPrecondition', async () => {
      const user = await freshUser('+41 79 123 45 67');
      await manager.http.post(`/v2/users/${user.id}/password_reset`, {});
      const mailed = codeIn(await smtp.waitFor((m) => m.to === user.email));
      const res = await manager.http.post(`/v2/users/${user.id}/password_reset`, { sendLink: { notificationType: 'NOTIFICATION_TYPE_SMS' } });
      expect(res.status).toBe(200);
      const sms = await smsTo('+41791234567');
      const code = /\b(\d{6})\b/.exec(sms)![1]!;
      expect(sms).toMatch(new RegExp(`${PUBLIC_URL}/reset-password\\?user=${user.id}&code=${code}`));
      if (mailed !== code) {
        assertZitadelError(await failure(setPassword(user.id, { newPassword: { password: 'sms-reset-password' }, verificationCode: mailed })), 400, 3);
      }
      const ok = await setPassword(user.id, { newPassword: { password: 'sms-reset-password' }, verificationCode: code });
      expect(ok.status).toBe(200);
      expect(await login(user.name, 'sms-reset-password')).toBe(200);

      const noPhone = await freshUser();
      assertZitadelError(await failure(manager.http.post(`/v2/users/${noPhone.id}/password_reset`, { sendLink: { notificationType: 2 } })), 400, 9, {
        key: 'Errors.User.Phone.Empty',
      });
    });

    it('10 concurrent SetPassword calls with one code: exactly one succeeds', async () => {
      const user = await freshUser();
      const { data } = await linker.http.post(`/v2/users/${user.id}/password_reset`, { returnCode: {} });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => setPassword(user.id, { newPassword: { password: `racing-password-${i}` }, verificationCode: data.verificationCode })),
      );
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(winners.length).toBe(1);
      expect(await login(user.name, `racing-password-${winners[0]}`)).toBe(200);
    });

    it("our reset page: the link shows a form; mismatched or short passwords re-show it; a good one sets the password", async () => {
      const user = await freshUser();
      await user.halo.http.post(`/v2/users/${user.id}/password_reset`, {});
      const link = new URL(linkIn((await smtp.waitFor((m) => m.to === user.email)).text));
      const code = link.searchParams.get('code')!;
      const page = await axios.get(`${server.baseUrl}${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.data).toMatch(/name="password"/);

      const post = (fields: Record<string, string>) =>
        axios.post(`${server.baseUrl}/reset-password`, new URLSearchParams({ user: user.id, code, ...fields }).toString(), { ...FORM, validateStatus: () => true });
      const mismatch = await post({ password: 'page-password-1', confirm: 'page-password-2' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.data).toMatch(/do not match/);
      const short = await post({ password: 'short', confirm: 'short' });
      expect(short.status).toBe(400);
      expect(short.data).toMatch(/between 8 and 128/);
      const done = await post({ password: 'page-password-1', confirm: 'page-password-1' });
      expect(done.status).toBe(200);
      expect(done.data).toMatch(/Password changed/);
      expect(await login(user.name, 'page-password-1')).toBe(200);
      const reused = await post({ password: 'page-password-3', confirm: 'page-password-3' });
      expect(reused.status).toBe(400);
      expect(reused.data).toMatch(/invalid, expired or already used/);
    });
  });
}
