import { readFileSync } from 'node:fs';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs, withToken } from '../support/http';
import { seedUser, SeedUser } from '../support/seed';
import { standaloneCode } from '../support/log-secrets';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';
import { assertDetails, assertZitadelError, createPat, linkIn, userIdOf } from '../support/zitadel';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
const PUBLIC_URL = 'http://console.example.test';

for (const kind of testDatabases()) {
  describe(`ZITADEL email verification on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;
    let admin: HaloClients;
    let manager: HaloClients;
    let linker: HaloClients;

    /** A fresh user (own address, own limits) with its own session. */
    async function freshUser(extra: Partial<SeedUser> = {}): Promise<{ name: string; id: string; email: string; halo: HaloClients }> {
      const name = `zuser-${++serial}`;
      const email = extra.email ?? `${name}@example.test`;
      await seedUser(server.dataSource, { name, password: `password-of-${name}`, ...extra, email });
      return { name, email, id: await userIdOf(server.dataSource, name), halo: await loginAs(server.baseUrl, name, `password-of-${name}`) };
    }

    const path = (id: string, suffix = '') => `/v2/users/${id}${suffix}`;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, PUBLIC_URL }, overrides: { outbox: OUTBOX } });
      await seedUser(server.dataSource, { name: 'zmanager', password: 'zmanager-password', roles: ['role-template-manage-users'] });
      await seedUser(server.dataSource, { name: 'zlinker', password: 'zlinker-password', roles: ['role-template-issue-recovery-links'] });
    });

    beforeEach(async () => {
      // A fresh per-IP window for the public verify routes, and sessions that have not idled out.
      server.clock.advance(61_000);
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      manager = await loginAs(server.baseUrl, 'zmanager', 'zmanager-password');
      linker = await loginAs(server.baseUrl, 'zlinker', 'zlinker-password');
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    describe('authentication and permissions', () => {
      it('401 in ZITADEL form for anonymous callers on every authenticated route', async () => {
        const { id } = await freshUser();
        const anon = anonymous(server.baseUrl).http;
        for (const call of [
          () => anon.get(path(id)),
          () => anon.post(path(id, '/email'), { email: 'x@example.test' }),
          () => anon.post(path(id, '/email/send'), {}),
          () => anon.post(path(id, '/email/resend'), {}),
          () => anon.post(path(id, '/password_reset'), {}),
        ]) {
          assertZitadelError(await failure(call()), 401, 16);
        }
      });

      it('403 for a plain user sending a code to another user; nothing is mailed', async () => {
        const actor = await freshUser();
        const victim = await freshUser();
        const res = await failure(actor.halo.http.post(path(victim.id, '/email/send'), { sendCode: {} }));
        assertZitadelError(res, 403, 7, { key: 'Errors.PermissionDenied' });
        const rows: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient = '${victim.email}'`);
        expect(rows.length).toBe(0);
      });

      it('403 for a manage-users holder asking for returnCode, for another user and for itself', async () => {
        const target = await freshUser();
        assertZitadelError(await failure(manager.http.post(path(target.id, '/email/send'), { returnCode: {} })), 403, 7);
        const managerId = await userIdOf(server.dataSource, 'zmanager');
        assertZitadelError(await failure(manager.http.post(path(managerId, '/email/send'), { returnCode: {} })), 403, 7);
        assertZitadelError(await failure(manager.http.post(path(target.id, '/email'), { email: 'r@example.test', returnCode: {} })), 403, 7);
      });

      it('403 for returnCode on yourself without the recovery-links role', async () => {
        const self = await freshUser();
        assertZitadelError(await failure(self.halo.http.post(path(self.id, '/email/send'), { returnCode: {} })), 403, 7);
      });

      it('403 for a user manager acting on a user with roles it lacks (the super admin)', async () => {
        const adminId = await userIdOf(server.dataSource, 'admin');
        assertZitadelError(await failure(manager.http.post(path(adminId, '/email'), { email: 'takeover@example.test' })), 403, 7);
        assertZitadelError(await failure(manager.http.post(path(adminId, '/password_reset'), {})), 403, 7);
      });

      it('unknown and non-numeric user ids are NotFound (5) on authenticated routes', async () => {
        assertZitadelError(await failure(admin.http.get(path('999999'))), 404, 5, { key: 'Errors.User.NotFound' });
        assertZitadelError(await failure(admin.http.get(path('2640123456789012345'))), 404, 5);
        assertZitadelError(await failure(admin.http.post(path('abc', '/email/send'), {})), 404, 5);
      });
    });

    describe('SendEmailCode with a URL template, and VerifyEmail', () => {
      it('self-service through a PAT: the mail carries the rendered link; the code verifies without authentication', async () => {
        const me = await freshUser();
        const token = await createPat(me.halo);
        const bearer = withToken(server.baseUrl, token).http;
        const template = 'https://app.example/verify?u={{.UserID}}&c={{ .Code }}&o={{.OrgID}}';
        const res = await bearer.post(path(me.id, '/email/send'), { sendCode: { urlTemplate: template } });
        expect(res.status).toBe(200);
        assertDetails(res.data);
        expect(res.data.verificationCode).toBe(undefined);

        const mail = await smtp.waitFor((m) => m.to === me.email);
        expect(mail.subject).toBe('Verify your email address');
        const code = codeIn(mail);
        expect(linkIn(mail.text)).toBe(`https://app.example/verify?u=${me.id}&c=${encodeURIComponent(code)}&o=console`);
        const href = /href="([^"]+)"/.exec(mail.html)![1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
        expect(href).toBe(linkIn(mail.text)); // the HTML part links to the same place

        const stored: { url_template: string | null }[] = await server.dataSource.query(
          `SELECT url_template FROM verification_codes WHERE target = '${me.email}' ORDER BY id DESC`,
        );
        expect(stored[0]!.url_template).toBe(template);

        const verified = await axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: code });
        expect(verified.status).toBe(200);
        assertDetails(verified.data);
        const user = await bearer.get(path(me.id));
        expect(user.data.user.human.email.isVerified).toBe(true);
        expect(user.data.user.human.email.email).toBe(me.email);
      });

      it('without a template the mail links to our own verification page under PUBLIC_URL, which verifies on POST', async () => {
        const me = await freshUser();
        await me.halo.http.post(path(me.id, '/email/send'), {});
        const mail = await smtp.waitFor((m) => m.to === me.email);
        const code = codeIn(mail);
        const link = linkIn(mail.text);
        expect(link).toBe(`${PUBLIC_URL}/verify-email?user=${me.id}&code=${code}`);

        const local = `${server.baseUrl}${new URL(link).pathname}${new URL(link).search}`;
        const page = await axios.get(local);
        expect(page.status).toBe(200);
        expect(String(page.headers['content-type'])).toMatch(/^text\/html/);
        expect(page.headers['referrer-policy']).toBe('no-referrer');
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.data).toMatch(/<form method="post" action="verify-email">/);
        const before = await me.halo.http.get(path(me.id));
        expect(before.data.user.human.email.isVerified).toBe(false); // opening the link changes nothing

        const done = await axios.post(`${server.baseUrl}/verify-email`, new URLSearchParams({ user: me.id, code }).toString(), {
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(done.status).toBe(200);
        expect(done.data).toMatch(/email address is verified/);
        const afterwards = await me.halo.http.get(path(me.id));
        expect(afterwards.data.user.human.email.isVerified).toBe(true);

        const again = await failure(
          axios.post(`${server.baseUrl}/verify-email`, new URLSearchParams({ user: me.id, code }).toString(), {
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
        );
        expect(again.status).toBe(400);
        expect(again.data).toMatch(/invalid, expired or already used/);
      });

      it('a manager sends to another user; an already verified address is FailedPrecondition', async () => {
        const target = await freshUser();
        const res = await manager.http.post(path(target.id, '/email/send'), { sendCode: {} });
        expect(res.status).toBe(200);
        await smtp.waitFor((m) => m.to === target.email);
        const verified = await freshUser({ emailVerified: true });
        assertZitadelError(await failure(manager.http.post(path(verified.id, '/email/send'), {})), 400, 9, { key: 'Errors.User.Email.AlreadyVerified' });
      });

      it('a wrong code is InvalidArgument (3); five wrong tries burn the code (then 9)', async () => {
        const me = await freshUser();
        await me.halo.http.post(path(me.id, '/email/send'), {});
        const code = codeIn(await smtp.waitFor((m) => m.to === me.email));
        const wrong = code === '000000' ? '000001' : '000000';
        const verify = (c: string) => axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: c });
        for (let i = 0; i < 5; i++) {
          assertZitadelError(await failure(verify(wrong)), 400, 3, { id: 'COMMAND-eis9R', key: 'Errors.User.Code.Invalid' });
        }
        assertZitadelError(await failure(verify(code)), 400, 9, { key: 'Errors.User.Code.Exhausted' });
        const audit: { outcome: string }[] = await server.dataSource.query(
          `SELECT outcome FROM audit_events WHERE action = 'email.verify' AND target = '${me.name}'`,
        );
        expect(audit.filter((a) => a.outcome === 'failure').length).toBe(6);
      });

      it('an unknown user on the public verify route gets the wrong-code answer, not NotFound', async () => {
        const res = await failure(axios.post(`${server.baseUrl}${path('987654', '/email/verify')}`, { verificationCode: '123456' }));
        assertZitadelError(res, 400, 3, { key: 'Errors.User.Code.Invalid' });
        const nonNumeric = await failure(axios.post(`${server.baseUrl}${path('abc', '/email/verify')}`, { verificationCode: '123456' }));
        assertZitadelError(nonNumeric, 400, 3, { key: 'Errors.User.Code.Invalid' });
      });
    });

    describe('ResendEmailCode', () => {
      it('without an outstanding code: FailedPrecondition (9) Errors.User.Code.Empty', async () => {
        const me = await freshUser();
        const res = await failure(me.halo.http.post(path(me.id, '/email/resend'), {}));
        assertZitadelError(res, 400, 9, { key: 'Errors.User.Code.Empty' });
      });

      it('within the cooldown: 429 ResourceExhausted with Retry-After; afterwards a new code replaces the old', async () => {
        const me = await freshUser();
        await me.halo.http.post(path(me.id, '/email/send'), {});
        const first = codeIn(await smtp.waitFor((m) => m.to === me.email));
        const limited = await failure(me.halo.http.post(path(me.id, '/email/resend'), {}));
        assertZitadelError(limited, 429, 8);
        expect(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60).toBeTruthy();

        server.clock.advance(61_000);
        const next = smtp.nextMailTo(me.email);
        const res = await me.halo.http.post(path(me.id, '/email/resend'), { sendCode: { urlTemplate: 'https://app.example/v/{{.Code}}' } });
        expect(res.status).toBe(200);
        const mail = await next;
        const second = codeIn(mail);
        expect(linkIn(mail.text)).toBe(`https://app.example/v/${second}`);
        if (first !== second) {
          const old = await failure(axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: first }));
          assertZitadelError(old, 400, 3);
        }
        const ok = await axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: second });
        expect(ok.status).toBe(200);
      });
    });

    describe('returnCode', () => {
      it('the recovery-links role gets the code in the response; nothing is mailed; the code verifies', async () => {
        const target = await freshUser();
        const res = await linker.http.post(path(target.id, '/email/send'), { returnCode: {} });
        expect(res.status).toBe(200);
        assertDetails(res.data);
        expect(res.data.verificationCode).toMatch(/^\d{6}$/);
        const queued: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient = '${target.email}'`);
        expect(queued.length).toBe(0); // no mail queued
        const audit: { actor: string; details: string }[] = await server.dataSource.query(
          `SELECT actor, details FROM audit_events WHERE action = 'email.code.send' AND target = '${target.name}'`,
        );
        expect(audit[0]!.actor).toBe('zlinker');
        expect(audit[0]!.details.includes(res.data.verificationCode)).toBe(false); // the audit holds no code

        const ok = await axios.post(`${server.baseUrl}${path(target.id, '/email/verify')}`, { verificationCode: res.data.verificationCode });
        expect(ok.status).toBe(200);
      });
    });

    describe('SetEmail', () => {
      it('clears the verified flag and the outstanding code in one write, and mails a code to the new address', async () => {
        const target = await freshUser({ emailVerified: true });
        const returned = await admin.http.post(path(target.id, '/email/send'), { returnCode: {} }).catch((e) => e.response);
        // Verified users get no code; take one from SetEmail to the same address instead.
        assertZitadelError(returned, 400, 9);
        const before = await admin.http.get(path(target.id));
        expect(before.data.user.human.email.isVerified).toBe(true);

        const first = await admin.http.post(path(target.id, '/email'), { email: 'first-new@example.test', returnCode: {} });
        const oldCode = first.data.verificationCode as string;
        expect(oldCode).toMatch(/^\d{6}$/);
        const res = await manager.http.post(path(target.id, '/email'), {
          email: 'Second-New@Example.test',
          sendCode: { urlTemplate: 'https://app.example/confirm?user={{.UserID}}&code={{.Code}}' },
        });
        expect(res.status).toBe(200);
        assertDetails(res.data);
        expect(Number(res.data.details.sequence) > Number(first.data.details.sequence)).toBeTruthy();
        const mail = await smtp.waitFor((m) => m.to === 'second-new@example.test');
        const newCode = codeIn(mail);
        expect(linkIn(mail.text)).toBe(`https://app.example/confirm?user=${target.id}&code=${newCode}`);

        const user = await admin.http.get(path(target.id));
        expect(user.data.user.human.email.email).toBe('Second-New@Example.test');
        expect(user.data.user.human.email.isVerified).toBe(false);
        if (oldCode !== newCode) {
          assertZitadelError(await failure(axios.post(`${server.baseUrl}${path(target.id, '/email/verify')}`, { verificationCode: oldCode })), 400, 3);
        }
        const notice = await smtp.waitFor((m) => m.to === target.email);
        expect(notice.subject).toBe('Your email address was changed');
        await axios.post(`${server.baseUrl}${path(target.id, '/email/verify')}`, { verificationCode: newCode });
        const verified = await admin.http.get(path(target.id));
        expect(verified.data.user.human.email.isVerified).toBe(true);
      });

      it('isVerified:true needs manage-users (also for yourself), is audited and sends nothing', async () => {
        const self = await freshUser();
        assertZitadelError(await failure(self.halo.http.post(path(self.id, '/email'), { email: 'mine@example.test', isVerified: true })), 403, 7);

        const res = await manager.http.post(path(self.id, '/email'), { email: 'admin-set@example.test', isVerified: true });
        expect(res.status).toBe(200);
        expect(res.data.verificationCode).toBe(undefined);
        const user = await manager.http.get(path(self.id));
        expect(user.data.user.human.email.email).toBe('admin-set@example.test');
        expect(user.data.user.human.email.isVerified).toBe(true);
        const audit: { actor: string; outcome: string }[] = await server.dataSource.query(
          `SELECT actor, outcome FROM audit_events WHERE action = 'email.mark-verified' AND target = '${self.name}' ORDER BY id`,
        );
        expect(audit.map((a) => [a.actor, a.outcome])).toEqual([['zmanager', 'success']]);
        const queued: unknown[] = await server.dataSource.query(`SELECT id FROM outbox_messages WHERE recipient = 'admin-set@example.test'`);
        expect(queued.length).toBe(0);

        assertZitadelError(
          await failure(manager.http.post(path(self.id, '/email'), { email: 'ADMIN-SET@example.test', isVerified: true })),
          400,
          9,
          { id: 'COMMAND-Uch5e', key: 'Errors.User.Email.NotChanged' },
        );
        const other = await freshUser();
        assertZitadelError(await failure(manager.http.post(path(other.id, '/email'), { email: 'admin-set@example.test', isVerified: true })), 409, 6, {
          key: 'Errors.User.Email.AlreadyExists',
        });
      });

      it('self-service SetEmail with the default (empty) oneof mails a code to the new address', async () => {
        const me = await freshUser();
        const res = await me.halo.http.post(path(me.id, '/email'), { email: 'self-new@example.test' });
        expect(res.status).toBe(200);
        const mail = await smtp.waitFor((m) => m.to === 'self-new@example.test');
        expect(linkIn(mail.text)).toBe(`${PUBLIC_URL}/verify-email?user=${me.id}&code=${codeIn(mail)}`);
      });
    });

    describe('request validation in ZITADEL form', () => {
      it('an invalid URL template is InvalidArgument InvalidURLTemplate, checked before anything is sent', async () => {
        const me = await freshUser();
        for (const urlTemplate of [
          'https://app.example/?c={{.Token}}',
          'https://app.example/?c={{.Code | urlquery}}',
          'https://app.example/?c={{.Code',
          'javascript:alert({{.Code}})',
          `https://app.example/${'x'.repeat(200)}`,
          '',
        ]) {
          const res = await failure(me.halo.http.post(path(me.id, '/email/send'), { sendCode: { urlTemplate } }));
          assertZitadelError(res, 400, 3, { id: 'DOMAIN-oGh5e', key: 'Errors.User.InvalidURLTemplate' });
        }
        assertZitadelError(
          await failure(admin.http.post(path(me.id, '/password_reset'), { sendLink: { urlTemplate: '{{.OrgID}}' } })),
          400,
          3,
          { key: 'Errors.User.InvalidURLTemplate' },
        );
        const rows: unknown[] = await server.dataSource.query(`SELECT id FROM verification_codes WHERE user_id = ${me.id}`);
        expect(rows.length).toBe(0);
      });

      it('two oneof members, unknown fields, bad types, a bad address and unparsable JSON are InvalidArgument', async () => {
        const me = await freshUser();
        const cases = [
          () => me.halo.http.post(path(me.id, '/email/send'), { sendCode: {}, returnCode: {} }),
          () => me.halo.http.post(path(me.id, '/email'), { email: 'a@example.test', sendCode: {}, isVerified: true }),
          () => me.halo.http.post(path(me.id, '/email/send'), { sendCode: {}, surprise: 1 }),
          () => me.halo.http.post(path(me.id, '/email/send'), { sendCode: { urlTemplate: 5 } }),
          () => me.halo.http.post(path(me.id, '/email'), { email: 'not an address' }),
          () => me.halo.http.post(path(me.id, '/email'), { email: 'a@example.test', isVerified: false }),
          () => axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: '' }),
        ];
        for (const call of cases) {
          assertZitadelError(await failure(call()), 400, 3);
        }
        // Raw bytes (axios would re-encode a string): the body parser fails before any controller runs.
        const unparsable = await failure(
          axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, Buffer.from('{"verificationCode": '), {
            headers: { 'Content-Type': 'application/json' },
          }),
        );
        assertZitadelError(unparsable, 400, 3);
        expect(unparsable.data.message).toMatch(/not valid JSON/);
      });
    });

    describe('secrets stay out of the log', () => {
      it('neither mailed nor returned codes appear in the server log', async () => {
        const me = await freshUser();
        const returned = (await linker.http.post(path(me.id, '/email/send'), { returnCode: {} })).data.verificationCode as string;
        server.clock.advance(61_000);
        await me.halo.http.post(path(me.id, '/email/send'), {});
        const mail = await smtp.nextMailTo(me.email);
        const link = new URL(linkIn(mail.text));
        await axios.get(`${server.baseUrl}${link.pathname}${link.search}`);
        await axios.post(`${server.baseUrl}${path(me.id, '/email/verify')}`, { verificationCode: codeIn(mail) });
        const log = readFileSync(server.logFile, 'utf8');
        for (const mailed of smtp.received) {
          const match = /\b(\d{6})\b/.exec(mailed.text);
          if (match) {
            expect(log).not.toMatch(standaloneCode(match[1])); // a mailed code reached the log
          }
        }
        expect(log).not.toMatch(standaloneCode(returned)); // a returned code reached the log
      });
    });

    describe('GetUserByID', () => {
      it("returns ZITADEL's user shape to the user itself and to viewers; 403 for others", async () => {
        const me = await freshUser({ displayName: 'Zed User' });
        const res = await me.halo.http.get(path(me.id));
        expect(res.status).toBe(200);
        assertDetails(res.data);
        const user = res.data.user;
        expect(user.userId).toBe(me.id);
        expect(user.username).toBe(me.name);
        expect(user.state).toBe('USER_STATE_ACTIVE');
        expect(user.loginNames).toEqual([me.name]);
        expect(user.preferredLoginName).toBe(me.name);
        expect(user.human.profile.displayName).toBe('Zed User');
        expect(user.human.email).toEqual({ email: me.email, isVerified: false });
        expect(user.human.passwordChangeRequired).toBe(false);
        expect(JSON.stringify(res.data).includes('argon2')).toBe(false);

        const other = await freshUser();
        assertZitadelError(await failure(other.halo.http.get(path(me.id))), 403, 7);
        expect((await manager.http.get(path(me.id))).status).toBe(200);
      });
    });
  });
}
