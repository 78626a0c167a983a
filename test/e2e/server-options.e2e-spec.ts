import axios, { AxiosResponse } from 'axios';
import { CONSOLE_REQUEST_PROPERTIES } from '../../apps/console-server/src/console-users';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { consoleAxios, failure, haloClients } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

/** The per-IP login budget (60 attempts a minute by default). */
const IP_ATTEMPTS = 60;

function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** A failing login attempt, optionally claiming to come from `forwardedFor`. */
function attempt(server: TestServer, i: number, forwardedFor?: string): Promise<AxiosResponse> {
  return axios.post(
    `${server.baseUrl}/login`,
    { username: `stranger-${i}`, password: 'not-a-password' },
    { headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}, validateStatus: () => true },
  );
}

/** Spends the whole per-IP budget of the address the server sees for these requests. */
async function exhaustIpBudget(server: TestServer, forwardedFor: string): Promise<void> {
  for (let i = 0; i < IP_ATTEMPTS; i++) {
    expect((await attempt(server, i, forwardedFor)).status).toBe(401);
  }
  expect((await attempt(server, IP_ATTEMPTS, forwardedFor)).status).toBe(429); // the budget is spent
}

for (const kind of testDatabases()) {
  describe(`server options on ${kind}`, () => {
    describe('defaults: TRUST_PROXY off', () => {
      let db: TestDatabase;
      let server: TestServer;

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db);
      });

      afterAll(async () => {
        await server?.close();
        await db?.drop();
      });

      it('X-Forwarded-For does not move a client to another login bucket', async () => {
        await exhaustIpBudget(server, '203.0.113.10');
        expect((await attempt(server, 100, '203.0.113.11')).status).toBe(429); // a forged address changes nothing
        expect((await attempt(server, 101)).status).toBe(429); // the bucket is the peer address
      });

      it("declares the library's request properties on Fastify's request class (requests keep one shape)", () => {
        const fastify = server.app.getHttpAdapter().getInstance();
        for (const name of CONSOLE_REQUEST_PROPERTIES) {
          expect(fastify.hasRequestDecorator(name)).toBe(true);
        }
      });
    });

    describe('BASIC_AUTH_ENABLED=true, TRUST_PROXY=127.0.0.1, https PUBLIC_URL', () => {
      let db: TestDatabase;
      let server: TestServer;

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db, {
          env: { BASIC_AUTH_ENABLED: 'true', TRUST_PROXY: '127.0.0.1', PUBLIC_URL: 'https://console.example.test' },
        });
        await seedUser(server.dataSource, { name: 'nobody', password: 'nobody-password' });
        await seedUser(server.dataSource, { name: 'locked-out', password: 'locked-out-password', disabled: true });
        await seedUser(server.dataSource, { name: 'guessed', password: 'guessed-password' });
      });

      afterAll(async () => {
        await server?.close();
        await db?.drop();
      });

      it('HTTP Basic with the right password works with the real client', async () => {
        const admin = haloClients(consoleAxios(server.baseUrl, { Authorization: basic('admin', ADMIN_PASSWORD) }));
        const me = await admin.console.user.getCurrentUserDetail();
        expect(me.data.user.metadata.name).toBe('admin');
        expect(me.data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
        const other = await admin.console.user.getUserDetail({ name: 'nobody' });
        expect(other.data.user.metadata.name).toBe('nobody');
      });

      it('HTTP Basic still goes through RBAC: a user without roles gets 403', async () => {
        const nobody = haloClients(consoleAxios(server.baseUrl, { Authorization: basic('nobody', 'nobody-password') }));
        expect((await nobody.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('nobody');
        expect((await failure(nobody.console.user.getUserDetail({ name: 'admin' }))).status).toBe(403);
      });

      it('wrong Basic credentials, unknown users, malformed values and disabled accounts get 401 problems', async () => {
        const url = `${server.baseUrl}/apis/api.console.halo.run/v1alpha1/users/-`;
        const headers = [
          basic('admin', 'wrong-password'),
          basic('no-such-user', 'whatever-password'),
          basic('locked-out', 'locked-out-password'),
          'Basic ' + Buffer.from('no-colon-here').toString('base64'),
          'Basic !!!',
        ];
        for (const authorization of headers) {
          const res = await failure(axios.get(url, { headers: { Authorization: authorization, 'X-Requested-With': 'XMLHttpRequest' } }));
          expect(res.status).toBe(401);
          expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
          expect(res.data.status).toBe(401);
        }
      });

      it('Basic failures count towards the account lock like form logins', async () => {
        const url = `${server.baseUrl}/apis/api.console.halo.run/v1alpha1/users/-`;
        for (let i = 0; i < 10; i++) {
          const res = await failure(axios.get(url, { headers: { Authorization: basic('guessed', `guess-${i}`) } }));
          expect(res.status).toBe(401);
        }
        const locked = await failure(axios.get(url, { headers: { Authorization: basic('guessed', 'guessed-password') } }));
        expect(locked.status).toBe(429);
        expect(Number(locked.headers['retry-after']) > 0).toBeTruthy();
        server.clock.advance(15 * 60_000 + 1);
        const open = await axios.get(url, { headers: { Authorization: basic('guessed', 'guessed-password') } });
        expect(open.data.user.metadata.name).toBe('guessed');
      });

      it('sets the SESSION cookie with Secure when PUBLIC_URL is https', async () => {
        const http = consoleAxios(server.baseUrl);
        const login = await http.post('/login', { username: 'admin', password: ADMIN_PASSWORD });
        const cookie = (login.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
        expect(cookie).toBeTruthy();
        expect(cookie).toMatch(/; Secure/);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        const logout = await http.post('/logout');
        const cleared = (logout.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
        expect(cleared).toBeTruthy();
        expect(cleared).toMatch(/Max-Age=0/);
        expect(cleared).toMatch(/; Secure/);
      });

      it('X-Forwarded-For from the trusted proxy gives each client its own login bucket', async () => {
        server.clock.advance(60_001);
        await exhaustIpBudget(server, '203.0.113.10');
        expect((await attempt(server, 100, '203.0.113.11')).status).toBe(401); // another client behind the proxy
        expect((await attempt(server, 101)).status).toBe(401); // the proxy itself
        expect((await attempt(server, 102, '198.51.100.1, 203.0.113.10')).status).toBe(429); // read right to left: a forged left part changes nothing
      });
    });
  });
}
