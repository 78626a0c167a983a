import { readFileSync } from 'node:fs';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, consoleAxios, failure, haloClients, HaloClients, loginAs, rawRequest, withToken } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

for (const kind of testDatabases()) {
  describe(`foundation on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'nobody', password: 'nobody-password' });
      await seedUser(server.dataSource, { name: 'viewer', password: 'viewer-password', roles: ['role-template-view-users'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe('health and documents', () => {
      it('reports UP with the database check', async () => {
        const res = await axios.get(`${server.baseUrl}/actuator/health`);
        expect(res.data).toEqual({ status: 'UP', components: { db: { status: 'UP' } } });
      });

      it('serves the OpenAPI document at /v3/api-docs', async () => {
        const res = await axios.get(`${server.baseUrl}/v3/api-docs`);
        expect(res.status).toBe(200);
        expect(res.data.paths['/apis/api.console.halo.run/v1alpha1/users/-']).toBeTruthy();
        expect(res.data.paths['/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens']).toBeTruthy();
      });

      it('serves Swagger UI at /swagger-ui, pointing at the document', async () => {
        const page = await axios.get(`${server.baseUrl}/swagger-ui`);
        expect(page.status).toBe(200);
        expect(String(page.headers['content-type'])).toMatch(/text\/html/);
        expect(page.data).toMatch(/Swagger UI/);
        const init = await axios.get(`${server.baseUrl}/swagger-ui/swagger-ui-init.js`);
        expect(init.data).toMatch(/"paths"/);
        expect(init.data).toMatch(/GetCurrentUserDetail/);
      });
    });

    describe('login', () => {
      it('answers an XHR form login with the principal as JSON and an HttpOnly SESSION cookie', async () => {
        const http = consoleAxios(server.baseUrl);
        const res = await http.post('/login', 'username=admin&password=' + encodeURIComponent(ADMIN_PASSWORD), {
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        expect(res.status).toBe(200);
        expect(res.data.username).toBe('admin');
        expect(res.data.authorities.some((a: { authority: string }) => a.authority === 'ROLE_super-role')).toBeTruthy();
        expect(JSON.stringify(res.data).includes('password')).toBe(false);
        const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
        expect(cookie).toBeTruthy(); // SESSION cookie set
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).not.toMatch(/Secure/); // plain http PUBLIC_URL: no Secure flag
      });

      it('accepts a JSON login too', async () => {
        const res = await axios.post(`${server.baseUrl}/login`, { username: 'admin', password: ADMIN_PASSWORD }, {
          headers: { Accept: 'application/json' },
        });
        expect(res.status).toBe(200);
        expect(res.data.username).toBe('admin');
      });

      it('gives a wrong password and an unknown user the same 401 problem', async () => {
        const wrong = await failure(axios.post(`${server.baseUrl}/login`, { username: 'admin', password: 'not-the-password' }));
        const unknown = await failure(axios.post(`${server.baseUrl}/login`, { username: 'ghost-of-nobody', password: 'whatever-pass' }));
        for (const res of [wrong, unknown]) {
          expect(res.status).toBe(401);
          expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
          expect(res.data.type).toBe('https://halo.run/probs/invalid-credential');
          expect(res.data.title).toBe('Bad Credentials');
          expect(res.data.detail).toBe('The username or password is incorrect.');
          expect(res.headers['set-cookie']).toBe(undefined);
        }
        const strip = ({ instance, requestId, timestamp, ...rest }: Record<string, unknown>) => rest;
        expect(strip(wrong.data)).toEqual(strip(unknown.data));
      });

      it('audits failed logins against real accounts only, never the typed name', async () => {
        await failure(axios.post(`${server.baseUrl}/login`, { username: 'Typed-Secret-Pa55word', password: 'whatever-pass' }));
        await failure(axios.post(`${server.baseUrl}/login`, { username: 'viewer', password: 'not-the-viewer-password' }));
        const rows: { target: string | null; details: string }[] = await server.dataSource.query(
          `SELECT target, details FROM audit_events WHERE action = 'login' AND outcome = 'failure'`,
        );
        expect(JSON.stringify(rows).includes('Typed-Secret-Pa55word')).toBe(false);
        expect(rows.some((r) => r.target === null && r.details.includes('unknown-account'))).toBeTruthy();
        expect(rows.some((r) => r.target === 'viewer')).toBeTruthy();
      });

      it('refuses a disabled account even with the right password', async () => {
        await seedUser(server.dataSource, { name: 'disabled-one', password: 'disabled-password', disabled: true });
        const res = await failure(axios.post(`${server.baseUrl}/login`, { username: 'disabled-one', password: 'disabled-password' }));
        expect(res.status).toBe(401);
        expect(res.data.detail).toBe('The account is disabled.');
      });

      it('logout ends the session: the old cookie no longer authenticates', async () => {
        const me = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
        const cookie = me.http.cookies.get('SESSION')!;
        await me.http.post('/logout');
        const replay = consoleAxios(server.baseUrl, { Cookie: `SESSION=${cookie}` });
        const res = await failure(replay.get('/apis/api.console.halo.run/v1alpha1/users/admin'));
        expect(res.status).toBe(401);
      });

      it('stores sessions hashed: the cookie value is nowhere in the database', async () => {
        const me = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
        const cookie = me.http.cookies.get('SESSION')!;
        const rows: Record<string, unknown>[] = await server.dataSource.query('SELECT * FROM sessions');
        expect(rows.length > 0).toBeTruthy();
        expect(JSON.stringify(rows).includes(cookie)).toBe(false);
      });
    });

    describe('GET /users/- (GetCurrentUserDetail)', () => {
      it('returns anonymousUser to anonymous callers', async () => {
        const { data } = await anonymous(server.baseUrl).console.user.getCurrentUserDetail();
        expect(data.user.metadata.name).toBe('anonymousUser');
        expect(data.user.spec.disabled).toBe(true);
        expect(data.roles).toEqual([]);
      });

      it('returns the admin with super-role and no password hash anywhere', async () => {
        const res = await admin.console.user.getCurrentUserDetail();
        expect(res.data.user.metadata.name).toBe('admin');
        expect(res.data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
        const raw = JSON.stringify(res.data);
        expect(raw.includes('argon2')).toBe(false);
        expect('password' in res.data.user.spec).toBe(false);
        expect('totpEncryptedSecret' in res.data.user.spec).toBe(false);
      });
    });

    describe('GET /users/-/permissions', () => {
      it('gives super-role every visible role and the "*" UI permission', async () => {
        const { data } = await admin.console.user.getPermissions({ name: '-' });
        expect(data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
        expect(data.uiPermissions).toEqual([
          '*',
          'system:metrics:view',
          'system:permissions:manage',
          'system:permissions:view',
          'system:roles:manage',
          'system:roles:view',
          'system:users:manage',
          'system:users:recover',
          'system:users:recovery-links',
          'system:users:view',
        ]);
        expect(data.permissions.every((r) => r.metadata.labels?.['halo.run/hidden'] !== 'true')).toBeTruthy();
      });

      it('gives a user without roles no visible role and no UI permission', async () => {
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const { data } = await nobody.console.user.getPermissions({ name: '-' });
        expect(data).toEqual({ roles: [], permissions: [], uiPermissions: [] });
      });

      it('expands a template role with its ui-permissions', async () => {
        const viewer = await loginAs(server.baseUrl, 'viewer', 'viewer-password');
        const { data } = await viewer.console.user.getPermissions({ name: '-' });
        expect(data.roles.map((r) => r.metadata.name)).toEqual(['role-template-view-users']);
        expect(data.uiPermissions).toEqual(['system:users:view']);
      });
    });

    describe('RBAC on GET /users/{name}', () => {
      it('401 problem for anonymous callers, never a redirect', async () => {
        const res = await failure(anonymous(server.baseUrl).console.user.getUserDetail({ name: 'admin' }));
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('FormLogin realm="console"');
        expect(res.data.status).toBe(401);
        expect(res.data.instance).toBe('/apis/api.console.halo.run/v1alpha1/users/admin');
        expect(res.data.requestId).toBeTruthy();
        expect(res.data.timestamp).toBeTruthy();
      });

      it('403 problem for a user without roles', async () => {
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const res = await failure(nobody.console.user.getUserDetail({ name: 'admin' }));
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
        expect(res.data.title).toBe('Forbidden');
      });

      it('403 for a normal user naming itself: self-service goes through "-"', async () => {
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const res = await failure(nobody.console.user.getUserDetail({ name: 'nobody' }));
        expect(res.status).toBe(403);
      });

      it('200 for a holder of role-template-view-users', async () => {
        const viewer = await loginAs(server.baseUrl, 'viewer', 'viewer-password');
        const { data } = await viewer.console.user.getUserDetail({ name: 'admin' });
        expect(data.user.metadata.name).toBe('admin');
        expect(data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
      });

      it('404 problem for an unknown user', async () => {
        const res = await failure(admin.console.user.getUserDetail({ name: 'no-such-user' }));
        expect(res.status).toBe(404);
        expect(res.data.detail).toBe('User no-such-user was not found');
      });
    });

    describe('personal access tokens', () => {
      it('401 without credentials, then a token works as Bearer until revoked, and again after restore', async () => {
        const anon = await failure(anonymous(server.baseUrl).uc.security.personalAccessToken.obtainPats());
        expect(anon.status).toBe(401);

        const created = await admin.uc.security.personalAccessToken.generatePat({
          personalAccessToken: {
            apiVersion: 'security.halo.run/v1alpha1',
            kind: 'PersonalAccessToken',
            metadata: { name: '', generateName: 'pat-' },
            spec: { name: 'ci token', roles: ['super-role'], scopes: [] } as never,
          },
        });
        const token = created.data.metadata.annotations?.['security.halo.run/access-token'];
        expect(token?.startsWith('pat_')).toBeTruthy();
        const name = created.data.metadata.name;

        const listed = await admin.uc.security.personalAccessToken.obtainPats();
        expect(listed.data.some((p) => p.metadata.name === name)).toBeTruthy();
        expect(JSON.stringify(listed.data).includes(token!)).toBe(false); // the token is shown only once
        const one = await admin.uc.security.personalAccessToken.obtainPat({ name });
        expect(one.data.metadata.annotations?.['security.halo.run/access-token']).toBe(undefined);

        const bearer = withToken(server.baseUrl, token!);
        const me = await bearer.console.user.getCurrentUserDetail();
        expect(me.data.user.metadata.name).toBe('admin');
        await bearer.console.user.getUserDetail({ name: 'nobody' });

        const rows: Record<string, unknown>[] = await server.dataSource.query('SELECT * FROM personal_access_tokens');
        expect(JSON.stringify(rows).includes(token!)).toBe(false); // stored hashed

        await admin.uc.security.personalAccessToken.revokePat({ name });
        const revoked = await failure(bearer.console.user.getCurrentUserDetail());
        expect(revoked.status).toBe(401);
        expect(String(revoked.headers['www-authenticate'])).toMatch(/^Bearer error="invalid_token"/);

        await admin.uc.security.personalAccessToken.restorePat({ name });
        await bearer.console.user.getCurrentUserDetail();

        await admin.uc.security.personalAccessToken.deletePat({ name });
        expect((await failure(bearer.console.user.getCurrentUserDetail())).status).toBe(401);
      });

      it('a garbage bearer token is 401 invalid_token', async () => {
        const res = await failure(withToken(server.baseUrl, 'pat_not-a-real-token-at-all').console.user.getCurrentUserDetail());
        expect(res.status).toBe(401);
      });

      it('refuses roles the owner does not hold (400) and unknown roles (400)', async () => {
        const viewer = await loginAs(server.baseUrl, 'viewer', 'viewer-password');
        for (const roles of [['super-role'], ['no-such-role']]) {
          const res = await failure(
            viewer.uc.security.personalAccessToken.generatePat({
              personalAccessToken: { apiVersion: 'security.halo.run/v1alpha1', kind: 'PersonalAccessToken', metadata: { name: '' }, spec: { name: 'x', roles } as never },
            }),
          );
          expect(res.status).toBe(400);
        }
      });

      it('a token carries only its own roles: a role-less token of the admin gets 403 on user detail', async () => {
        const created = await admin.uc.security.personalAccessToken.generatePat({
          personalAccessToken: { apiVersion: 'security.halo.run/v1alpha1', kind: 'PersonalAccessToken', metadata: { name: '' }, spec: { name: 'weak', roles: [] } as never },
        });
        const bearer = withToken(server.baseUrl, created.data.metadata.annotations!['security.halo.run/access-token']!);
        const res = await failure(bearer.console.user.getUserDetail({ name: 'admin' }));
        expect(res.status).toBe(403);
        expect(String(res.headers['www-authenticate'])).toMatch(/insufficient_scope/);
      });

      it('another user cannot see or revoke my token (404)', async () => {
        const created = await admin.uc.security.personalAccessToken.generatePat({
          personalAccessToken: { apiVersion: 'security.halo.run/v1alpha1', kind: 'PersonalAccessToken', metadata: { name: '' }, spec: { name: 'mine', roles: [] } as never },
        });
        const nobody = await loginAs(server.baseUrl, 'nobody', 'nobody-password');
        const res = await failure(nobody.uc.security.personalAccessToken.revokePat({ name: created.data.metadata.name }));
        expect(res.status).toBe(404);
      });
    });

    describe('request bodies', () => {
      const patUrl = '/apis/uc.api.security.halo.run/v1alpha1/personalaccesstokens';

      it('malformed JSON → 400 problem', async () => {
        const res = await failure(admin.http.post(patUrl, '{"spec":', { headers: { 'Content-Type': 'application/json' } }));
        expect(res.status).toBe(400);
        expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
      });

      it('wrong Content-Type → 415 problem', async () => {
        const res = await failure(admin.http.post(patUrl, 'spec=1', { headers: { 'Content-Type': 'text/plain' } }));
        expect(res.status).toBe(415);
        const form = await failure(admin.http.post(patUrl, 'spec=1', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }));
        expect(form.status).toBe(415);
      });

      it('a body without Content-Type → 415 problem', async () => {
        for (const path of [patUrl, '/login']) {
          const body = '{"username":"admin"}';
          const res = await rawRequest(`${server.baseUrl}${path}`, 'POST', { 'Content-Length': String(body.length), Cookie: `SESSION=${admin.http.cookies.get('SESSION')}` }, body);
          expect(res.status).toBe(415);
          expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
        }
      });

      it('a body over 64 KiB → 413 problem; a login body over 16 KiB → 413', async () => {
        const big = JSON.stringify({ spec: { name: 'x'.repeat(70 * 1024) } });
        const res = await failure(admin.http.post(patUrl, big, { headers: { 'Content-Type': 'application/json' } }));
        expect(res.status).toBe(413);
        expect(res.data.status).toBe(413);
        const login = await failure(axios.post(`${server.baseUrl}/login`, { username: 'admin', password: 'x'.repeat(20 * 1024) }));
        expect(login.status).toBe(413);
      });

      it('invalid fields → 400 problem naming the field', async () => {
        const res = await failure(admin.http.post(patUrl, { spec: { name: '' } }));
        expect(res.status).toBe(400);
        expect(res.data.detail).toMatch(/name/);
      });

      it('an unknown route → 404 problem', async () => {
        const res = await failure(axios.get(`${server.baseUrl}/apis/nothing/here`));
        expect(res.status).toBe(404);
        expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
      });
    });

    describe('login throttling', () => {
      it('locks an (account, client) after 10 failures in 15 minutes (429 with Retry-After), successes not counted, then lifts', async () => {
        await seedUser(server.dataSource, { name: 'target', password: 'target-password' });
        for (let i = 0; i < 10; i++) {
          const res = await failure(axios.post(`${server.baseUrl}/login`, { username: 'target', password: `wrong-${i}` }));
          expect(res.status).toBe(401);
        }
        const locked = await failure(axios.post(`${server.baseUrl}/login`, { username: 'target', password: 'target-password' }));
        expect(locked.status).toBe(429);
        expect(locked.data.type).toBe('https://halo.run/probs/request-not-permitted');
        expect(Number(locked.headers['retry-after']) > 0).toBeTruthy();
        server.clock.advance(15 * 60_000 + 1);
        const ok = await axios.post(`${server.baseUrl}/login`, { username: 'target', password: 'target-password' });
        expect(ok.status).toBe(200);
      });

      it('limits one client address to 60 attempts a minute', async () => {
        server.clock.advance(60_001);
        let limited = 0;
        for (let i = 0; i < 62; i++) {
          const res = await axios.post(`${server.baseUrl}/login`, { username: `someone-${i}`, password: 'x' }, { validateStatus: () => true });
          if (res.status === 429) {
            limited++;
          }
        }
        expect(limited).toBe(2);
        server.clock.advance(60_001);
      });
    });

    describe('HTTP Basic', () => {
      it('is ignored by default', async () => {
        const basic = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
        const res = await failure(axios.get(`${server.baseUrl}/apis/api.console.halo.run/v1alpha1/users/admin`, { headers: { Authorization: basic } }));
        expect(res.status).toBe(401);
      });
    });

    describe('logs', () => {
      it('have one line per request, with secret query values redacted', async () => {
        await axios.get(`${server.baseUrl}/actuator/health?token=query-secret-value&page=2`);
        const log = readFileSync(server.logFile, 'utf8');
        const line = log.split('\n').find((l) => l.includes('"msg":"request completed"') && l.includes('/actuator/health?'));
        expect(line).toBeTruthy(); // a request line was logged
        expect(line).toMatch(/token=%5BRedacted%5D/);
        expect(line).toMatch(/page=2/);
        expect(log.includes('query-secret-value')).toBe(false);
      });

      it('tie an unexpected error to its request by the request id, and say nothing else of the request', async () => {
        // A table a read needs is gone for a moment: an error no rule maps, so a bare 500.
        await server.dataSource.query('ALTER TABLE audit_events RENAME TO audit_events_away');
        let answer;
        try {
          answer = await failure(admin.http.get('/apis/api.console.halo.run/v1alpha1/audit-events', { params: { secretish: 'query-value-7f3a' } }));
        } finally {
          await server.dataSource.query('ALTER TABLE audit_events_away RENAME TO audit_events');
        }
        expect(answer.status).toBe(500);
        const requestId = (answer.data as { requestId?: string }).requestId!;
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
        const lines = readFileSync(server.logFile, 'utf8').split('\n').filter((line) => line.includes(requestId));
        const errorLine = lines.find((line) => line.includes('"level":50'));
        expect(errorLine).toContain(`(request ${requestId})`);
        expect(errorLine).toMatch(/audit_events/); // the cause
        expect(errorLine).not.toContain('query-value-7f3a');
        expect(errorLine).not.toContain(admin.http.cookies.get('SESSION')!);
        expect(lines.some((line) => line.includes('"msg":"request completed"') && line.includes('"statusCode":500'))).toBe(true);
        // Nothing is broken once the table is back.
        expect((await admin.http.get('/apis/api.console.halo.run/v1alpha1/audit-events')).status).toBe(200);
      });

      it('never contain passwords, session cookies or tokens', async () => {
        const log = readFileSync(server.logFile, 'utf8');
        expect(log.includes('"msg":"request completed"')).toBeTruthy(); // the server logged requests
        expect(log.includes(ADMIN_PASSWORD)).toBe(false);
        expect(log.includes('nobody-password')).toBe(false);
        expect(log.includes(admin.http.cookies.get('SESSION')!)).toBe(false);
        expect(/pat_[A-Za-z0-9_-]{20,}/.test(log)).toBe(false);
      });
    });
  });
}

describe('sessions survive a restart', () => {
  for (const kind of testDatabases()) {
    it(`on ${kind}`, async () => {
      const db = await createTestDatabase(kind);
      try {
        const first = await startTestServer(db);
        const me = await loginAs(first.baseUrl, 'admin', ADMIN_PASSWORD);
        const cookie = me.http.cookies.get('SESSION')!;
        await first.close();
        const second = await startTestServer(db);
        try {
          const again = haloClients(consoleAxios(second.baseUrl, { Cookie: `SESSION=${cookie}` }));
          const { data } = await again.console.user.getCurrentUserDetail();
          expect(data.user.metadata.name).toBe('admin');
        } finally {
          await second.close();
        }
      } finally {
        await db.drop();
      }
    });
  }
});
