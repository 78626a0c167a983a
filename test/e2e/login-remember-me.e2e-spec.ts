import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { consoleAxios, failure, haloClients } from '../support/http';
import { seedUser } from '../support/seed';
import { startTestServer, TestServer } from '../support/test-server';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// The current-user call answers anonymous callers too (Halo's anonymousUser), so "logged out" is
// checked on a call that needs a user: listing one's own tokens.

function sessionCookieOf(headers: Record<string, unknown>): string {
  const lines = (headers['set-cookie'] ?? []) as string[];
  const cookie = lines.find((line) => line.startsWith('SESSION='));
  assert.ok(cookie, 'a SESSION cookie is set');
  return cookie;
}

for (const kind of testDatabases()) {
  describe(`login "remember me" on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;

    before(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { REMEMBER_ME_DAYS: '14' } });
      await seedUser(server.dataSource, { name: 'carol', password: 'carol-password' });
    });

    after(async () => {
      await server?.close();
      await db?.drop();
    });

    async function formLogin(fields: Record<string, string>) {
      const http = consoleAxios(server.baseUrl);
      const res = await http.post('/login', new URLSearchParams({ username: 'carol', password: 'carol-password', ...fields }).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      return { res, clients: haloClients(http) };
    }

    it('without remember-me: a browser-session cookie, and the session still ends after 30 idle minutes', async () => {
      const { res, clients } = await formLogin({});
      const cookie = sessionCookieOf(res.headers);
      assert.doesNotMatch(cookie, /Max-Age|Expires/i, 'no lifetime: the cookie dies with the browser');
      assert.equal((await clients.console.user.getCurrentUserDetail()).data.user.metadata.name, 'carol');
      server.clock.advance(31 * MINUTE);
      assert.equal((await failure(clients.uc.security.personalAccessToken.obtainPats())).status, 401);
    });

    it('with remember-me=true (form): a persistent cookie of the configured lifetime, surviving idle hours and the 12 h cap', async () => {
      const { res, clients } = await formLogin({ 'remember-me': 'true' });
      const cookie = sessionCookieOf(res.headers);
      assert.match(cookie, new RegExp(`Max-Age=${14 * 24 * 3600}(;|$)`));
      assert.match(cookie, /HttpOnly/);
      server.clock.advance(2 * 60 * MINUTE);
      assert.equal((await clients.console.user.getCurrentUserDetail()).data.user.metadata.name, 'carol', 'two idle hours later');
      server.clock.advance(13 * DAY);
      assert.equal((await clients.console.user.getCurrentUserDetail()).data.user.metadata.name, 'carol', 'thirteen days later');
      server.clock.advance(DAY);
      assert.equal((await failure(clients.uc.security.personalAccessToken.obtainPats())).status, 401, 'over after 14 days');
    });

    it('accepts Spring\'s other spellings ("on") and a JSON boolean', async () => {
      const { res: on } = await formLogin({ 'remember-me': 'on' });
      assert.match(sessionCookieOf(on.headers), /Max-Age=1209600/);
      const json = await axios.post(`${server.baseUrl}/login`, { username: 'carol', password: 'carol-password', 'remember-me': true }, {
        headers: { Accept: 'application/json' },
      });
      assert.match(sessionCookieOf(json.headers), /Max-Age=1209600/);
      const off = await axios.post(`${server.baseUrl}/login`, { username: 'carol', password: 'carol-password', 'remember-me': false }, {
        headers: { Accept: 'application/json' },
      });
      assert.doesNotMatch(sessionCookieOf(off.headers), /Max-Age/);
    });

    it('is ended like any other session by logout and by a password change', async () => {
      const { clients } = await formLogin({ 'remember-me': 'true' });
      await clients.http.post('/logout');
      assert.equal((await failure(clients.uc.security.personalAccessToken.obtainPats())).status, 401, 'logout');

      const { clients: again } = await formLogin({ 'remember-me': 'true' });
      const { clients: other } = await formLogin({ 'remember-me': 'true' });
      await other.console.user.changeOwnPassword({ changeOwnPasswordRequest: { oldPassword: 'carol-password', password: 'carol-password-2' } });
      assert.equal((await failure(again.uc.security.personalAccessToken.obtainPats())).status, 401, 'password change ends the other remembered session');
    });
  });
}
