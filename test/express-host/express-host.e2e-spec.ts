import axios from 'axios';
import { anonymous, consoleAxios, failure, loginAs, rawRequest } from '../support/http';
import { imageFile, PNG_1X1 } from '../support/images';
import { seedUser } from '../support/seed';
import type { LoggerService } from '@nestjs/common';
import { EXPRESS_ADMIN_PASSWORD, ExpressHost, startExpressHost } from './express-host';
import { signHostJwt } from './host-routes';

describe('the library on an Express host', () => {
  let host: ExpressHost;

  beforeAll(async () => {
    host = await startExpressHost();
    await seedUser(host.dataSource, { name: 'nobody', password: 'nobody-password' });
  });

  afterAll(async () => {
    await host?.close();
  });

  it('logs in through POST /login and returns the admin from GET /users/-', async () => {
    const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const cookie = admin.http.cookies.get('SESSION');
    expect(cookie).toBeTruthy(); // SESSION cookie set
    const { data } = await admin.console.user.getCurrentUserDetail();
    expect(data.user.metadata.name).toBe('admin');
    expect(data.roles.map((r) => r.metadata.name)).toEqual(['super-role']);
    expect(JSON.stringify(data).includes('argon2')).toBe(false);
  });

  it('answers a JSON login with the principal', async () => {
    const res = await axios.post(`${host.baseUrl}/login`, { username: 'admin', password: EXPRESS_ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.data.username).toBe('admin');
    const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
    expect(cookie).toBeTruthy();
    expect(cookie).toMatch(/HttpOnly/);
  });

  it('wrong credentials → 401 invalid-credential problem', async () => {
    const res = await failure(axios.post(`${host.baseUrl}/login`, { username: 'admin', password: 'wrong-password' }));
    expect(res.status).toBe(401);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
    expect(res.data.type).toBe('https://halo.run/probs/invalid-credential');
  });

  it('anonymous on a protected route → 401 problem, never a redirect', async () => {
    const res = await failure(anonymous(host.baseUrl).console.user.getUserDetail({ name: 'admin' }));
    expect(res.status).toBe(401);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('FormLogin realm="console"');
    expect(res.data.status).toBe(401);
    expect(res.data.instance).toBe('/apis/api.console.halo.run/v1alpha1/users/admin');
  });

  it('a user without roles → 403 problem', async () => {
    const nobody = await loginAs(host.baseUrl, 'nobody', 'nobody-password');
    const res = await failure(nobody.console.user.getUserDetail({ name: 'admin' }));
    expect(res.status).toBe(403);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
  });

  it('logout ends the session', async () => {
    const me = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const cookie = me.http.cookies.get('SESSION')!;
    await me.http.post('/logout');
    const replay = consoleAxios(host.baseUrl, { Cookie: `SESSION=${cookie}` });
    expect((await failure(replay.get('/apis/api.console.halo.run/v1alpha1/users/admin'))).status).toBe(401);
  });

  it('malformed JSON → 400, wrong or missing Content-Type → 415, too large → 413, unknown route → 404: all problems', async () => {
    const url = `${host.baseUrl}/login`;
    const malformed = await failure(axios.post(url, '{"username":', { headers: { 'Content-Type': 'application/json' } }));
    expect(malformed.status).toBe(400);
    expect(String(malformed.headers['content-type'])).toMatch(/application\/problem\+json/);
    const media = await failure(axios.post(url, 'username=admin', { headers: { 'Content-Type': 'text/plain' } }));
    expect(media.status).toBe(415);
    const bare = await rawRequest(url, 'POST', { 'Content-Length': '20' }, '{"username":"admin"}');
    expect(bare.status).toBe(415); // a body without Content-Type
    expect(String(bare.headers['content-type'])).toMatch(/application\/problem\+json/);
    const big = await failure(axios.post(url, { username: 'admin', password: 'x'.repeat(20 * 1024) }));
    expect(big.status).toBe(413); // a login body over 16 KiB
    expect(String(big.headers['content-type'])).toMatch(/application\/problem\+json/);
    const missing = await failure(axios.get(`${host.baseUrl}/apis/nothing/here`));
    expect(missing.status).toBe(404);
    expect(String(missing.headers['content-type'])).toMatch(/application\/problem\+json/);
  });

  it('takes an avatar upload without @fastify/multipart, checks it and serves it', async () => {
    const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const { data } = await admin.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'me.png') });
    const path = new URL(data.spec.avatar!).pathname;
    expect(path).toMatch(/^\/avatars\/[0-9a-f]{32}\.png$/);
    const served = await axios.get(`${host.baseUrl}${path}`, { responseType: 'arraybuffer' });
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(served.data)).toEqual(PNG_1X1);
    const fake = await failure(admin.console.user.uploadUserAvatar({ name: '-', file: imageFile(Buffer.from('<svg/>'), 'x.png') }));
    expect(fake.status).toBe(400);
    expect(fake.data.detail).toBe('Only PNG, JPEG and GIF images are accepted as avatars.');
    const form = new FormData();
    form.append('avatar', imageFile(PNG_1X1, 'me.png'));
    const noPart = await failure(admin.http.post('/apis/api.console.halo.run/v1alpha1/users/-/avatar', form));
    expect(noPart.status).toBe(400);
    expect(noPart.data.detail).toBe('No file part found in the request');
  });

  it('serves health', async () => {
    const res = await axios.get(`${host.baseUrl}/actuator/health`);
    expect(res.data).toEqual({ status: 'UP', components: { db: { status: 'UP' } } });
  });

  describe("the host's own routes", () => {
    it("AuthGuard('console-session') admits a console login and refuses others in Nest's format", async () => {
      const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
      expect((await admin.http.get('/host/session')).data).toEqual({ name: 'admin' });
      const anon = await failure(axios.get(`${host.baseUrl}/host/session`));
      expect(anon.status).toBe(401);
      expect(anon.data).toEqual({ statusCode: 401, message: 'Unauthorized' });
    });

    it('ConsolePermissionGuard: 401 without credentials, 403 without the permission, then the happy path', async () => {
      const anon = await failure(axios.get(`${host.baseUrl}/host/reports`));
      expect(anon.status).toBe(401);
      expect(anon.data.statusCode).toBe(401);
      const nobody = await loginAs(host.baseUrl, 'nobody', 'nobody-password');
      const denied = await failure(nobody.http.get('/host/reports'));
      expect(denied.status).toBe(403);
      expect(denied.data).toEqual({ statusCode: 403, message: 'Access Denied' });
      const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
      expect((await admin.http.get('/host/reports')).data).toEqual({ name: 'admin' });
    });

    it("the host's own passport-jwt strategy works next to ours, alone or combined", async () => {
      const jwt = { Authorization: `Bearer ${signHostJwt('host-user')}` };
      expect((await axios.get(`${host.baseUrl}/host/jwt`, { headers: jwt })).data).toEqual({ via: 'jwt', subject: 'host-user' });
      const forged = await failure(axios.get(`${host.baseUrl}/host/jwt`, { headers: { Authorization: `Bearer ${signHostJwt('x', 'not-the-secret')}` } }));
      expect(forged.status).toBe(401);
      expect((await axios.get(`${host.baseUrl}/host/either`, { headers: jwt })).data).toEqual({ via: 'jwt' });
      const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
      expect((await admin.http.get('/host/either')).data).toEqual({ via: 'console:admin' });
      expect((await failure(axios.get(`${host.baseUrl}/host/either`))).status).toBe(401);
    });
  });

  describe('error formats: the faces on our paths, the host elsewhere (no filter installed by the host)', () => {
    it("unreadable JSON on a ZITADEL path is a ZITADEL error, on the host's route Nest's default", async () => {
      const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
      // node:http, not axios: axios would turn an unparsable JSON string into a valid JSON string literal.
      const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
      const zitadel = await rawRequest(`${host.baseUrl}/v2/users/1/email/send`, 'POST', { ...json, Cookie: `SESSION=${admin.http.cookies.get('SESSION')}` }, '{"returnCode":');
      expect(zitadel.status).toBe(400);
      expect(JSON.parse(zitadel.body)).toEqual({ code: 3, message: expect.any(String), details: expect.any(Array) });
      const own = await rawRequest(`${host.baseUrl}/host/echo`, 'POST', json, '{"x":');
      expect(own.status).toBe(400);
      expect(String(own.headers['content-type'])).not.toMatch(/problem/);
      expect(JSON.parse(own.body)).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it("an unknown route under a face's prefix is the face's 404; any other unknown route is the host's", async () => {
      const ours = await failure(axios.get(`${host.baseUrl}/v2/nothing-here`));
      expect(ours.status).toBe(404);
      expect(ours.data.code).toBe(5);
      const hosts = await failure(axios.get(`${host.baseUrl}/nothing-here`));
      expect(hosts.status).toBe(404);
      expect(hosts.data).toEqual({ statusCode: 404, message: 'Cannot GET /nothing-here', error: 'Not Found' });
    });
  });
});

describe('the first admin of a host without onAdminCreated', () => {
  it("prints the generated password once through the host's logger, and it logs in", async () => {
    const warnings: string[] = [];
    const logger: LoggerService = {
      log: () => undefined,
      error: () => undefined,
      warn: (message: unknown) => void warnings.push(String(message)),
    };
    const host = await startExpressHost({ adminPassword: null, logger });
    try {
      const banners = warnings.filter((w) => w.includes('Password (shown only this once)'));
      expect(banners).toHaveLength(1);
      const password = /Password \(shown only this once\): (\S+)/.exec(banners[0]!)![1]!;
      const admin = await loginAs(host.baseUrl, 'admin', password);
      expect((await admin.console.user.getCurrentUserDetail()).data.user.metadata.name).toBe('admin');
    } finally {
      await host.close();
    }
  });
});
