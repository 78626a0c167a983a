import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { anonymous, consoleAxios, failure, loginAs, rawRequest } from '../support/http';
import { imageFile, PNG_1X1 } from '../support/images';
import { seedUser } from '../support/seed';
import { EXPRESS_ADMIN_PASSWORD, ExpressHost, startExpressHost } from './express-host';

describe('the library on an Express host', () => {
  let host: ExpressHost;

  before(async () => {
    host = await startExpressHost();
    await seedUser(host.dataSource, { name: 'nobody', password: 'nobody-password' });
  });

  after(async () => {
    await host?.close();
  });

  it('logs in through POST /login and returns the admin from GET /users/-', async () => {
    const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const cookie = admin.http.cookies.get('SESSION');
    assert.ok(cookie, 'SESSION cookie set');
    const { data } = await admin.console.user.getCurrentUserDetail();
    assert.equal(data.user.metadata.name, 'admin');
    assert.deepEqual(data.roles.map((r) => r.metadata.name), ['super-role']);
    assert.equal(JSON.stringify(data).includes('argon2'), false);
  });

  it('answers a JSON login with the principal', async () => {
    const res = await axios.post(`${host.baseUrl}/login`, { username: 'admin', password: EXPRESS_ADMIN_PASSWORD });
    assert.equal(res.status, 200);
    assert.equal(res.data.username, 'admin');
    const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('SESSION='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/);
  });

  it('wrong credentials → 401 invalid-credential problem', async () => {
    const res = await failure(axios.post(`${host.baseUrl}/login`, { username: 'admin', password: 'wrong-password' }));
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.data.type, 'https://halo.run/probs/invalid-credential');
  });

  it('anonymous on a protected route → 401 problem, never a redirect', async () => {
    const res = await failure(anonymous(host.baseUrl).console.user.getUserDetail({ name: 'admin' }));
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.headers['www-authenticate'], 'FormLogin realm="console"');
    assert.equal(res.data.status, 401);
    assert.equal(res.data.instance, '/apis/api.console.halo.run/v1alpha1/users/admin');
  });

  it('a user without roles → 403 problem', async () => {
    const nobody = await loginAs(host.baseUrl, 'nobody', 'nobody-password');
    const res = await failure(nobody.console.user.getUserDetail({ name: 'admin' }));
    assert.equal(res.status, 403);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  });

  it('logout ends the session', async () => {
    const me = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const cookie = me.http.cookies.get('SESSION')!;
    await me.http.post('/logout');
    const replay = consoleAxios(host.baseUrl, { Cookie: `SESSION=${cookie}` });
    assert.equal((await failure(replay.get('/apis/api.console.halo.run/v1alpha1/users/admin'))).status, 401);
  });

  it('malformed JSON → 400, wrong or missing Content-Type → 415, too large → 413, unknown route → 404: all problems', async () => {
    const url = `${host.baseUrl}/login`;
    const malformed = await failure(axios.post(url, '{"username":', { headers: { 'Content-Type': 'application/json' } }));
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.headers['content-type']), /application\/problem\+json/);
    const media = await failure(axios.post(url, 'username=admin', { headers: { 'Content-Type': 'text/plain' } }));
    assert.equal(media.status, 415);
    const bare = await rawRequest(url, 'POST', { 'Content-Length': '20' }, '{"username":"admin"}');
    assert.equal(bare.status, 415, 'a body without Content-Type');
    assert.match(String(bare.headers['content-type']), /application\/problem\+json/);
    const big = await failure(axios.post(url, { username: 'admin', password: 'x'.repeat(20 * 1024) }));
    assert.equal(big.status, 413, 'a login body over 16 KiB');
    assert.match(String(big.headers['content-type']), /application\/problem\+json/);
    const missing = await failure(axios.get(`${host.baseUrl}/apis/nothing/here`));
    assert.equal(missing.status, 404);
    assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
  });

  it('takes an avatar upload without @fastify/multipart, checks it and serves it', async () => {
    const admin = await loginAs(host.baseUrl, 'admin', EXPRESS_ADMIN_PASSWORD);
    const { data } = await admin.console.user.uploadUserAvatar({ name: '-', file: imageFile(PNG_1X1, 'me.png') });
    const path = new URL(data.spec.avatar!).pathname;
    assert.match(path, /^\/avatars\/[0-9a-f]{32}\.png$/);
    const served = await axios.get(`${host.baseUrl}${path}`, { responseType: 'arraybuffer' });
    assert.equal(served.headers['content-type'], 'image/png');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(Buffer.from(served.data), PNG_1X1);
    const fake = await failure(admin.console.user.uploadUserAvatar({ name: '-', file: imageFile(Buffer.from('<svg/>'), 'x.png') }));
    assert.equal(fake.status, 400);
    assert.equal(fake.data.detail, 'Only PNG, JPEG and GIF images are accepted as avatars.');
    const form = new FormData();
    form.append('avatar', imageFile(PNG_1X1, 'me.png'));
    const noPart = await failure(admin.http.post('/apis/api.console.halo.run/v1alpha1/users/-/avatar', form));
    assert.equal(noPart.status, 400);
    assert.equal(noPart.data.detail, 'No file part found in the request');
  });

  it('serves health', async () => {
    const res = await axios.get(`${host.baseUrl}/actuator/health`);
    assert.deepEqual(res.data, { status: 'UP', components: { db: { status: 'UP' } } });
  });
});
