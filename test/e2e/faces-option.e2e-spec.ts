import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/test-server';

const get = (server: TestServer, path: string) => axios.get(`${server.baseUrl}${path}`, { validateStatus: () => true });
const post = (server: TestServer, path: string, body: string) =>
  axios.post(`${server.baseUrl}${path}`, body, { headers: { 'Content-Type': 'application/json' }, validateStatus: () => true });

for (const kind of testDatabases()) {
  describe(`the faces option on ${kind}`, () => {
    describe('all faces (the default)', () => {
      let db: TestDatabase;
      let server: TestServer;

      before(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db);
      });

      after(async () => {
        await server?.close();
        await db?.drop();
      });

      it("answers errors raised before a controller in the format of the face owning the path", async () => {
        const zitadel = await get(server, '/v2/no-such-route');
        assert.equal(zitadel.status, 404);
        assert.equal(typeof zitadel.data.code, 'number', 'ZITADEL {code, message}');
        assert.equal(typeof zitadel.data.message, 'string');

        const authentik = await get(server, '/api/v3/no-such-route/');
        assert.equal(authentik.status, 404);
        assert.doesNotMatch(String(authentik.headers['content-type']), /problem\+json/, 'not a Halo problem');
        assert.equal(typeof authentik.data.detail, 'string', 'authentik {detail}');

        const fresns = await get(server, '/api/v2/no-such-route');
        assert.equal(fresns.status, 404);
        assert.deepEqual(fresns.data, { code: 404, message: 'Not Found', data: null }, 'a Fresns envelope');

        const halo = await get(server, '/apis/no.such.group/v1alpha1/things');
        assert.equal(halo.status, 404);
        assert.match(String(halo.headers['content-type']), /^application\/problem\+json/);
      });

      it('mounts every face', async () => {
        assert.equal((await get(server, '/api/v3/core/users/')).status, 401, 'authentik: 401 without credentials');
        assert.equal((await get(server, '/apis/api.console.halo.run/v1alpha1/users')).status, 401);
      });
    });

    describe("faces: ['halo']", () => {
      let db: TestDatabase;
      let server: TestServer;

      before(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db, { overrides: { faces: ['halo'] } });
      });

      after(async () => {
        await server?.close();
        await db?.drop();
      });

      it('mounts Halo only: other faces are unknown routes, answered as Halo problems', async () => {
        assert.equal((await get(server, '/apis/api.console.halo.run/v1alpha1/users')).status, 401, 'Halo is mounted');
        for (const path of ['/api/v3/core/users/', '/v2/users/1', '/api/v2/common/access-token']) {
          const response = await get(server, path);
          assert.equal(response.status, 404, path);
          assert.match(String(response.headers['content-type']), /^application\/problem\+json/, path);
        }
        const anqicms = await post(server, '/api/verify/email', '{"email":"a@example.test"}');
        assert.equal(anqicms.status, 404);
      });

      it('keeps the core routes: login and health', async () => {
        assert.equal((await get(server, '/actuator/health')).status, 200);
        const login = await axios.post(`${server.baseUrl}/login`, { username: 'nobody', password: 'wrong-password' }, {
          headers: { Accept: 'application/json' },
          validateStatus: () => true,
        });
        assert.equal(login.status, 401);
      });
    });
  });
}
