import { Argon2idPasswordHasher, PasswordHasher } from '../../libs/console-users/src/users/password-hasher';
import { createPat } from '../support/accounts';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { loginAs } from '../support/http';
import { PublicApi } from '../support/public-api';
import { b64 } from '../support/public-codes';
import { seedUser } from '../support/seed';
import { codeIn, TestSmtpServer } from '../support/smtp';
import { startTestServer, TestServer } from '../support/test-server';

const SEND = '/api/v2/common/send-verify-code';
const OK = '{"code":0,"message":"ok","data":null}';

/**
 * Real argon2id, with a gate: while it is closed every hash and check waits, so a test can hold
 * the one hashing slot for as long as it needs and know when it is taken.
 */
class GatedHasher implements PasswordHasher {
  private readonly inner = new Argon2idPasswordHasher();
  private open: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  entered = 0;

  close(): void {
    this.open = new Promise((resolve) => (this.release = resolve));
  }

  reopen(): void {
    this.release();
  }

  async hash(password: string): Promise<string> {
    this.entered++;
    await this.open;
    return this.inner.hash(password);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    this.entered++;
    await this.open;
    return this.inner.verify(hash, password);
  }
}

// The bound sits in front of the hasher, not the database: one database kind is enough.
describe('a code is not spent when password hashing is busy (Fresns register and reset)', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let server: TestServer;
  const hasher = new GatedHasher();
  let serial = 0;
  let scrapeToken: string;
  const client = () => new PublicApi(server.baseUrl, { ip: `10.9.0.${++serial}` });

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    smtp = new TestSmtpServer();
    await smtp.start();
    server = await startTestServer(db, {
      env: { SMTP_URL: smtp.url, TRUST_PROXY: '127.0.0.1', METRICS_ENABLED: 'true' },
      overrides: { outbox: { pollIntervalMs: 50, backoffBaseMs: 1_000 }, passwordHasher: hasher, passwordHashing: { concurrency: 1, maxQueued: 0 } },
    });
    await seedUser(server.dataSource, { name: 'holder', password: 'holder-password', email: 'holder@example.test', emailVerified: true });
    await seedUser(server.dataSource, { name: 'slot-holder', password: 'slot-holder-password' });
    await seedUser(server.dataSource, { name: 'scraper', password: 'scraper-password', roles: ['role-template-view-metrics'] });
    scrapeToken = await createPat(await loginAs(server.baseUrl, 'scraper', 'scraper-password'), ['role-template-view-metrics']);
  });

  afterAll(async () => {
    hasher.reopen();
    await server?.close();
    await smtp?.stop();
    await db?.drop();
  });

  /** Runs `during` while a login holds the only hashing slot, then lets the login finish. */
  async function whileHashingBusy<T>(during: () => Promise<T>): Promise<T> {
    hasher.close();
    const before = hasher.entered;
    const login = client().post('/login', { username: 'slot-holder', password: 'slot-holder-password' });
    while (hasher.entered === before) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
      return await during();
    } finally {
      hasher.reopen();
      expect((await login).status).toBe(200);
    }
  }

  it('register: 503 with Retry-After while busy, then the same code registers the account', async () => {
    const api = client();
    const email = 'busy-register@example.test';
    expect((await api.post(SEND, { type: 'email', useType: 1, templateId: 2, account: email })).body).toBe(OK);
    const code = codeIn(await smtp.waitFor((m) => m.to === email));
    const body = { type: 'email', account: email, verifyCode: code, password: b64('a long enough password'), nickname: 'Busy' };

    const refused = await whileHashingBusy(() => api.post('/api/v2/account/register', body));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect((refused.json as { code: number }).code).toBe(503);

    const registered = await api.post('/api/v2/account/register', body);
    expect((registered.json as { code: number }).code).toBe(0);
  });

  it('reset-password: 503 while busy, then the same code sets the new password', async () => {
    const api = client();
    expect((await api.post(SEND, { type: 'email', useType: 2, templateId: 5, account: 'holder@example.test' })).body).toBe(OK);
    const code = codeIn(await smtp.waitFor((m) => m.to === 'holder@example.test' && m.subject === 'Your password reset code'));
    const body = { type: 'email', account: 'holder@example.test', verifyCode: code, newPassword: b64('a brand new password') };

    const refused = await whileHashingBusy(() => api.put('/api/v2/account/reset-password', body));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');

    expect((await api.put('/api/v2/account/reset-password', body)).body).toBe(OK);
    expect((await client().post('/login', { username: 'holder', password: 'a brand new password' })).status).toBe(200);
  });

  it('counts the refusals and shows the running and waiting operations in Prometheus', async () => {
    const scrape = async () => {
      const answer = await client().get('/actuator/prometheus', { Authorization: `Bearer ${scrapeToken}` });
      expect(answer.status).toBe(200);
      const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(answer.body)?.[1] ?? 0);
      return {
        refusals: value('console_users_password_hashing_refusals_total'),
        running: value('console_users_password_hashing_operations{state="running"}'),
        queued: value('console_users_password_hashing_operations{state="queued"}'),
      };
    };
    const before = await scrape();
    const during = await whileHashingBusy(async () => {
      expect((await client().post('/login', { username: 'holder', password: 'whatever it is' })).status).toBe(503);
      return scrape();
    });
    expect(during).toEqual({ refusals: before.refusals + 1, running: 1, queued: 0 });
    expect(await scrape()).toEqual({ refusals: before.refusals + 1, running: 0, queued: 0 });
  });
});
