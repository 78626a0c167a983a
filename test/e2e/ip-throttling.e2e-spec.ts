import type { AxiosResponse } from 'axios';
import { ManualClock } from '../../libs/console-users/src/common/clock';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginVia, outcome } from '../support/forwarded';
import type { HaloClients } from '../support/http';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A send the handler refuses with 400 after the throttle counted it: no code, no mail, no per-user limit used. */
const rejectedSend = (halo: HaloClients) =>
  outcome(halo.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: 'not-an-address' } }));
/** A verify the handler refuses with 400 (wrong password) after the throttle counted it. */
const rejectedVerify = (halo: HaloClients) =>
  outcome(halo.console.user.verifyEmail({ verifyCodeRequest: { code: '123456', password: 'sender-password' } }));

function assertThrottled(res: AxiosResponse, retryAfterSeconds: number): void {
  expect(res.status).toBe(429);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.data.type).toBe('https://halo.run/probs/request-not-permitted');
  expect(res.data.title).toBe('Request Not Permitted');
  expect(res.data.status).toBe(429);
  expect(res.data.detail).toBe('API rate limit exceeded, please try again later.');
  expect(res.headers['retry-after']).toBe(String(retryAfterSeconds));
}

async function repeat(times: number, call: () => Promise<AxiosResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    statuses.push((await call()).status);
  }
  return statuses;
}

const all = (status: number, times: number) => Array.from({ length: times }, () => status);

for (const kind of testDatabases()) {
  describe(`per-IP throttling of send and verify on ${kind}`, () => {
    const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));
    let db: TestDatabase;
    let trustDb: TestDatabase;
    let direct: TestServer;
    let proxied: TestServer;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      trustDb = await createTestDatabase(kind);
      // No SMTP needed: the outbox stays idle, these tests count requests only.
      const overrides = { outbox: { enabled: false } };
      direct = await startTestServer(db, { clock, overrides });
      proxied = await startTestServer(trustDb, { clock, overrides, env: { TRUST_PROXY: '127.0.0.1' } });
      for (const server of [direct, proxied]) {
        await seedUser(server.dataSource, { name: 'sender', password: 'sender-password' });
      }
    });

    afterAll(async () => {
      await direct?.close();
      await proxied?.close();
      await db?.drop();
      await trustDb?.drop();
    });

    it('without TRUST_PROXY a spoofed X-Forwarded-For gets no fresh bucket; the 10/min window ends at 60 s', async () => {
      const start = clock.now().getTime();
      const spoofing = await loginVia(direct.baseUrl, 'sender', 'sender-password', '198.51.100.1');
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        spoofing.http.defaults.headers['X-Forwarded-For'] = `198.51.100.${i + 1}`;
        statuses.push((await rejectedSend(spoofing)).status);
      }
      expect(statuses).toEqual(all(400, 10));
      spoofing.http.defaults.headers['X-Forwarded-For'] = '198.51.100.99';
      assertThrottled(await rejectedSend(spoofing), 60);

      clock.set(new Date(start + MINUTE - 1));
      assertThrottled(await rejectedSend(spoofing), 1);
      clock.set(new Date(start + MINUTE));
      expect((await rejectedSend(spoofing)).status).toBe(400); // a new minute, a new window
    });

    it('with TRUST_PROXY=127.0.0.1 each forwarded client has its own bucket, and entries left of it are ignored', async () => {
      const first = await loginVia(proxied.baseUrl, 'sender', 'sender-password', '203.0.113.1');
      expect(await repeat(10, () => rejectedSend(first))).toEqual(all(400, 10));
      assertThrottled(await rejectedSend(first), 60);

      // The client prepends its own "addresses"; the proxy appended the real one on the right.
      first.http.defaults.headers['X-Forwarded-For'] = '192.0.2.77, 203.0.113.1';
      assertThrottled(await rejectedSend(first), 60);

      const second = await loginVia(proxied.baseUrl, 'sender', 'sender-password', '203.0.113.2');
      expect((await rejectedSend(second)).status).toBe(400); // another client behind the proxy is not throttled
    });

    it('send: 50 per hour per IP, the window ending exactly one hour after it opened', async () => {
      const ip = '203.0.113.10';
      const start = clock.now().getTime();
      let halo = await loginVia(proxied.baseUrl, 'sender', 'sender-password', ip);
      for (let minute = 0; minute < 5; minute++) {
        clock.set(new Date(start + minute * MINUTE));
        expect(await repeat(10, () => rejectedSend(halo))).toEqual(all(400, 10));
      }
      clock.set(new Date(start + 5 * MINUTE));
      assertThrottled(await rejectedSend(halo), (HOUR - 5 * MINUTE) / SECOND);

      clock.set(new Date(start + HOUR - 1));
      halo = await loginVia(proxied.baseUrl, 'sender', 'sender-password', ip); // the session idled out meanwhile
      assertThrottled(await rejectedSend(halo), 1);
      clock.set(new Date(start + HOUR));
      expect((await rejectedSend(halo)).status).toBe(400);
    });

    it('tells what is left in each window, and a send refused by the minute does not use up the hour', async () => {
      const start = clock.now().getTime();
      const halo = await loginVia(proxied.baseUrl, 'sender', 'sender-password', '203.0.113.30');
      const first = await rejectedSend(halo);
      expect(first.status).toBe(400);
      expect(first.headers['x-ratelimit-limit-per-minute']).toBe('10');
      expect(first.headers['x-ratelimit-remaining-per-minute']).toBe('9');
      expect(first.headers['x-ratelimit-reset-per-minute']).toBe('60');
      expect(first.headers['x-ratelimit-limit-per-hour']).toBe('50');
      expect(first.headers['x-ratelimit-remaining-per-hour']).toBe('49');
      expect(first.headers['x-ratelimit-reset-per-hour']).toBe('3600');
      expect(await repeat(9, () => rejectedSend(halo))).toEqual(all(400, 9));
      for (let i = 0; i < 3; i++) {
        const refused = await rejectedSend(halo);
        assertThrottled(refused, 60);
        expect(refused.headers['retry-after-per-minute']).toBe('60');
      }
      clock.set(new Date(start + MINUTE));
      const next = await rejectedSend(halo);
      expect(next.headers['x-ratelimit-remaining-per-minute']).toBe('9');
      expect(next.headers['x-ratelimit-remaining-per-hour']).toBe('39'); // 10 counted before, this one, none of the refused
    });

    it('verify: 30 per minute per IP, counted before the password check', async () => {
      const start = clock.now().getTime();
      const halo = await loginVia(proxied.baseUrl, 'sender', 'sender-password', '203.0.113.20');
      expect(await repeat(30, () => rejectedVerify(halo))).toEqual(all(400, 30));
      assertThrottled(await rejectedVerify(halo), 60);
      const other = await loginVia(proxied.baseUrl, 'sender', 'sender-password', '203.0.113.21');
      expect((await rejectedVerify(other)).status).toBe(400);

      clock.set(new Date(start + MINUTE - 1));
      assertThrottled(await rejectedVerify(halo), 1);
      clock.set(new Date(start + MINUTE));
      expect((await rejectedVerify(halo)).status).toBe(400);
    });
  });
}
