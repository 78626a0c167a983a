import { readFileSync } from 'node:fs';
import { OutboxWorker } from '../../libs/console-users/src/notifications/outbox-worker.service';
import { RoleBindingEntity } from '../../libs/console-users/src/rbac/role-binding.entity';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginAs } from '../support/http';
import { PublicApi, RawAnswer, sessionCookie } from '../support/public-api';
import { assertSameAnswer, b64, eventually, outboxTo, setContact, workOf } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { codeInSms, TestSmsProvider } from '../support/sms-provider';
import { standaloneCode } from '../support/log-secrets';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
// The engine's 5 mails/h per recipient would hide Fresns' own 5 per 10 minutes; raise it here.
const VERIFICATION = { emailsPerHour: 50, emailsPerDay: 100 };
const OK = '{"code":0,"message":"ok","data":null}';
const SEND = '/api/v2/common/send-verify-code';
const MINUTE = 60_000;
// A route that answers 401 to anonymous callers (GET users/- answers anonymousUser instead).
const ME = '/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens';

for (const kind of testDatabases()) {
  describe(`Fresns public codes on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let sms: TestSmsProvider;
    let server: TestServer;
    let serial = 0;

    /** A client from an address of its own, so per-IP limits of one test never reach another. */
    const client = () => new PublicApi(server.baseUrl, { ip: `10.6.${Math.floor(++serial / 200)}.${(serial % 200) + 1}` });
    const address = (label: string) => `${label}-${++serial}@example.test`;
    /** A Chinese mobile number: national form and E.164. */
    const phone = () => {
      const national = `1380013${String(1000 + ++serial).padStart(4, '0')}`;
      return { national, e164: `+86${national}` };
    };
    const envelope = (answer: RawAnswer) => {
      expect(answer.status).toBe(200);
      expect(answer.headers['fresns-api']).toBe('v2');
      return answer.json as { code: number; message: string; data: any };
    };
    const codeOf = async (answer: Promise<RawAnswer>) => envelope(await answer).code;
    /** The `index`-th mail (0 first) to an address, received already or still to come. */
    const nthMail = (to: string, index: number) => smtp.waitFor((m) => m.to === to && smtp.mailsTo(to).indexOf(m) === index);
    /** Waits until no outbox row is pending or being sent (nothing in flight before a provider test). */
    const settled = () =>
      eventually(async () => {
        const rows: { n: number | string }[] = await server.dataSource.query(`SELECT COUNT(*) AS n FROM outbox_messages WHERE status IN ('pending', 'sending')`);
        return Number(rows[0]!.n) === 0;
      });

    async function user(extra: { email?: string | null; emailVerified?: boolean; phone?: string | null } = {}) {
      const name = `fresns-user-${++serial}`;
      const password = `password of ${name}`;
      await seedUser(server.dataSource, { name, password, email: `${name}@example.test`, emailVerified: true });
      await setContact(server.dataSource, name, extra);
      return { name, password, cookie: await sessionCookie(server.baseUrl, name, password) };
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      sms = new TestSmsProvider();
      await sms.start();
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>', SMS_WEBHOOK_URL: sms.url, TRUST_PROXY: '127.0.0.1' },
        overrides: { outbox: OUTBOX, verification: VERIFICATION },
      });
    });

    afterAll(async () => {
      await server?.close();
      await sms?.stop();
      await smtp?.stop();
      await db?.drop();
    });

    describe('useType 1 (new account)', () => {
      it('by email: the mailed code registers a guest account that can log in with its email', async () => {
        const api = client();
        const email = address('new');
        const sent = await api.post(SEND, { type: 'email', useType: 1, templateId: 2, account: email }, { 'X-Fresns-App-Id': 'ignored' });
        expect(sent.body).toBe(OK);
        const mail = await smtp.waitFor((m) => m.to === email);
        expect(mail.subject).toBe('Your registration code');

        const registered = envelope(
          await api.post('/api/v2/account/register', {
            type: 'email',
            account: email,
            verifyCode: codeIn(mail),
            password: b64('a long enough password'),
            nickname: 'Ann Example',
          }),
        );
        expect(registered.code).toBe(0);
        const detail = registered.data.detail;
        expect(detail.username).toMatch(/^u[a-z0-9]{11}$/);
        expect(detail.aid).toBe(detail.username);
        expect(detail.email).toBe(email);
        expect(detail.nickname).toBe('Ann Example');

        const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name: detail.username });
        expect(stored.emailVerified).toBe(true);
        expect(stored.displayName).toBe('Ann Example');
        const roles = await server.dataSource.getRepository(RoleBindingEntity).find({ where: { subjectName: detail.username } });
        expect(roles.map((r) => r.roleName)).toEqual(['guest']);

        const halo = await loginAs(server.baseUrl, email, 'a long enough password');
        const me = await halo.console.user.getCurrentUserDetail();
        expect(me.data.user.metadata.name).toBe(detail.username);

        const again = await api.post('/api/v2/account/register', {
          type: 'email',
          account: email,
          verifyCode: codeIn(mail),
          password: b64('a long enough password'),
          nickname: 'Ann Again',
        });
        expect(envelope(again).code).toBe(33203); // a code works once
      });

      it('by SMS: the code registers an account by phone number (E.164), which logs in with its username', async () => {
        const api = client();
        const { national, e164 } = phone();
        expect((await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: national, countryCode: 86 })).body).toBe(OK);
        const text = await sms.nth(e164);
        expect(text.text).toMatch(/^Your registration code: \d{6}\./);

        const registered = envelope(
          await api.post('/api/v2/account/register', {
            type: 'phone',
            account: national,
            countryCode: '86',
            verifyCode: codeInSms(text),
            password: b64('phone password 123'),
            nickname: '手机用户',
          }),
        );
        expect(registered.code).toBe(0);
        expect(registered.data.detail.phone).toBe(e164);
        expect(registered.data.detail.email).toBe(null);
        const halo = await loginAs(server.baseUrl, registered.data.detail.username, 'phone password 123');
        expect((await halo.console.user.getCurrentUserDetail()).data.user.spec.phone).toBe(e164);
      });

      it('a taken email: the same answer byte for byte, the same work, and its owner gets a notice instead of a code', async () => {
        const owner = await user({ email: address('taken'), emailVerified: true });
        const taken = (await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name: owner.name })).email!;
        const fresh = address('fresh');
        const known = await workOf(server.dataSource, () => client().post(SEND, { type: 'email', useType: 1, templateId: 2, account: taken }));
        const unknown = await workOf(server.dataSource, () => client().post(SEND, { type: 'email', useType: 1, templateId: 2, account: fresh }));
        assertSameAnswer(known.answer, unknown.answer);
        expect(known.answer.body).toBe(OK);
        expect(known.work).toEqual(unknown.work);
        expect(known.work.verification_codes === 1 && known.work.outbox_messages === 1).toBeTruthy();

        const notice = await smtp.waitFor((m) => m.to === taken);
        expect(notice.subject).toBe('Someone tried to register with your address');
        expect(notice.text).toMatch(new RegExp(owner.name));
        expect(notice.text).not.toMatch(/\b\d{6}\b/); // no code in the notice
        expect(codeIn(await smtp.waitFor((m) => m.to === fresh))).toBeTruthy();
      });

      it('a taken phone number: the same answer, and its owner gets a notice SMS instead of a code', async () => {
        const taken = phone();
        await user({ phone: taken.e164 });
        const fresh = phone();
        const known = await workOf(server.dataSource, () => client().post(SEND, { type: 'sms', useType: 1, templateId: 2, account: taken.national, countryCode: 86 }));
        const unknown = await workOf(server.dataSource, () => client().post(SEND, { type: 'sms', useType: 1, templateId: 2, account: fresh.national, countryCode: 86 }));
        assertSameAnswer(known.answer, unknown.answer);
        expect(known.work).toEqual(unknown.work);
        const notice = await sms.nth(taken.e164);
        expect(notice.text).toMatch(/already has an account/);
        expect(notice.text).not.toMatch(/\b\d{6}\b/);
        expect(codeInSms(await sms.nth(fresh.e164))).toBeTruthy();
      });

      it('a code sent before the address was taken cannot register it twice: 34205 / 34206 to the code holder', async () => {
        const api = client();
        const email = address('race');
        await api.post(SEND, { type: 'email', useType: 1, templateId: 2, account: email });
        const code = codeIn(await smtp.waitFor((m) => m.to === email));
        await user({ email, emailVerified: true });
        const register = { type: 'email', account: email, verifyCode: code, password: b64('long enough password'), nickname: 'Late' };
        expect(await codeOf(api.post('/api/v2/account/register', register))).toBe(34205);

        const number = phone();
        await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 });
        const smsCode = codeInSms(await sms.nth(number.e164));
        await user({ phone: number.e164 });
        const byPhone = { type: 'phone', account: number.national, countryCode: 86, verifyCode: smsCode, password: b64('long enough password'), nickname: 'Late' };
        expect(await codeOf(api.post('/api/v2/account/register', byPhone))).toBe(34206);
      });
    });

    describe('useType 2 (existing account)', () => {
      it('by email: a reset code; reset-password ends every session and token, the new password logs in', async () => {
        const api = client();
        const owner = await user();
        const email = `${owner.name}@example.test`;
        const halo = await loginAs(server.baseUrl, owner.name, owner.password);
        const pat = await halo.uc.security.personalAccessToken.generatePat({
          personalAccessToken: {
            apiVersion: 'security.halo.run/v1alpha1',
            kind: 'PersonalAccessToken',
            metadata: { name: '', generateName: 'pat-' },
            spec: { name: 'fresns', roles: [], scopes: [] } as never,
          },
        });
        const bearer = { Authorization: `Bearer ${pat.data.metadata.annotations!['security.halo.run/access-token']}` };
        expect((await api.get(ME, { Cookie: owner.cookie })).status).toBe(200);
        expect((await api.get(ME, bearer)).status).toBe(200);

        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email.toUpperCase() })).body).toBe(OK);
        const mail = await smtp.waitFor((m) => m.to === email);
        expect(mail.subject).toBe('Your password reset code');
        const reset = await api.put('/api/v2/account/reset-password', {
          type: 'email',
          account: email,
          verifyCode: codeIn(mail),
          newPassword: b64('the new password'),
        });
        expect(reset.body).toBe(OK);

        expect((await api.get(ME, { Cookie: owner.cookie })).status).toBe(401); // old session ended
        expect((await api.get(ME, bearer)).status).toBe(401); // old token revoked
        await expect(sessionCookie(server.baseUrl, owner.name, owner.password)).rejects.toThrow();
        await sessionCookie(server.baseUrl, owner.name, 'the new password');
        const notice = await smtp.waitFor((m) => m.to === email && m.subject === 'Your password was changed');
        expect(notice.text).not.toMatch(/the new password/);
      });

      it('by SMS: a reset code to the account phone resets the password and kills the reset code mailed meanwhile', async () => {
        const api = client();
        const number = phone();
        const owner = await user({ phone: number.e164 });
        const email = `${owner.name}@example.test`;
        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
        const mailed = codeIn(await smtp.waitFor((m) => m.to === email));
        expect((await api.post(SEND, { type: 'sms', useType: 2, templateId: 5, account: number.national, countryCode: 86 })).body).toBe(OK);
        const text = await sms.nth(number.e164);
        expect(text.text).toMatch(/password reset code/);
        const reset = await api.put('/api/v2/account/reset-password', {
          type: 'phone',
          account: number.national,
          countryCode: 86,
          verifyCode: codeInSms(text),
          newPassword: b64('new phone password'),
        });
        expect(reset.body).toBe(OK);
        expect((await api.get(ME, { Cookie: owner.cookie })).status).toBe(401);
        await sessionCookie(server.baseUrl, owner.name, 'new phone password');
        expect((await sms.nth(number.e164, 1)).text).toMatch(/was reset/);
        const stale = await api.put('/api/v2/account/reset-password', { type: 'email', account: email, verifyCode: mailed, newPassword: b64('attacker password') });
        expect(envelope(stale).code).toBe(33203); // outstanding reset codes die with the old password
      });

      it('unknown addresses: the same answer and work as known ones, nothing delivered, and reset fails like a wrong code', async () => {
        const owner = await user();
        const knownEmail = `${owner.name}@example.test`;
        const unknownEmail = address('nobody');
        const known = await workOf(server.dataSource, () => client().post(SEND, { type: 'email', useType: 2, templateId: 5, account: knownEmail }));
        const unknown = await workOf(server.dataSource, () => client().post(SEND, { type: 'email', useType: 2, templateId: 5, account: unknownEmail }));
        assertSameAnswer(known.answer, unknown.answer);
        expect(known.work).toEqual(unknown.work);
        const rows = await outboxTo(server.dataSource, unknownEmail);
        expect(rows.map((r) => r.status)).toEqual(['suppressed']); // queued terminal, never delivered

        const knownPhone = phone();
        await user({ phone: knownPhone.e164 });
        const unknownPhone = phone();
        const smsKnown = await workOf(server.dataSource, () => client().post(SEND, { type: 'sms', useType: 2, templateId: 5, account: knownPhone.national, countryCode: 86 }));
        const smsUnknown = await workOf(server.dataSource, () => client().post(SEND, { type: 'sms', useType: 2, templateId: 5, account: unknownPhone.national, countryCode: 86 }));
        assertSameAnswer(smsKnown.answer, smsUnknown.answer);
        expect(smsKnown.work).toEqual(smsUnknown.work);
        expect(codeInSms(await sms.nth(knownPhone.e164))).toBeTruthy();
        await server.app.get(OutboxWorker).drain();
        expect((await outboxTo(server.dataSource, unknownPhone.e164)).map((r) => r.status)).toEqual(['suppressed']);
        expect(sms.messagesTo(unknownPhone.e164).length).toBe(0); // no SMS to an unknown number

        const knownCode = codeIn(await smtp.waitFor((m) => m.to === knownEmail));
        const wrong = knownCode === '000000' ? '000001' : '000000';
        const wrongForKnown = await client().put('/api/v2/account/reset-password', { type: 'email', account: knownEmail, verifyCode: wrong, newPassword: b64('whatever password') });
        const anyForUnknown = await client().put('/api/v2/account/reset-password', { type: 'email', account: unknownEmail, verifyCode: wrong, newPassword: b64('whatever password') });
        assertSameAnswer(wrongForKnown, anyForUnknown);
        expect(envelope(wrongForKnown).code).toBe(33203);
      });
    });

    describe('useType 3 (fill in the blank)', () => {
      it('needs a logged-in account (31501) whose address on the channel is empty (34401 / 34402)', async () => {
        expect(await codeOf(client().post(SEND, { type: 'email', useType: 3, templateId: 3, account: address('x') }))).toBe(31501);
        const withEmail = await user();
        expect(await codeOf(client().with({ Cookie: withEmail.cookie }).post(SEND, { type: 'email', useType: 3, templateId: 3, account: address('x') }))).toBe(34401);
        const withPhone = await user({ phone: phone().e164 });
        const other = phone();
        expect(await codeOf(client().with({ Cookie: withPhone.cookie }).post(SEND, { type: 'sms', useType: 3, templateId: 3, account: other.national, countryCode: 86 }))).toBe(34402);
      });

      it('sends the code to the new email or phone of an account that has none', async () => {
        const bare = await user({ email: null, emailVerified: false, phone: null });
        const api = client().with({ Cookie: bare.cookie });
        const email = address('bind');
        expect((await api.post(SEND, { type: 'email', useType: 3, templateId: 3, account: email })).body).toBe(OK);
        expect((await smtp.waitFor((m) => m.to === email)).subject).toBe('Confirm your new email address');
        const number = phone();
        expect((await api.post(SEND, { type: 'sms', useType: 3, templateId: 3, account: number.national, countryCode: 86 })).body).toBe(OK);
        expect((await sms.nth(number.e164)).text).toMatch(/link this number/);
      });
    });

    describe('useType 4 (identity check) and verify-identity', () => {
      it('31501 without login, on both endpoints; a wrong bearer token is 31504', async () => {
        expect(await codeOf(client().post(SEND, { type: 'email', useType: 4, templateId: 4 }))).toBe(31501);
        expect(await codeOf(client().post('/api/v2/account/verify-identity', { type: 'email', verifyCode: '123456' }))).toBe(31501);
        const bad = client().with({ Authorization: 'Bearer pat_not-a-real-token' });
        expect(await codeOf(bad.post('/api/v2/account/verify-identity', { type: 'email', verifyCode: '123456' }))).toBe(31504);
      });

      it('by email: the code goes to the own address (account ignored) and proves identity once, over a session or a PAT', async () => {
        const me = await user();
        const api = client().with({ Cookie: me.cookie });
        expect((await api.post(SEND, { type: 'email', useType: 4, templateId: 4, account: 'ignored@example.test' })).body).toBe(OK);
        const mail = await smtp.waitFor((m) => m.to === `${me.name}@example.test`);
        expect(mail.subject).toBe('Your verification code');
        expect(smtp.mailsTo('ignored@example.test').length).toBe(0);
        expect((await api.post('/api/v2/account/verify-identity', { type: 'email', verifyCode: codeIn(mail) })).body).toBe(OK);
        expect(await codeOf(api.post('/api/v2/account/verify-identity', { type: 'email', verifyCode: codeIn(mail) }))).toBe(33203); // used up

        const halo = await loginAs(server.baseUrl, me.name, me.password);
        const pat = await halo.uc.security.personalAccessToken.generatePat({
          personalAccessToken: {
            apiVersion: 'security.halo.run/v1alpha1',
            kind: 'PersonalAccessToken',
            metadata: { name: '', generateName: 'pat-' },
            spec: { name: 'identity', roles: [], scopes: [] } as never,
          },
        });
        const bearer = client().with({ Authorization: `Bearer ${pat.data.metadata.annotations!['security.halo.run/access-token']}` });
        server.clock.advance(MINUTE);
        expect((await bearer.post(SEND, { type: 'email', useType: 4, templateId: 8 })).body).toBe(OK);
        const second = await nthMail(`${me.name}@example.test`, 1);
        expect((await bearer.post('/api/v2/account/verify-identity', { type: 'email', verifyCode: codeIn(second) })).body).toBe(OK);
      });

      it('by SMS: the code goes to the own phone; an account without one gets 34303, without email 34302', async () => {
        const number = phone();
        const me = await user({ phone: number.e164 });
        const api = client().with({ Cookie: me.cookie });
        expect((await api.post(SEND, { type: 'sms', useType: 4, templateId: 4 })).body).toBe(OK);
        const text = await sms.nth(number.e164);
        expect((await api.post('/api/v2/account/verify-identity', { type: 'sms', verifyCode: codeInSms(text) })).body).toBe(OK);

        const bare = await user({ email: null, emailVerified: false, phone: null });
        const bareApi = client().with({ Cookie: bare.cookie });
        expect(await codeOf(bareApi.post(SEND, { type: 'sms', useType: 4, templateId: 4 }))).toBe(34303);
        expect(await codeOf(bareApi.post(SEND, { type: 'email', useType: 4, templateId: 4 }))).toBe(34302);
      });

      it('a code of another purpose does not prove identity (codes are bound to their template)', async () => {
        const me = await user();
        const api = client().with({ Cookie: me.cookie });
        await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: `${me.name}@example.test` });
        const reset = await smtp.waitFor((m) => m.to === `${me.name}@example.test` && m.subject === 'Your password reset code');
        expect(await codeOf(api.post('/api/v2/account/verify-identity', { type: 'email', verifyCode: codeIn(reset) }))).toBe(33203);
      });
    });

    describe('languages', () => {
      it('mail and SMS follow X-Fresns-Client-Lang-Tag (zh-Hans → zh-CN templates)', async () => {
        const api = client().with({ 'X-Fresns-Client-Lang-Tag': 'zh-Hans' });
        const email = address('zh');
        await api.post(SEND, { type: 'email', useType: 1, templateId: 2, account: email });
        expect((await smtp.waitFor((m) => m.to === email)).subject).toBe('注册验证码');
        const number = phone();
        await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 });
        expect((await sms.nth(number.e164)).text).toMatch(/^注册验证码：\d{6}，/);
      });
    });

    describe('useType 5 (direct)', () => {
      it('account codes go to accounts only and new-account codes to new addresses only, without existence errors', async () => {
        const owner = await user();
        const known = `${owner.name}@example.test`;
        const stranger = address('stranger');
        expect((await client().post(SEND, { type: 'email', useType: 5, templateId: 1, account: known })).body).toBe(OK);
        expect((await smtp.waitFor((m) => m.to === known)).subject).toBe('Your verification code');
        expect((await client().post(SEND, { type: 'email', useType: 5, templateId: 1, account: stranger })).body).toBe(OK);
        expect((await outboxTo(server.dataSource, stranger)).map((r) => r.status)).toEqual(['suppressed']);

        const number = phone();
        expect((await client().post(SEND, { type: 'sms', useType: 5, templateId: 2, account: number.national, countryCode: 86 })).body).toBe(OK);
        expect((await sms.nth(number.e164)).text).toMatch(/registration code/);
      });
    });

    describe('parameter and code errors', () => {
      it('30001 for a missing parameter (type, account, countryCode for SMS), 30002 for a bad value', async () => {
        const api = client();
        expect(await codeOf(api.post(SEND, { useType: 1, templateId: 2, account: address('p') }))).toBe(30001);
        expect(await codeOf(api.post(SEND, { type: 'email', useType: 2, templateId: 5 }))).toBe(30001);
        const noCountry = envelope(await api.post(SEND, { type: 'sms', useType: 2, templateId: 5, account: '13800138000' }));
        expect(noCountry).toEqual({ code: 30001, message: 'Parameter missing error', data: null });
        expect(await codeOf(api.post(SEND, { type: 'email', useType: 9, templateId: 2, account: address('p') }))).toBe(30002);
        expect(await codeOf(api.post(SEND, { type: 'fax', useType: 1, templateId: 2, account: address('p') }))).toBe(30002);
        const badPhone = envelope(await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: '123', countryCode: 86 }));
        expect(badPhone.code).toBe(30002);
        expect(badPhone.message).toMatch(/phone number is not valid/);
        expect(await codeOf(api.post(SEND, { type: 'email', useType: 1, templateId: 2, account: 'not-an-email' }))).toBe(30002);
        expect(await codeOf(api.post(SEND, 'type=email', { 'Content-Type': 'text/plain' }))).toBe(30000); // unsupported media type
        expect(await codeOf(api.post(SEND, '{"type":', { 'Content-Type': 'application/json' }))).toBe(30000); // unreadable JSON
        const unknownRoute = await api.post('/api/v2/common/no-such-route', {});
        expect(unknownRoute.status).toBe(404);
        expect(unknownRoute.json).toEqual({ code: 404, message: 'Not Found', data: null });
      });

      it('register: 34105 for a password outside the policy or not base64, 35108 / 35107 for bad nicknames, 33203 for a wrong code', async () => {
        const api = client();
        const base = { type: 'email', account: address('reg'), verifyCode: '123456', password: b64('long enough password'), nickname: 'Nick' };
        expect(await codeOf(api.post('/api/v2/account/register', { ...base, password: b64('short') }))).toBe(34105);
        expect(await codeOf(api.post('/api/v2/account/register', { ...base, password: 'not base64!' }))).toBe(34105);
        expect(await codeOf(api.post('/api/v2/account/register', { ...base, nickname: 'x'.repeat(65) }))).toBe(35108);
        expect(await codeOf(api.post('/api/v2/account/register', { ...base, nickname: 'evil\u202Eman' }))).toBe(35107);
        expect(await codeOf(api.post('/api/v2/account/register', base))).toBe(33203);
        expect(await codeOf(api.put('/api/v2/account/reset-password', { type: 'email', account: base.account, verifyCode: '1', newPassword: b64('short') }))).toBe(34105);
      });

      it('34306 once an account collected 20 wrong guesses at its live codes in an hour', async () => {
        const owner = await user();
        const email = `${owner.name}@example.test`;
        const api = client();
        const reset = (verifyCode: string) => api.put('/api/v2/account/reset-password', { type: 'email', account: email, verifyCode, newPassword: b64('whatever password') });
        for (let round = 0; round < 4; round++) {
          server.clock.advance(MINUTE); // the resend cooldown, and a fresh per-IP verify window
          expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
          const code = codeIn(await nthMail(email, round));
          const wrong = code === '000000' ? '000001' : '000000';
          for (let i = 0; i < 5; i++) {
            expect(envelope(await reset(wrong)).code).toBe(33203);
          }
        }
        expect(await codeOf(reset('123456'))).toBe(34306);
      });

      it('guesses while no code is out count nothing: 25 of them, then the owner’s own reset code works', async () => {
        const owner = await user();
        const email = `${owner.name}@example.test`;
        for (let i = 0; i < 25; i++) {
          const attempt = await client().put('/api/v2/account/reset-password', { type: 'email', account: email, verifyCode: String(100000 + i), newPassword: b64('whatever password') });
          expect(envelope(attempt).code).toBe(33203);
        }
        const api = client();
        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
        const code = codeIn(await smtp.waitFor((m) => m.to === email));
        expect((await api.put('/api/v2/account/reset-password', { type: 'email', account: email, verifyCode: code, newPassword: b64('the owner password') })).body).toBe(OK);
      });
    });

    describe('rate limits', () => {
      it('one send a minute per account whatever the template (the 2nd within a minute is refused, 33201 with Retry-After)', async () => {
        const owner = await user();
        const email = `${owner.name}@example.test`;
        const api = client();
        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
        server.clock.advance(59_000);
        const second = await api.post(SEND, { type: 'email', useType: 2, templateId: 1, account: email });
        expect(envelope(second).code).toBe(33201);
        expect(second.headers['retry-after']).toBe('1');
        server.clock.advance(1_000);
        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 1, account: email })).body).toBe(OK);
      });

      it('five sends in ten minutes per account: the 6th is refused, the window ending lets one through', async () => {
        const email = address('five');
        const api = client();
        for (let i = 0; i < 5; i++) {
          expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
          server.clock.advance(MINUTE);
        }
        expect(await codeOf(api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email }))).toBe(33201);
        server.clock.advance(4 * MINUTE);
        expect(await codeOf(api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email }))).toBe(33201); // still inside the 10 minutes
        server.clock.advance(MINUTE);
        expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email })).body).toBe(OK);
      });

      it('three SMS an hour per number: the 4th is refused until the hour is over', async () => {
        const number = phone();
        const api = client();
        for (let i = 0; i < 3; i++) {
          expect((await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 })).body).toBe(OK);
          server.clock.advance(MINUTE);
        }
        expect(await codeOf(api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 }))).toBe(33201);
        server.clock.advance(57 * MINUTE);
        expect((await api.post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 })).body).toBe(OK);
      });

      it('ten sends a minute per client IP across accounts, then 33201', async () => {
        const api = client();
        for (let i = 0; i < 10; i++) {
          expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: address('ip') })).body).toBe(OK);
        }
        const limited = await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: address('ip') });
        expect(envelope(limited).code).toBe(33201);
        expect(Number(limited.headers['retry-after']) >= 1).toBeTruthy();
        expect((await client().post(SEND, { type: 'email', useType: 2, templateId: 5, account: address('ip') })).body).toBe(OK); // another IP is not limited
      });
    });

    describe('the SMS provider', () => {
      it('a 5xx answer is retried through the outbox; a 4xx ends the message as failed', async () => {
        await settled();
        const number = phone();
        sms.failWith.push(503);
        const before = sms.requests;
        expect((await client().post(SEND, { type: 'sms', useType: 1, templateId: 2, account: number.national, countryCode: 86 })).body).toBe(OK);
        await eventually(async () => sms.requests > before);
        expect(sms.messagesTo(number.e164).length).toBe(0);
        server.clock.advance(2_000);
        expect(codeInSms(await sms.nth(number.e164))).toBeTruthy();

        const refused = phone();
        sms.failWith.push(400);
        await client().post(SEND, { type: 'sms', useType: 1, templateId: 2, account: refused.national, countryCode: 86 });
        await eventually(async () => (await outboxTo(server.dataSource, refused.e164))[0]?.status === 'failed');
        const [row] = await outboxTo(server.dataSource, refused.e164);
        expect(row!.lastError ?? '').toMatch(/HTTP 400/);
        server.clock.advance(10 * MINUTE);
        await server.app.get(OutboxWorker).drain();
        expect(sms.messagesTo(refused.e164).length).toBe(0); // not retried
      });
    });

    it('no code reaches the database in plain text or the log', async () => {
      await server.app.get(OutboxWorker).drain();
      const codes = [
        ...smtp.received.map((m) => /\b(\d{6})\b/.exec(m.text)?.[1]),
        ...sms.received.map((m) => /\b(\d{6})\b/.exec(m.text)?.[1]),
      ].filter((c): c is string => c !== undefined);
      expect(codes.length > 10).toBeTruthy();
      const log = readFileSync(server.logFile, 'utf8');
      const stored = JSON.stringify(await server.dataSource.query('SELECT * FROM verification_codes')) + JSON.stringify(await server.dataSource.query('SELECT * FROM audit_events'));
      for (const code of codes) {
        expect(log).not.toMatch(standaloneCode(code)); // a code reached the log
        expect(stored.includes(`"${code}"`)).toBe(false); // a code is stored in plain text
      }
    });
  });
}
