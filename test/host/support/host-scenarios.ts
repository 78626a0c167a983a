import axios from 'axios';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { consoleAxios, failure, haloClients, HaloClients, rawRequest } from '../../support/http';
import { HOST_JWT_SECRET, RunningHost, startHost } from './host-process';
import type { HostApp } from './host-workspace';

/** How a host app differs from the other. */
export interface HostTraits {
  /** The host logs in with the HTML form's body (both platforms parse it without a plugin); else JSON. */
  formLogin: boolean;
  /** The host installs its own catch-all filter answering `{ hostError: status }`. */
  hostErrorFilter: boolean;
  /** The host serves the packaged admin UI at /console/ (the host guide's Express recipe). */
  servesConsoleUi: boolean;
}

/** An HS256 JWT, as the host's own auth service would issue it. */
function hostJwt(subject: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: subject, iat: Math.floor(Date.now() / 1000) })}`;
  return `${unsigned}.${createHmac('sha256', HOST_JWT_SECRET).update(unsigned).digest('base64url')}`;
}

async function logIn(host: RunningHost, traits: HostTraits, username: string, password: string): Promise<HaloClients> {
  const http = consoleAxios(host.baseUrl);
  if (traits.formLogin) {
    await http.post('/login', new URLSearchParams({ username, password }).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  } else {
    await http.post('/login', { username, password });
  }
  return haloClients(http);
}

/** The code in the newest dev-mailbox mail to `address`, waiting for the outbox to deliver it. */
async function mailedCode(host: RunningHost, address: string): Promise<string> {
  const dir = join(host.dataDir, 'mail');
  for (let i = 0; i < 200; i++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.eml')) : [];
    for (const file of files.sort().reverse()) {
      const mail = await simpleParser(readFileSync(join(dir, file)));
      const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
      if (to.some((entry) => entry.value.some((v) => v.address === address))) {
        const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
        if (code) return code;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${address} in ${dir}`);
}

/**
 * What a host app that installed the packed library must do, driven with the real Halo client:
 * log in with the password the library printed, read the current user, list users, verify an
 * email through the dev mailbox, guard the host's own routes with our strategies and guard, run
 * its own passport-jwt strategy next to ours, and keep each side's error format.
 */
export function describeHost(app: HostApp, traits: HostTraits): void {
  describe(`the packed library in the ${app} host`, () => {
    let host: RunningHost;
    let admin: HaloClients;

    beforeAll(async () => {
      host = await startHost(app);
      admin = await logIn(host, traits, 'admin', host.adminPassword);
    });

    afterAll(async () => {
      await host?.stop();
    });

    it('printed the generated first-admin password once, through the host logger', () => {
      expect(host.output().match(/Password \(shown only this once\)/g)).toHaveLength(1);
      expect(host.output()).toMatch(/ConsoleUsersBootstrap/); // Nest's logger context
    });

    it('logs in and answers the current user and the user list', async () => {
      const me = await admin.console.user.getCurrentUserDetail();
      expect(me.data.user.metadata.name).toBe('admin');
      expect(me.data.roles.map((role) => role.metadata.name)).toEqual(['super-role']);
      await admin.console.user.createUser({ createUserRequest: { name: 'plain', email: 'plain@host.example.test', password: 'plain-password', roles: [] } });
      const list = await admin.console.user.listUsers({});
      expect(list.data.items.map((item) => item.user.metadata.name)).toEqual(expect.arrayContaining(['admin', 'plain']));
      // The other body the login takes: JSON after a form login, a form after a JSON one.
      const other = await logIn(host, { ...traits, formLogin: !traits.formLogin }, 'plain', 'plain-password');
      expect((await other.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('plain');
    });

    it('sends an email code through the dev mailbox and verifies it', async () => {
      const address = `admin@${app}.example.test`;
      await admin.console.user.sendEmailVerificationCode({ emailVerifyRequest: { email: address } });
      const code = await mailedCode(host, address);
      await admin.console.user.verifyEmail({ verifyCodeRequest: { code, password: host.adminPassword } });
      const me = await admin.console.user.getCurrentUserDetail();
      expect(me.data.user.spec.email).toBe(address);
      expect(me.data.user.spec.emailVerified).toBe(true);
    });

    it("guards the host's own routes with AuthGuard('console-session') and ConsolePermissionGuard (401, 403, 200)", async () => {
      expect((await admin.http.get('/host/session')).data).toEqual({ name: 'admin' });
      expect((await failure(axios.get(`${host.baseUrl}/host/session`))).status).toBe(401);
      expect((await failure(axios.get(`${host.baseUrl}/host/reports`))).status).toBe(401);
      const plain = await logIn(host, traits, 'plain', 'plain-password');
      expect((await failure(plain.http.get('/host/reports'))).status).toBe(403);
      expect((await admin.http.get('/host/reports')).data).toEqual({ name: 'admin' });
    });

    it("refuses a cross-site POST with the session cookie on the host's own guarded route (CSRF), and lets a same-site one through", async () => {
      const crossSite = await failure(admin.http.post('/host/reports', {}, { headers: { Origin: 'https://evil.example' } }));
      expect(crossSite.status).toBe(403);
      // A host with its own exception filter answers in its own words; Nest's default keeps ours.
      expect(JSON.stringify(crossSite.data)).toMatch(traits.hostErrorFilter ? /hostError/ : /Cross-site request refused/);
      const sameSite = await admin.http.post('/host/reports', {}, { headers: { Origin: 'http://host.example.test' } });
      expect(sameSite.data).toEqual({ orderedBy: 'admin' });
    });

    it("runs the host's own passport-jwt strategy next to ours", async () => {
      const jwt = await axios.get(`${host.baseUrl}/host/either`, { headers: { Authorization: `Bearer ${hostJwt('someone')}` } });
      expect(jwt.data).toEqual({ via: 'jwt:someone' });
      expect((await admin.http.get('/host/either')).data).toEqual({ via: 'console:admin' });
      expect((await failure(axios.get(`${host.baseUrl}/host/either`))).status).toBe(401);
    });

    if (traits.servesConsoleUi) {
      it('serves the packaged admin UI at /console/, with its security headers and the SPA fallback', async () => {
        const index = await axios.get(`${host.baseUrl}/console/`);
        expect(String(index.headers['content-type'])).toMatch(/text\/html/);
        expect(index.headers['content-security-policy']).toMatch(/default-src 'self'/);
        const script = /src="\/console\/(assets\/[^"]+\.js)"/.exec(index.data)?.[1];
        expect(script).toBeTruthy();
        const asset = await axios.get(`${host.baseUrl}/console/${script}`);
        expect(asset.headers['cache-control']).toMatch(/immutable/);
        const deep = await axios.get(`${host.baseUrl}/console/users/alice`);
        expect(deep.data).toBe(index.data);
      });
    }

    it("answers errors on the library's paths in the face's format, and on the host's paths in the host's", async () => {
      const halo = await failure(admin.http.get('/apis/api.console.halo.run/v1alpha1/users/nobody-here'));
      expect(halo.status).toBe(404);
      expect(String(halo.headers['content-type'])).toMatch(/application\/problem\+json/);
      // node:http, not axios: axios would turn an unparsable JSON string into a valid JSON string literal.
      const cookie = `SESSION=${admin.http.cookies.get('SESSION')}`;
      const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
      const zitadel = await rawRequest(`${host.baseUrl}/v2/users/1/email/send`, 'POST', { ...json, Cookie: cookie }, '{"returnCode":');
      expect(zitadel.status).toBe(400);
      expect(JSON.parse(zitadel.body)).toEqual({ code: 3, message: expect.any(String), details: expect.any(Array) });
      const echo = await rawRequest(`${host.baseUrl}/host/echo`, 'POST', json, '{"x":');
      expect(echo.status).toBe(400);
      const unknown = await failure(axios.get(`${host.baseUrl}/host-nothing`));
      expect(unknown.status).toBe(404);
      if (traits.hostErrorFilter) {
        expect(JSON.parse(echo.body)).toEqual({ hostError: 400 });
        expect(unknown.data).toEqual({ hostError: 404 });
      } else {
        expect(JSON.parse(echo.body)).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(unknown.data).toEqual({ statusCode: 404, message: 'Cannot GET /host-nothing', error: 'Not Found' });
      }
    });
  });
}
