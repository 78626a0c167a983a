import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import axios from 'axios';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/test-server';

/** A small stand-in for the Vite build: index.html, one hashed asset, one top-level file. */
function fixtureBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-ui-fixture-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/console/assets/index-3f2a9c.js"></script></head><body><div id="app"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'index-3f2a9c.js'), 'console.log("console ui");\n');
  writeFileSync(join(dir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  return dir;
}

const http = axios.create({ maxRedirects: 0, validateStatus: () => true });

function countOccurrences(file: string, text: string): number {
  let content = '';
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  return content.split(text).length - 1;
}

for (const kind of testDatabases()) {
  describe(`console UI serving on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let uiDir: string;

    before(async () => {
      db = await createTestDatabase(kind);
      uiDir = fixtureBuild();
      server = await startTestServer(db, { env: { CONSOLE_UI_DIR: uiDir } });
    });

    after(async () => {
      await server?.close();
      await db?.drop();
      rmSync(uiDir, { recursive: true, force: true });
    });

    it('redirects / to /console/', async () => {
      const res = await http.get(`${server.baseUrl}/`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, '/console/');
    });

    it('redirects /console to /console/, keeping the query', async () => {
      const res = await http.get(`${server.baseUrl}/console?redirect=%2Fconsole%2Fusers`);
      assert.equal(res.status, 301);
      assert.equal(res.headers.location, '/console/?redirect=%2Fconsole%2Fusers');
    });

    it('serves index.html at /console/ with no-cache, a strict CSP and security headers', async () => {
      const res = await http.get(`${server.baseUrl}/console/`);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.data, /<div id="app">/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
      assert.match(csp, /img-src 'self' data:/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    });

    it('answers a reload of a client-side route (dots in names included) with index.html', async () => {
      for (const path of ['/console/users/alice', '/console/users/alice.smith', '/console/password-reset?username=a&reset_password_token=x']) {
        const res = await http.get(`${server.baseUrl}${path}`);
        assert.equal(res.status, 200, path);
        assert.match(res.data, /<div id="app">/, path);
        assert.equal(res.headers['cache-control'], 'no-cache', path);
      }
    });

    it('serves hashed assets with a one-year immutable cache', async () => {
      const res = await http.get(`${server.baseUrl}/console/assets/index-3f2a9c.js`);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /javascript/);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(res.data, /console ui/);
    });

    it('answers an unknown asset with 404, never index.html', async () => {
      const res = await http.get(`${server.baseUrl}/console/assets/missing-000000.js`);
      assert.equal(res.status, 404);
      assert.doesNotMatch(String(res.data), /<div id="app">/);
    });

    it('serves other files of the build as they are', async () => {
      const res = await http.get(`${server.baseUrl}/console/favicon.ico`, { responseType: 'arraybuffer' });
      assert.equal(res.status, 200);
      assert.deepEqual([...Buffer.from(res.data)], [0, 0, 1, 0]);
    });

    it('never serves a file outside the build folder', async () => {
      for (const path of ['/console/..%2f..%2fetc%2fpasswd', '/console/assets/..%2f..%2findex.html', '/console/%2e%2e/package.json']) {
        const res = await http.get(`${server.baseUrl}${path}`);
        assert.ok(res.status === 404 || (res.status === 200 && /<div id="app">/.test(res.data)), `${path}: ${res.status}`);
        assert.doesNotMatch(String(res.data), /root:|"name":/);
      }
    });

    it('leaves the API alone: unknown API paths stay problem+json 404', async () => {
      const res = await http.get(`${server.baseUrl}/apis/api.console.halo.run/v1alpha1/nothing-here`);
      assert.equal(res.status, 404);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    });
  });

  describe(`console UI missing on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let emptyDir: string;

    before(async () => {
      db = await createTestDatabase(kind);
      emptyDir = mkdtempSync(join(tmpdir(), 'console-ui-empty-'));
      server = await startTestServer(db, { env: { CONSOLE_UI_DIR: emptyDir } });
    });

    after(async () => {
      await server?.close();
      await db?.drop();
      rmSync(emptyDir, { recursive: true, force: true });
    });

    it('still starts, logs one warning naming the missing build, and answers /console/ with a 404 page', async () => {
      // The folder is a fresh temp dir, so every line naming it comes from this server.
      assert.equal(countOccurrences(server.logFile, emptyDir), 1, 'exactly one warning, naming the folder');
      assert.equal(countOccurrences(server.logFile, `${join(emptyDir, 'index.html')} is missing`), 1);
      for (const path of ['/console/', '/console/users/alice', '/console/assets/index.js']) {
        const res = await http.get(`${server.baseUrl}${path}`);
        assert.equal(res.status, 404, path);
        assert.match(String(res.headers['content-type']), /text\/html/);
        assert.match(res.data, /console UI is not built/);
        assert.match(res.data, /npm run build/);
      }
      const health = await http.get(`${server.baseUrl}/actuator/health`);
      assert.equal(health.status, 200);
      const root = await http.get(`${server.baseUrl}/`);
      assert.equal(root.status, 302);
    });
  });
}
