import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { PublicApi, RawAnswer, sessionCookie } from '../support/public-api';
import { setContact } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SEND = '/api/v2/common/send-verify-code';
const OK = '{"code":0,"message":"ok","data":null}';

for (const kind of testDatabases()) {
  describe(`public codes with PUBLIC_EXISTENCE_ERRORS=true and SMS switched off on ${kind}`, () => {
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    const client = () => new PublicApi(server.baseUrl, { ip: `10.8.0.${++serial}` });
    const fresns = (answer: RawAnswer) => {
      expect(answer.status).toBe(200);
      return answer.json as { code: number; message: string };
    };

    async function user(): Promise<{ name: string; email: string; password: string }> {
      const name = `switch-user-${++serial}`;
      await seedUser(server.dataSource, { name, password: `password of ${name}`, email: `${name}@example.test`, emailVerified: true });
      return { name, email: `${name}@example.test`, password: `password of ${name}` };
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      smtp = new TestSmtpServer();
      await smtp.start();
      server = await startTestServer(db, {
        env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1', PUBLIC_EXISTENCE_ERRORS: 'true' },
        overrides: { outbox: { pollIntervalMs: 50 }, publicCodes: { channels: ['email'] } },
      });
    });

    afterAll(async () => {
      await server?.close();
      await smtp?.stop();
      await db?.drop();
    });

    it("Fresns' existence errors come back: 34205 for a taken email (useType 1 and 3), 34301 for an unknown one (useType 2)", async () => {
      const known = await user();
      expect(fresns(await client().post(SEND, { type: 'email', useType: 1, templateId: 2, account: known.email }))).toEqual({
        code: 34205,
        message: 'Email has been used',
        data: null,
      });
      expect((await client().post(SEND, { type: 'email', useType: 1, templateId: 2, account: `free-${serial}@example.test` })).body).toBe(OK);
      expect(fresns(await client().post(SEND, { type: 'email', useType: 2, templateId: 5, account: `nobody-${serial}@example.test` }))).toEqual({
        code: 34301,
        message: 'Account not exist',
        data: null,
      });
      expect((await client().post(SEND, { type: 'email', useType: 2, templateId: 5, account: known.email })).body).toBe(OK);

      const bare = await user();
      await setContact(server.dataSource, bare.name, { email: null, emailVerified: false });
      const cookie = await sessionCookie(server.baseUrl, bare.name, bare.password);
      const other = await user();
      expect(fresns(await client().with({ Cookie: cookie }).post(SEND, { type: 'email', useType: 3, templateId: 3, account: other.email })).code).toBe(34205);
    });

    it('useType 5 stays silent, as in Fresns', async () => {
      expect((await client().post(SEND, { type: 'email', useType: 5, templateId: 5, account: `silent-${serial}@example.test` })).body).toBe(OK);
    });

    it("AnqiCMS' \"User does not exist\" comes back for unknown addresses", async () => {
      const known = await user();
      expect((await client().post('/api/verify/email', { email: known.email, state: 'reset' })).body).toBe('{"code":0,"msg":"Please verify your email"}');
      expect((await client().post('/api/verify/email', { email: `ghost-${serial}@example.test`, state: 'reset' })).body).toBe('{"code":-1,"msg":"User does not exist"}');
    });

    it('32100 for a channel the host did not enable', async () => {
      for (const useType of [1, 2, 5]) {
        expect(fresns(await client().post(SEND, { type: 'sms', useType, templateId: 2, account: '13800138000', countryCode: 86 }))).toEqual({
          code: 32100,
          message: 'No service provider configured',
          data: null,
        });
      }
    });
  });
}
