import { ManualClock } from '../../libs/console-users/src/common/clock';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { PublicApi } from '../support/public-api';
import { seedUser } from '../support/seed';
import { TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const SEND = '/api/v2/common/send-verify-code';
const HALO_RESET = '/apis/api.halo.run/v1alpha1/users/-/send-password-reset-email';

for (const kind of testDatabases()) {
  // Issue 14 item 8: the per-address budget (5/h, 10/day) was one for every purpose and face, so
  // anonymous registration-code requests to a victim's address blocked the owner's reset mails.
  describe(`mail budgets per purpose class on ${kind}`, () => {
    const clock = new ManualClock(new Date('2026-05-06T08:00:00.000Z'));
    let db: TestDatabase;
    let smtp: TestSmtpServer;
    let server: TestServer;
    let serial = 0;

    /** A stranger from an address of its own (no per-IP limit decides anything here). */
    const stranger = () => new PublicApi(server.baseUrl, { ip: `198.51.100.${++serial}` });
    const envelopeCode = (answer: { json: { code: number } }) => answer.json.code;

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

    it("a stranger's sign-up codes to my address use up the sign-up budget only: my reset mail still arrives", async () => {
      const victim = { name: 'budget-victim', email: 'budget-victim@example.test' };
      await seedUser(server.dataSource, { ...victim, password: 'victim password 123' });
      const start = clock.now().getTime();

      // Five anonymous sign-up code requests for the victim's address (Fresns useType 1, templateId 2),
      // a minute apart (Fresns' own 1/min), from five addresses: the whole hourly budget of the class.
      for (let i = 0; i < 5; i++) {
        clock.set(new Date(start + i * (MINUTE + SECOND)));
        expect(envelopeCode(await stranger().post(SEND, { type: 'email', useType: 1, templateId: 2, account: victim.email }))).toBe(0);
      }
      // Past Fresns' 5 per 10 minutes: the sixth is refused by the engine's sign-up budget.
      clock.set(new Date(start + 11 * MINUTE));
      expect(envelopeCode(await stranger().post(SEND, { type: 'email', useType: 1, templateId: 2, account: victim.email }))).toBe(33201);

      // The owner asks for a reset through Halo: accepted, and the link is mailed.
      const before = smtp.mailsTo(victim.email).length;
      const reset = await stranger().post(HALO_RESET, { username: victim.name, email: victim.email });
      expect(reset.status).toBe(204);
      const mail = await smtp.waitFor((m) => m.to === victim.email && smtp.mailsTo(victim.email).indexOf(m) >= before && /reset_password_token=/.test(m.text));
      expect(mail.text).toMatch(/reset_password_token=/);
    });

    it('the recovery class has its own 5 per hour: the sixth reset request to one address is 429', async () => {
      const owner = { name: 'budget-owner', email: 'budget-owner@example.test' };
      await seedUser(server.dataSource, { ...owner, password: 'owner password 123' });
      const start = clock.now().getTime() + 2 * 60 * MINUTE;
      for (let i = 0; i < 5; i++) {
        clock.set(new Date(start + i * (MINUTE + SECOND)));
        expect((await stranger().post(HALO_RESET, { username: owner.name, email: owner.email })).status).toBe(204);
      }
      clock.set(new Date(start + 5 * (MINUTE + SECOND)));
      const sixth = await stranger().post(HALO_RESET, { username: owner.name, email: owner.email });
      expect(sixth.status).toBe(429);
      expect(sixth.json.type).toBe('https://halo.run/probs/request-not-permitted');
      // ...while a sign-up code to the same address is still within its own budget.
      expect(envelopeCode(await stranger().post(SEND, { type: 'email', useType: 1, templateId: 2, account: owner.email }))).toBe(0);
    });
  });
}
