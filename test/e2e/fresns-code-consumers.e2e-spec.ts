import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { PublicApi, sessionCookie } from '../support/public-api';
import { setContact } from '../support/public-codes';
import { UserEntity } from '../../libs/console-users/src/users/user.entity';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SEND = '/api/v2/common/send-verify-code';
const LOGIN = '/api/v2/account/login';
// A route that answers 401 to anonymous callers and 200 to a session.
const ME = '/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens';

for (const kind of testDatabases()) {
  // "Also finish": Fresns templateId 7 (login) codes could be sent but nothing consumed them.
  describe(`Fresns code consumers on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    const client = () => new PublicApi(server.baseUrl, { ip: `10.12.0.${++serial}` });

    async function account() {
      const name = `fresns-login-${++serial}`;
      const email = `${name}@example.test`;
      await seedUser(server.dataSource, { name, password: `password of ${name}`, email, emailVerified: true });
      return { name, email };
    }

    async function loginCode(api: PublicApi, email: string): Promise<string> {
      const before = smtp.mailsTo(email).length;
      const sent = await api.post(SEND, { type: 'email', useType: 2, templateId: 7, account: email });
      expect(sent.json).toMatchObject({ code: 0 });
      const mail = await smtp.waitFor((m) => m.to === email && smtp.mailsTo(email).indexOf(m) >= before);
      return codeIn(mail);
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, { env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1' }, overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 } } });
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it('templateId 7: the mailed code logs in once, with a session cookie that works', async () => {
      const { name, email } = await account();
      const api = client();
      const code = await loginCode(api, email);
      const res = await api.post(LOGIN, { type: 'email', account: email.toUpperCase(), verifyCode: code });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ code: 0, data: { detail: { username: name, email } } });
      const cookie = (res.headers['set-cookie'] ?? '').split(';')[0]!;
      expect(cookie).toMatch(/^SESSION=.+/);
      expect((res.headers['set-cookie'] ?? '').toLowerCase()).toContain('httponly');
      expect(JSON.stringify(res.json)).not.toContain(cookie.slice('SESSION='.length));
      expect((await api.with({ Cookie: cookie }).get(ME)).status).toBe(200);
      // Used up: the same code again is Fresns' "incorrect or expired", with no cookie.
      const again = await api.post(LOGIN, { type: 'email', account: email, verifyCode: code });
      expect(again.json).toMatchObject({ code: 33203 });
      expect(again.headers['set-cookie']).toBeUndefined();
    });

    it('codes of other templates do not log in: a reset code (templateId 5) is refused', async () => {
      const { email } = await account();
      const api = client();
      await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: email });
      const mail = await smtp.waitFor((m) => m.to === email);
      const res = await api.post(LOGIN, { type: 'email', account: email, verifyCode: codeIn(mail) });
      expect(res.json).toMatchObject({ code: 33203 });
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('a wrong code, an unknown address and a disabled account get the same 33203', async () => {
      const { email } = await account();
      const api = client();
      await loginCode(api, email);
      const wrong = await api.post(LOGIN, { type: 'email', account: email, verifyCode: '000000' });
      const unknown = await api.post(LOGIN, { type: 'email', account: `nobody-${serial}@example.test`, verifyCode: '000000' });
      expect(wrong.body).toBe(unknown.body);
      expect(wrong.json).toMatchObject({ code: 33203 });

      const disabled = await account();
      const code = await loginCode(api, disabled.email);
      await server.dataSource.query(`UPDATE users SET disabled = ${kind === 'sqlite' ? 1 : 'true'} WHERE name = '${disabled.name}'`);
      expect((await api.post(LOGIN, { type: 'email', account: disabled.email, verifyCode: code })).json).toMatchObject({ code: 33203 });
    });

    it('a password instead of a code is a parameter error that names POST /login', async () => {
      const { email } = await account();
      const res = await client().post(LOGIN, { type: 'email', account: email, password: 'cGFzc3dvcmQ=' });
      expect(res.json).toMatchObject({ code: 30002 });
      expect(res.json.message).toMatch(/POST \/login/);
      expect((await client().post(LOGIN, { type: 'email', account: email })).json).toMatchObject({ code: 30001 });
    });
    describe('templateId 3: PUT /api/v2/account/edit binds a first address', () => {
      const EDIT = '/api/v2/account/edit';

      async function blankUser() {
        const name = `fresns-blank-${++serial}`;
        const password = `password of ${name}`;
        await seedUser(server.dataSource, { name, password });
        await setContact(server.dataSource, name, { email: null, phone: null });
        return { name, cookie: await sessionCookie(server.baseUrl, name, password) };
      }

      async function bindCode(api: PublicApi, address: string): Promise<string> {
        expect((await api.post(SEND, { type: 'email', useType: 3, templateId: 3, account: address })).json).toMatchObject({ code: 0 });
        return codeIn(await smtp.waitFor((m) => m.to === address));
      }

      it('not logged in: 31501', async () => {
        expect((await client().put(EDIT, { newEmail: 'x@example.test', newVerifyCode: '123456' })).json).toMatchObject({ code: 31501 });
      });

      it('the code sent to the new address binds it, verified', async () => {
        const { name, cookie } = await blankUser();
        const api = client().with({ Cookie: cookie });
        const address = `bound-${serial}@example.test`;
        const code = await bindCode(api, address);
        const res = await api.put(EDIT, { newEmail: address, newVerifyCode: code });
        expect(res.json).toMatchObject({ code: 0 });
        const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name });
        expect(stored.email).toBe(address);
        expect(stored.emailVerified).toBe(true);
        // Used up, and the slot is now filled: 34401.
        expect((await api.put(EDIT, { newEmail: address, newVerifyCode: code })).json).toMatchObject({ code: 34401 });
      });

      it("another account's code does not bind, a wrong code is 33203, and nothing changes", async () => {
        const owner = await blankUser();
        const other = await blankUser();
        const address = `contested-${serial}@example.test`;
        const code = await bindCode(client().with({ Cookie: owner.cookie }), address);
        const res = await client().with({ Cookie: other.cookie }).put(EDIT, { newEmail: address, newVerifyCode: code });
        expect(res.json).toMatchObject({ code: 33203 });
        expect((await client().with({ Cookie: owner.cookie }).put(EDIT, { newEmail: address, newVerifyCode: '000000' })).json).toMatchObject({ code: 33203 });
        const stored = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ name: other.name });
        expect(stored.email).toBeNull();
      });
    });
  });
}
