import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { PublicApi, RawAnswer, sessionCookie } from '../support/public-api';
import { assertSameAnswer, outboxTo, setContact, workOf } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { ReceivedMail, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const OUTBOX = { pollIntervalMs: 50, backoffBaseMs: 1_000 };
const SENT = '{"code":0,"msg":"Please verify your email"}';
const ME = '/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens';

/** The link in a mail, as a path and query on our server (mails point at PUBLIC_URL). */
function linkIn(mail: ReceivedMail): { path: string; params: URLSearchParams } {
  const match = /http:\/\/console\.example\.test(\/api\/verify\/email\?\S+)/.exec(mail.text);
  if (!match) {
    throw new Error(`no link in mail "${mail.subject}"`);
  }
  return { path: match[1]!, params: new URL(`http://x${match[1]}`).searchParams };
}

/** The hidden fields of the reset form. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields[match[1]!] = match[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
  }
  return fields;
}

function assertPageHeaders(answer: RawAnswer): void {
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type'] ?? '').toMatch(/^text\/html/);
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['referrer-policy']).toBe('no-referrer');
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['content-security-policy'] ?? '').toMatch(/default-src 'none'/);
  expect(answer.headers['set-cookie']).toBe(undefined); // a link never logs anybody in
}

for (const kind of testDatabases()) {
  describe(`AnqiCMS links on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    const client = () => new PublicApi(server.baseUrl, { ip: `10.7.${Math.floor(++serial / 200)}.${(serial % 200) + 1}` });
    const json = (answer: RawAnswer) => {
      expect(answer.status).toBe(200);
      return answer.json as { code: number; msg: string };
    };

    async function user(verified: boolean) {
      const name = `anqi-user-${++serial}`;
      const password = `password of ${name}`;
      const email = `${name}@example.test`;
      await seedUser(server.dataSource, { name, password, email, emailVerified: verified });
      return { name, password, email };
    }

    async function resetLink(email: string): Promise<{ path: string; params: URLSearchParams }> {
      expect((await client().post('/api/verify/email', { email, state: 'reset' })).body).toBe(SENT);
      const mail = await smtp.waitFor((m) => m.to === email && m.subject === 'Reset your password');
      return linkIn(mail);
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, MAIL_FROM: 'Console <console@example.test>', TRUST_PROXY: '127.0.0.1' },
        overrides: { outbox: OUTBOX },
      });
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('verify: the mailed link marks the address verified on a page, logs nobody in, and works once', async () => {
      const { name, email } = await user(false);
      const api = client();
      expect((await api.post('/api/verify/email', { email: email.toUpperCase(), state: 'verify' })).body).toBe(SENT);
      const mail = await smtp.waitFor((m) => m.to === email);
      expect(mail.subject).toBe('Verify your email address');
      const link = linkIn(mail);
      expect(link.params.get('state')).toBe('verify');
      expect(link.params.get('code') ?? '').toMatch(/^\d{6}$/);
      expect((link.params.get('token') ?? '').length >= 43).toBeTruthy(); // 32 random bytes

      const page = await api.get(link.path);
      assertPageHeaders(page);
      expect(page.body).toMatch(/Your email address has been verified/);
      const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name });
      expect(stored.emailVerified).toBe(true);

      const again = await api.get(link.path);
      assertPageHeaders(again);
      expect(again.body).toMatch(/invalid, expired or already used/);
      expect(json(await api.get(`${link.path}&return=json`))).toEqual({ code: -1, msg: 'The link is invalid, expired or already used' });
    });

    it('verify with return=json answers {code, msg}', async () => {
      const { email } = await user(false);
      await client().post('/api/verify/email', { email, state: 'verify' });
      const link = linkIn(await smtp.waitFor((m) => m.to === email));
      const answer = await client().get(`${link.path}&return=json`);
      expect(answer.body).toBe('{"code":0,"msg":"Email verified"}');
    });

    it('reset: the link shows the reset page without using it; the token and code set the password; old sessions end', async () => {
      const owner = await user(true);
      const cookie = await sessionCookie(server.baseUrl, owner.name, owner.password);
      const api = client();
      expect((await api.get(ME, { Cookie: cookie })).status).toBe(200);
      const link = await resetLink(owner.email);

      const page = await api.get(link.path);
      assertPageHeaders(page);
      expect(page.body).toMatch(/<form method="post" action="http:\/\/console\.example\.test\/api\/password\/reset"/);
      expect(page.headers['content-security-policy'] ?? '').toMatch(/form-action http:\/\/console\.example\.test/);
      const fields = formFields(page.body);
      expect(fields.token).toBe(link.params.get('token'));
      expect(fields.code).toBe(link.params.get('code'));
      expect(fields.email).toBe(owner.email);
      assertPageHeaders(await api.get(link.path)); // still valid: opening the page does not use the link

      const body = { email: owner.email, token: fields.token, code: fields.code, password: 'a brand new password' };
      const done = await api.post('/api/password/reset', body);
      expect(done.body).toBe('{"code":0,"msg":"Password changed successfully"}');
      expect((await api.get(ME, { Cookie: cookie })).status).toBe(401); // old session ended
      await sessionCookie(server.baseUrl, owner.name, 'a brand new password');
      await expect(sessionCookie(server.baseUrl, owner.name, owner.password)).rejects.toThrow();
      expect(json(await api.post('/api/password/reset', { ...body, password: 'yet another password' }))).toEqual({
        code: -1,
        msg: 'The link is invalid, expired or already used',
      });
      expect(await smtp.waitFor((m) => m.to === owner.email && m.subject === 'Your password was changed')).toBeTruthy();
    });

    it("reset through the page's form: a wrong repeat shows an error page, the right one a success page", async () => {
      const owner = await user(true);
      const api = client();
      const link = await resetLink(owner.email);
      const fields = formFields((await api.get(`/account/password/reset?${new URLSearchParams({ token: link.params.get('token')!, code: link.params.get('code')!, email: owner.email })}`)).body);
      const form = (password: string, confirmPassword: string) =>
        api.post('/api/password/reset', new URLSearchParams({ ...fields, password, confirmPassword }).toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });

      const mismatch = await form('first new password', 'second new password');
      assertPageHeaders(mismatch);
      expect(mismatch.body).toMatch(/The two passwords do not match/);
      const done = await form('the form password', 'the form password');
      assertPageHeaders(done);
      expect(done.body).toMatch(/Your password has been changed/);
      await sessionCookie(server.baseUrl, owner.name, 'the form password');
    });

    it('the code is really checked: a wrong one fails and burns the link', async () => {
      const owner = await user(true);
      const link = await resetLink(owner.email);
      const token = link.params.get('token')!;
      const code = link.params.get('code')!;
      const wrong = code === '000000' ? '000001' : '000000';
      const api = client();
      expect(json(await api.post('/api/password/reset', { email: owner.email, token, code: wrong, password: 'attacker password' }))).toEqual({
        code: -1,
        msg: 'The link is invalid, expired or already used',
      });
      expect(json(await api.post('/api/password/reset', { email: owner.email, token, code, password: 'owner password 2' })).code).toBe(-1);
      await sessionCookie(server.baseUrl, owner.name, owner.password);
    });

    it('links expire (30 minutes), are bound to their address and purpose, and are stored hashed', async () => {
      const owner = await user(true);
      const link = await resetLink(owner.email);
      const token = link.params.get('token')!;
      const code = link.params.get('code')!;
      const api = client();
      const rows = JSON.stringify(await server.dataSource.query('SELECT * FROM verification_codes')) + JSON.stringify(await server.dataSource.query('SELECT * FROM outbox_messages'));
      expect(rows.includes(token)).toBe(false); // the token is not stored

      const other = await user(true);
      expect(json(await api.post('/api/password/reset', { email: other.email, token, code, password: 'other password 1' })).code).toBe(-1); // another address
      const asVerify = await api.get(`/api/verify/email?${new URLSearchParams({ token, code, state: 'verify', email: owner.email })}&return=json`);
      expect(json(asVerify).code).toBe(-1); // a reset link is no verify link

      server.clock.advance(30 * 60_000);
      assertPageHeaders(await api.get(link.path));
      expect((await api.get(link.path)).body).toMatch(/invalid, expired or already used/);
      expect(json(await api.post('/api/password/reset', { email: owner.email, token, code, password: 'late password 1' })).code).toBe(-1);
    });

    it('the password policy applies before the link is used', async () => {
      const owner = await user(true);
      const link = await resetLink(owner.email);
      const body = { email: owner.email, token: link.params.get('token')!, code: link.params.get('code')!, password: 'short' };
      expect(json(await client().post('/api/password/reset', body))).toEqual({ code: -1, msg: 'The password length must be between 8 and 128 characters.' });
      expect(json(await client().post('/api/password/reset', { ...body, password: 'long enough now' })).code).toBe(0);
    });

    it('known and unknown addresses get the same answer byte for byte and cause the same work; unknown ones get no mail', async () => {
      for (const state of ['verify', 'reset'] as const) {
        const known = await user(state === 'reset');
        const stranger = `stranger-${++serial}@example.test`;
        const a = await workOf(server.dataSource, () => client().post('/api/verify/email', { email: known.email, state }));
        const b = await workOf(server.dataSource, () => client().post('/api/verify/email', { email: stranger, state }));
        assertSameAnswer(a.answer, b.answer);
        expect(a.answer.body).toBe(SENT);
        expect(a.work).toEqual(b.work);
        expect((await outboxTo(server.dataSource, stranger)).map((r) => r.status)).toEqual(['suppressed']);
      }
      const verified = await user(true);
      expect((await client().post('/api/verify/email', { email: verified.email, state: 'verify' })).body).toBe(SENT);
      expect((await outboxTo(server.dataSource, verified.email)).map((r) => r.status)).toEqual(['suppressed']); // already verified: nothing to send
    });

    it('there is no state=exist oracle', async () => {
      const known = await user(true);
      const stranger = `nobody-${++serial}@example.test`;
      const ask = (email: string) => client().get(`/api/verify/email?${new URLSearchParams({ email, state: 'exist', token: 'x', code: '1' })}&return=json`);
      const a = await ask(known.email);
      assertSameAnswer(a, await ask(stranger));
      expect(json(a).code).toBe(-1);
      expect(JSON.stringify(a.json).includes(known.name)).toBe(false);
      expect(json(await client().post('/api/verify/email', { email: known.email, state: 'exist' }))).toEqual({ code: -1, msg: 'state must be verify or reset' });
    });

    it('bad input answers {code: -1} with HTTP 200, unreadable JSON included', async () => {
      const api = client();
      expect(json(await api.post('/api/verify/email', { email: 'nope', state: 'verify' }))).toEqual({ code: -1, msg: 'The email address is not valid.' });
      expect(json(await api.post('/api/verify/email', { state: 'verify' })).msg).toBe('email is required');
      expect(json(await api.post('/api/verify/email', '{"email":', { 'Content-Type': 'application/json' })).code).toBe(-1);
      expect(json(await api.post('/api/password/reset', {})).code).toBe(-1);
    });

    it('a verified address held by another account cannot be verified again through an old link', async () => {
      const first = await user(false);
      await client().post('/api/verify/email', { email: first.email, state: 'verify' });
      const link = linkIn(await smtp.waitFor((m) => m.to === first.email));
      const holder = await user(true);
      await setContact(server.dataSource, holder.name, { email: null, emailVerified: false });
      await setContact(server.dataSource, holder.name, { email: first.email, emailVerified: true });
      const answer = await client().get(`${link.path}&return=json`);
      expect(json(answer)).toEqual({ code: -1, msg: 'The email has been used by another account' });
    });
  });
}
