import axios from 'axios';
import passport from 'passport';
import { createPat } from '../support/accounts';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { consoleAxios, failure, haloClients, loginAs, withToken } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const ME = '/apis/api.console.halo.run/v1alpha1/users/-';
/** Needs a permission anonymous callers lack (users/- answers anonymous callers with Halo's anonymous user). */
const ADMIN_DETAIL = '/apis/api.console.halo.run/v1alpha1/users/admin';

function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** The behaviour of the Passport strategies behind ConsoleAuthGuard and POST /login, on the real server. */
for (const kind of testDatabases()) {
  describe(`Passport strategies on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { BASIC_AUTH_ENABLED: 'true' } });
      for (const name of ['pat-owner', 'basic-owner', 'shared-budget', 'soon-disabled', 'soon-deleted']) {
        await seedUser(server.dataSource, { name, password: `${name}-password`, roles: ['super-role'] });
      }
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    it('registers console-session, console-pat, console-basic and console-local with passport, for host guards', () => {
      const registered = passport as unknown as { _strategy(name: string): unknown };
      for (const name of ['console-session', 'console-pat', 'console-basic', 'console-local']) {
        expect(registered._strategy(name)).toBeTruthy();
      }
    });

    it('a revoked PAT is 401 invalid_token even with a valid session cookie next to it (no fallback)', async () => {
      const session = await loginAs(server.baseUrl, 'pat-owner', 'pat-owner-password');
      const token = await createPat(session, ['super-role']);
      const cookie = session.http.cookies.get('SESSION')!;
      const both = haloClients(consoleAxios(server.baseUrl, { Authorization: `Bearer ${token}`, Cookie: `SESSION=${cookie}` }));
      expect((await both.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('pat-owner');

      const name = (await session.uc.security.personalAccessToken.obtainPats()).data[0]!.metadata.name;
      await session.uc.security.personalAccessToken.revokePat({ name });
      const res = await failure(both.console.user.getCurrentUserDetail());
      expect(res.status).toBe(401);
      expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer error="invalid_token"/);
      expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
      // The cookie alone still works: the 401 came from the token.
      const cookieOnly = haloClients(consoleAxios(server.baseUrl, { Cookie: `SESSION=${cookie}` }));
      expect((await cookieOnly.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('pat-owner');
    });

    it("a strategy's refusal keeps each face's error format", async () => {
      const bad = { Authorization: 'Bearer pat_not-a-live-token', Accept: 'application/json' };
      const zitadel = await failure(axios.post(`${server.baseUrl}/v2/users/1/email/send`, {}, { headers: bad }));
      expect(zitadel.status).toBe(401);
      expect(zitadel.data).toEqual({ code: 16, message: expect.any(String), details: expect.any(Array) });
      const authentik = await failure(axios.get(`${server.baseUrl}/api/v3/core/users/`, { headers: bad }));
      expect([401, 403]).toContain(authentik.status);
      expect(Object.keys(authentik.data)).toEqual(['detail']);
      const halo = await failure(axios.get(`${server.baseUrl}${ADMIN_DETAIL}`, { headers: bad }));
      expect(halo.status).toBe(401);
      expect(String(halo.headers['content-type'])).toMatch(/application\/problem\+json/);
    });

    it('reads a PAT from the Authorization header only: ?access_token= and body fields are ignored', async () => {
      const session = await loginAs(server.baseUrl, 'pat-owner', 'pat-owner-password');
      const token = await createPat(session, ['super-role']);
      const inQuery = await failure(axios.get(`${server.baseUrl}${ADMIN_DETAIL}?access_token=${token}`, { headers: { Accept: 'application/json' } }));
      expect(inQuery.status).toBe(401);
      expect(inQuery.headers['www-authenticate']).toBe('FormLogin realm="console"'); // anonymous, not a token error
      const inBody = await failure(
        axios.put(`${server.baseUrl}${ME}`, { access_token: token, metadata: { name: 'pat-owner' } }, { headers: { Accept: 'application/json' } }),
      );
      expect(inBody.status).toBe(401);
      expect((await withToken(server.baseUrl, token).console.user.getUserDetail({ name: 'admin' })).status).toBe(200);
    });

    it('a wrong Basic password is 401, also next to a valid cookie and on public routes (never anonymous)', async () => {
      const session = await loginAs(server.baseUrl, 'basic-owner', 'basic-owner-password');
      const cookie = session.http.cookies.get('SESSION')!;
      const withCookie = await failure(
        axios.get(`${server.baseUrl}${ME}`, { headers: { Authorization: basic('basic-owner', 'wrong'), Cookie: `SESSION=${cookie}` } }),
      );
      expect(withCookie.status).toBe(401);
      expect(String(withCookie.headers['content-type'])).toMatch(/application\/problem\+json/);
      // POST /logout is public: a wrong Basic header must not make it an anonymous call.
      const onPublic = await failure(axios.post(`${server.baseUrl}/logout`, undefined, { headers: { Authorization: basic('basic-owner', 'wrong') } }));
      expect(onPublic.status).toBe(401);
    });

    it('wrong Basic passwords and wrong form logins draw on one per-account budget', async () => {
      for (let i = 0; i < 5; i++) {
        expect((await failure(axios.get(`${server.baseUrl}${ME}`, { headers: { Authorization: basic('shared-budget', `guess-${i}`) } }))).status).toBe(401);
        expect((await failure(axios.post(`${server.baseUrl}/login`, { username: 'shared-budget', password: `form-guess-${i}` }))).status).toBe(401);
      }
      const locked = await failure(axios.post(`${server.baseUrl}/login`, { username: 'shared-budget', password: 'shared-budget-password' }));
      expect(locked.status).toBe(429);
      server.clock.advance(15 * 60_000 + 1);
    });

    it('login form fields count only from the body, never from the query string', async () => {
      const res = await failure(
        axios.post(`${server.baseUrl}/login?username=admin&password=${encodeURIComponent(ADMIN_PASSWORD)}`, {}, { headers: { Accept: 'application/json' } }),
      );
      expect(res.status).toBe(401);
      expect(res.data.type).toBe('https://halo.run/probs/invalid-credential');
    });

    it("a disabled user's session and PATs are refused at once", async () => {
      const session = await loginAs(server.baseUrl, 'soon-disabled', 'soon-disabled-password');
      const token = withToken(server.baseUrl, await createPat(session, ['super-role']));
      await token.console.user.getUserDetail({ name: 'admin' });
      await session.console.user.getUserDetail({ name: 'admin' });
      // The flag alone, without the revocation that the disable operation also does.
      await server.dataSource.query(`UPDATE users SET disabled = ${kind === 'postgres' ? 'true' : '1'} WHERE name = 'soon-disabled'`);
      // A write behind the server's back reaches it when the cached principal expires (1 s of
      // real time); the server's own operations invalidate the cache at once (principal-cache e2e).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await failure(session.console.user.getUserDetail({ name: 'admin' }))).status).toBe(401);
      expect((await session.console.user.getCurrentUserDetail()).data.user.metadata.name).not.toBe('soon-disabled');
      expect((await failure(token.console.user.getCurrentUserDetail())).status).toBe(401);
      expect((await failure(axios.get(`${server.baseUrl}${ME}`, { headers: { Authorization: basic('soon-disabled', 'soon-disabled-password') } }))).status).toBe(
        401,
      );
    });

    it("a deleted user's session and PATs are refused at once", async () => {
      const session = await loginAs(server.baseUrl, 'soon-deleted', 'soon-deleted-password');
      const token = withToken(server.baseUrl, await createPat(session, ['super-role']));
      const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      await session.console.user.getUserDetail({ name: 'admin' });
      await admin.core.user.deleteUser({ name: 'soon-deleted' });
      expect((await failure(session.console.user.getUserDetail({ name: 'admin' }))).status).toBe(401);
      expect((await failure(token.console.user.getCurrentUserDetail())).status).toBe(401);
    });
  });
}
