import axios, { AxiosResponse } from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginVia } from '../support/forwarded';
import { consoleAxios, haloClients } from '../support/http';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';
import { createPat } from '../support/zitadel';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait README documents after `failures` failures of unknown clients on one account this hour. */
const documentedWaitMs = (failures: number) => (failures < 20 ? 0 : failures < 40 ? 5 : failures < 60 ? 15 : failures < 80 ? 30 : 60) * SECOND;

for (const kind of testDatabases()) {
  // OWASP's device cookies: failures count per (account, client); a browser that logged in
  // before holds a signed cookie and keeps its own budget, so strangers cannot lock it out.
  describe(`login lockout per account and client on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let serial = 0;

    async function freshUser(): Promise<{ name: string; password: string }> {
      const name = `lockout-user-${++serial}`;
      const password = `password-of-${name}`;
      await seedUser(server.dataSource, { name, password });
      return { name, password };
    }

    /** A login from `ip`, with the cookies `cookie` (a browser's jar), JSON in and out. */
    const login = (username: string, password: string, ip: string, cookie?: string): Promise<AxiosResponse> =>
      axios.post(
        `${server.baseUrl}/login`,
        { username, password },
        { headers: { 'X-Forwarded-For': ip, ...(cookie ? { Cookie: cookie } : {}) }, validateStatus: () => true },
      );

    /** Logs in once, as a browser would, and returns its device cookie (`name=value`). */
    async function knownBrowser(user: { name: string; password: string }, ip: string): Promise<string> {
      const res = await login(user.name, user.password, ip);
      expect(res.status).toBe(200);
      const line = (res.headers['set-cookie'] ?? []).find((c: string) => c.startsWith('CONSOLE_DEVICE='));
      expect(line).toBeDefined();
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Lax/);
      expect(line).toMatch(/; Max-Age=15552000/); // 180 days
      return line!.split(';')[0]!;
    }

    function assertLimited(res: AxiosResponse): void {
      expect(res.status).toBe(429);
      expect(res.data.type).toBe('https://halo.run/probs/request-not-permitted');
      expect(Number(res.headers['retry-after']) > 0).toBeTruthy();
    }

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { TRUST_PROXY: '127.0.0.1' } });
    });

    beforeEach(() => server.clock.advance(HOUR + MINUTE)); // every window of the previous test is over

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    it('10 wrong passwords from one address lock that address only: the owner elsewhere still logs in', async () => {
      const user = await freshUser();
      for (let i = 0; i < 10; i++) {
        expect((await login(user.name, `wrong-${i}`, '203.0.113.7')).status).toBe(401);
      }
      assertLimited(await login(user.name, user.password, '203.0.113.7'));
      assertLimited(await login(user.name, 'wrong-again', '203.0.113.7'));
      expect((await login(user.name, user.password, '198.51.100.8')).status).toBe(200);
      server.clock.advance(15 * MINUTE);
      expect((await login(user.name, user.password, '203.0.113.7')).status).toBe(200);
    });

    it('30 wrong passwords at once from one address: exactly 10 are compared (401), 20 refused (429)', async () => {
      const user = await freshUser();
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(user.name, `parallel-${i}`, '203.0.113.30')));
      expect(answers.filter((r) => r.status === 401).length).toBe(10);
      expect(answers.filter((r) => r.status === 429).length).toBe(20);
      assertLimited(await login(user.name, user.password, '203.0.113.30'));
    });

    it('a browser with the device cookie logs in from the attacker’s own address while that address is locked', async () => {
      const user = await freshUser();
      const device = await knownBrowser(user, '192.0.2.50');
      for (let i = 0; i < 10; i++) {
        expect((await login(user.name, `wrong-${i}`, '192.0.2.50')).status).toBe(401);
      }
      assertLimited(await login(user.name, user.password, '192.0.2.50'));
      expect((await login(user.name, user.password, '192.0.2.50', device)).status).toBe(200);
    });

    it('100 failures an hour from unknown clients, with growing waits, lock every unknown client but not the known browser', async () => {
      const user = await freshUser();
      const device = await knownBrowser(user, '192.0.2.1');
      const start = server.clock.now().getTime();
      for (let n = 0; n < 100; n++) {
        const res = await login(user.name, `guess-${n}`, `10.1.0.${n + 1}`);
        expect(res.status).toBe(401);
        const wait = documentedWaitMs(n);
        if (wait > 0 && (n === 20 || n === 40 || n === 60 || n === 80)) {
          // Inside the wait any unknown client, with any password, is told when to come back.
          const early = await login(user.name, user.password, '10.2.0.1');
          assertLimited(early);
          expect(Number(early.headers['retry-after'])).toBe(wait / SECOND);
        }
        server.clock.advance(wait);
      }
      expect(server.clock.now().getTime() - start).toBe(2_200 * SECOND); // the waits alone take 37 minutes
      const stranger = await login(user.name, user.password, '10.3.0.1');
      assertLimited(stranger);
      expect(Number(stranger.headers['retry-after'])).toBe((HOUR - 2_200 * SECOND) / SECOND);
      assertLimited(await login(user.name, user.password, '10.3.0.2', 'CONSOLE_DEVICE=v1.1.2.3.forged'));

      expect((await login(user.name, user.password, '10.3.0.3', device)).status).toBe(200); // the known browser, from anywhere

      server.clock.set(new Date(start + HOUR));
      expect((await login(user.name, user.password, '10.3.0.1')).status).toBe(200);
    });

    it('another account’s device cookie makes no client known', async () => {
      const owner = await freshUser();
      const other = await freshUser();
      const othersDevice = await knownBrowser(other, '192.0.2.60');
      for (let i = 0; i < 10; i++) {
        expect((await login(owner.name, `wrong-${i}`, '192.0.2.61')).status).toBe(401);
      }
      assertLimited(await login(owner.name, owner.password, '192.0.2.61', othersDevice));
    });

    it('a known browser has its own budget of 10 failures: then it gets 429, and other clients do not', async () => {
      const user = await freshUser();
      const device = await knownBrowser(user, '192.0.2.70');
      for (let i = 0; i < 10; i++) {
        expect((await login(user.name, `typo-${i}`, '192.0.2.70', device)).status).toBe(401);
      }
      assertLimited(await login(user.name, user.password, '192.0.2.70', device));
      expect((await login(user.name, user.password, '192.0.2.70')).status).toBe(200); // the same address without the cookie
      server.clock.advance(15 * MINUTE);
      expect((await login(user.name, user.password, '192.0.2.70', device)).status).toBe(200);
    });

    it('verify-email through a role-less PAT: 10 wrong passwords, then right and wrong get the same 429; the owner’s browser still logs in', async () => {
      const user = await freshUser();
      const device = await knownBrowser(user, '192.0.2.80');
      const browser = await loginVia(server.baseUrl, user.name, user.password, '192.0.2.80');
      const token = await createPat(browser);
      const thief = haloClients(consoleAxios(server.baseUrl, { Authorization: `Bearer ${token}`, 'X-Forwarded-For': '203.0.113.80' }));
      const verify = (password: string) =>
        thief.console.user.verifyEmail({ verifyCodeRequest: { code: '123456', password } }).then(
          (res) => res,
          (error: { response: AxiosResponse }) => error.response,
        );
      for (let i = 0; i < 10; i++) {
        const res = await verify(`wrong-${i}`);
        expect(res.status).toBe(400);
        expect(res.data.detail).toBe('The password does not match.');
      }
      const right = await verify(user.password);
      const wrong = await verify('wrong-again');
      assertLimited(right);
      assertLimited(wrong);
      const shape = (data: Record<string, unknown>) => [data.type, data.title, data.status, data.detail];
      expect(shape(right.data)).toEqual(shape(wrong.data));
      expect(right.headers['retry-after']).toBe(wrong.headers['retry-after']);
      expect((await login(user.name, user.password, '192.0.2.80', device)).status).toBe(200);
    });
  });
}
