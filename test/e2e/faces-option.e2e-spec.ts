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

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db);
      });

      afterAll(async () => {
        await server?.close();
        await db?.drop();
      });

      it("answers errors raised before a controller in the format of the face owning the path", async () => {
        const zitadel = await get(server, '/v2/no-such-route');
        expect(zitadel.status).toBe(404);
        expect(typeof zitadel.data.code).toBe('number'); // ZITADEL {code, message}
        expect(typeof zitadel.data.message).toBe('string');

        const authentik = await get(server, '/api/v3/no-such-route/');
        expect(authentik.status).toBe(404);
        expect(String(authentik.headers['content-type'])).not.toMatch(/problem\+json/); // not a Halo problem
        expect(typeof authentik.data.detail).toBe('string'); // authentik {detail}

        const fresns = await get(server, '/api/v2/no-such-route');
        expect(fresns.status).toBe(404);
        expect(fresns.data).toEqual({ code: 404, message: 'Not Found', data: null }); // a Fresns envelope

        const halo = await get(server, '/apis/no.such.group/v1alpha1/things');
        expect(halo.status).toBe(404);
        expect(String(halo.headers['content-type'])).toMatch(/^application\/problem\+json/);
      });

      it('mounts every face', async () => {
        expect((await get(server, '/api/v3/core/users/')).status).toBe(401); // authentik: 401 without credentials
        expect((await get(server, '/apis/api.console.halo.run/v1alpha1/users')).status).toBe(401);
      });
    });

    describe("faces: ['halo']", () => {
      let db: TestDatabase;
      let server: TestServer;

      beforeAll(async () => {
        db = await createTestDatabase(kind);
        server = await startTestServer(db, { overrides: { faces: ['halo'] } });
      });

      afterAll(async () => {
        await server?.close();
        await db?.drop();
      });

      it('mounts Halo only: other faces are unknown routes, answered as Halo problems', async () => {
        expect((await get(server, '/apis/api.console.halo.run/v1alpha1/users')).status).toBe(401); // Halo is mounted
        for (const path of ['/api/v3/core/users/', '/v2/users/1', '/api/v2/common/access-token']) {
          const response = await get(server, path);
          expect(response.status).toBe(404);
          expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
        }
        const anqicms = await post(server, '/api/verify/email', '{"email":"a@example.test"}');
        expect(anqicms.status).toBe(404);
      });

      it('keeps the core routes: login and health', async () => {
        expect((await get(server, '/actuator/health')).status).toBe(200);
        const login = await axios.post(`${server.baseUrl}/login`, { username: 'nobody', password: 'wrong-password' }, {
          headers: { Accept: 'application/json' },
          validateStatus: () => true,
        });
        expect(login.status).toBe(401);
      });
    });
  });
}
