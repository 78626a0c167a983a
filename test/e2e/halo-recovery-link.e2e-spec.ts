import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, testDatabases, TestDatabase } from '../support/databases';
import { anonymous, failure, HaloClients, loginAs } from '../support/http';
import { seedUser } from '../support/seed';
import { ADMIN_PASSWORD, startTestServer, TestServer } from '../support/test-server';

const path = (name: string) => `/apis/api.console.halo.run/v1alpha1/users/${name}/recovery-link`;

for (const kind of testDatabases()) {
  describe(`Halo recovery link ("Copy recovery link") on ${kind}`, () => {
    let db: TestDatabase;
    let server: TestServer;
    let admin: HaloClients;
    let userManager: HaloClients;

    before(async () => {
      db = await createTestDatabase(kind);
      server = await startTestServer(db);
      await seedUser(server.dataSource, { name: 'frank', password: 'frank-password', email: 'frank@example.test', emailVerified: true });
      // Manages users and may mail recovery links, but may not be handed one.
      await seedUser(server.dataSource, { name: 'user-manager', password: 'user-manager-pass', roles: ['role-template-manage-users'] });
      admin = await loginAs(server.baseUrl, 'admin', ADMIN_PASSWORD);
      userManager = await loginAs(server.baseUrl, 'user-manager', 'user-manager-pass');
    });

    after(async () => {
      await server?.close();
      await db?.drop();
    });

    it('401 without credentials', async () => {
      assert.equal((await failure(anonymous(server.baseUrl).http.post(path('frank'), {}))).status, 401);
    });

    it('403 without role-template-issue-recovery-links (manage-users is not enough)', async () => {
      const answer = await failure(userManager.http.post(path('frank'), {}));
      assert.equal(answer.status, 403);
      assert.match(String(answer.headers['content-type']), /application\/problem\+json/);
    });

    it('returns a single-use recovery link on PUBLIC_URL, never cached; a new link replaces the old', async () => {
      const first = await admin.http.post(path('frank'), {});
      assert.equal(first.status, 200);
      assert.equal(first.headers['cache-control'], 'no-store');
      assert.match(first.data.link, /^http:\/\/console\.example\.test\/recovery\?/);
      const expiresIn = Date.parse(first.data.expiresAt) - server.clock.now().getTime();
      assert.equal(expiresIn, 60 * 60_000, 'one hour by default');

      const short = await admin.http.post(path('frank'), { tokenDuration: 'minutes=10' });
      assert.equal(Date.parse(short.data.expiresAt) - server.clock.now().getTime(), 10 * 60_000);

      const local = (link: string) => `${server.baseUrl}${new URL(link).pathname}${new URL(link).search}`;
      const old = await fetch(local(first.data.link));
      assert.match(await old.text(), /invalid|expired|no longer/i, 'the older link stopped working');
      const current = await fetch(local(short.data.link));
      assert.equal(current.status, 200);
    });

    it('answers an unknown user with 404', async () => {
      assert.equal((await failure(admin.http.post(path('nobody-at-all'), {}))).status, 404);
    });
  });
}
