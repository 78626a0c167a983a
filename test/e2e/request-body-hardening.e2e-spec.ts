import { readFileSync } from 'node:fs';
import { createPat } from '../support/accounts';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { loginAs, rawRequest, RawResponse } from '../support/http';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

/** `[[[…]]]` nested `levels` deep (a scalar inside), as the probe sent it. */
const nested = (levels: number): string => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

/** Every face's shape of "your body nests too deep", checked on one route of each. */
interface FaceRoute {
  face: string;
  method: string;
  path: string;
  /** Wraps the deep value into the route's body. */
  body: (deep: string) => string;
  /** Levels of objects around the deep value in {@link body}. */
  wrapping?: number;
  headers?: () => Record<string, string>;
  /** Asserts the face's own error format for a refused body. */
  refused: (res: RawResponse, status: number) => void;
}

for (const kind of testDatabases()) {
  // Issue 14 items 4 and 7: bodies nested thousands of levels deep (a stack overflow and a 500
  // with a stack in the log before) and bodies declared in a charset other than UTF-8.
  describe(`request body hardening on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let cookie: string;
    let pat: string;

    const routes: FaceRoute[] = [
      {
        face: 'Halo (public login)',
        method: 'POST',
        path: '/login',
        body: (deep) => `{"username":${deep},"password":"x"}`,
        headers: () => ({ Accept: 'application/json' }),
        refused: (res, status) => {
          expect(res.status).toBe(status);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(res.body)).toMatchObject({ status });
        },
      },
      {
        face: 'Halo (signed-in console)',
        method: 'PUT',
        path: '/apis/api.console.halo.run/v1alpha1/users/-',
        body: (deep) => `{"metadata":{"name":"admin","version":0},"spec":{"displayName":"A","bio":${deep}}}`,
        wrapping: 2,
        headers: () => ({ Cookie: cookie, 'X-Requested-With': 'XMLHttpRequest' }),
        refused: (res, status) => {
          expect(res.status).toBe(status);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(res.body)).toMatchObject({ status });
        },
      },
      {
        face: 'ZITADEL',
        method: 'POST',
        path: '/v2/users/1/email/verify',
        body: (deep) => `{"verificationCode":${deep}}`,
        refused: (res, status) => {
          expect(res.status).toBe(status);
          const body = JSON.parse(res.body);
          expect(body).toMatchObject({ code: 3 });
          expect(typeof body.message).toBe('string');
          expect(Array.isArray(body.details)).toBe(true);
        },
      },
      {
        face: 'authentik',
        method: 'POST',
        path: '/api/v3/core/users/1/recovery/',
        body: (deep) => `{"token_duration":${deep}}`,
        headers: () => ({ Authorization: `Bearer ${pat}` }),
        refused: (res, status) => {
          expect(res.status).toBe(status);
          const body = JSON.parse(res.body);
          expect(typeof (body.detail ?? body.non_field_errors?.[0])).toBe('string');
        },
      },
      {
        face: 'Fresns',
        method: 'POST',
        path: '/api/v2/common/send-verify-code',
        body: (deep) => `{"type":"email","useType":2,"templateId":5,"account":${deep}}`,
        // Fresns answers every error with HTTP 200 and an envelope code.
        refused: (res) => {
          expect(res.status).toBe(200);
          const body = JSON.parse(res.body);
          expect(body.code).toBeGreaterThanOrEqual(30000);
          expect(body.data).toBeNull();
        },
      },
      {
        face: 'AnqiCMS',
        method: 'POST',
        path: '/api/verify/email',
        body: (deep) => `{"email":${deep},"state":"reset"}`,
        refused: (res) => {
          expect(res.status).toBe(200);
          expect(JSON.parse(res.body)).toMatchObject({ code: -1 });
        },
      },
    ];

    const send = (route: FaceRoute, body: string, contentType = 'application/json') =>
      rawRequest(`${server.baseUrl}${route.path}`, route.method, {
        'Content-Type': contentType,
        'Content-Length': String(Buffer.byteLength(body)),
        ...(route.headers?.() ?? {}),
      }, body);

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db, { env: { TRUST_PROXY: '127.0.0.1' } });
      const admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      cookie = [...admin.http.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      pat = await createPat(admin, ['super-role']);
    });

    afterAll(async () => {
      await server?.close();
      await db?.drop();
    });

    describe.each(routes)('$face', (route) => {
      it('5,000 levels of [ in 10 kB: refused in the face format, no 500', async () => {
        const res = await send(route, route.body(nested(5_000)));
        route.refused(res, 400);
        expect(res.body).toMatch(/32 levels/);
      });

      it('33 levels are refused as too deep; 32 levels reach validation', async () => {
        const wrapping = route.wrapping ?? 1;
        const over = await send(route, route.body(nested(33 - wrapping)));
        route.refused(over, 400);
        expect(over.body).toMatch(/32 levels/);
        // 32 levels in all: past the guard, to the route's own rules.
        const within = await send(route, route.body(nested(32 - wrapping)));
        expect(within.status).toBeLessThan(500);
        expect(within.body).not.toMatch(/32 levels/);
      });

      it('charset=utf-16 is 415 (was read as UTF-8); utf-8 in any spelling is accepted', async () => {
        const body = route.body('"x"');
        const utf16 = await rawRequest(
          `${server.baseUrl}${route.path}`,
          route.method,
          { 'Content-Type': 'application/json; charset=utf-16', ...(route.headers?.() ?? {}) },
          body,
        );
        route.refused(utf16, 415);
        expect(utf16.body).toMatch(/UTF-8/);
        for (const spelling of ['application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/json; charset=utf8']) {
          const ok = await send(route, body, spelling);
          expect(ok.status === 415 || /UTF-8/.test(ok.body)).toBe(false);
        }
      });
    });

    it('a UTF-16 encoded body with charset=utf-16 is 415 too, not a parse error', async () => {
      const bytes = Buffer.from('{"username":"admin","password":"x"}', 'utf16le');
      const res = await new Promise<RawResponse>((resolve, reject) => {
        // rawRequest writes strings; this body is bytes.
        const request = require('node:http').request(
          `${server.baseUrl}/login`,
          { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-16le', Accept: 'application/json', 'Content-Length': String(bytes.length) } },
          (response: import('node:http').IncomingMessage) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
          },
        );
        request.on('error', reject);
        request.end(bytes);
      });
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('no stack and no error-level line in the log for any of these bodies', () => {
      const lines = readFileSync(server.logFile, 'utf8').split('\n').filter(Boolean);
      for (const line of lines) {
        expect(line).not.toMatch(/Maximum call stack|RangeError/);
        const entry = JSON.parse(line) as { level?: number; err?: { stack?: string }; stack?: string };
        expect(entry.level ?? 30).toBeLessThan(50);
      }
    });
  });
}
